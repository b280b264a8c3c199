"""Writing through the API: who may create, change and delete what, and the workflow's rules as 4xx."""

import datetime

import pytest
from django.utils import timezone

from events.models import Actor, Event
from recommendations import workflow
from recommendations.models import Assignment, Recommendation, StatusUpdate
from tests.factories import assignment, report

NOT_COORDINATORS = ["viewer", "focal_kz"]

NEW_EVENT = {
    "code": "CVE-2017",
    "title": "A follow-up meeting",
    "kind": "meeting",
    "start_date": "2017-03-01",
    "end_date": "2017-03-02",
    "host_country": 5,
}


# Events, actors, recommendations: the coordinators' model permissions, Model.full_clean ------------


def test_a_coordinator_adds_changes_and_deletes_an_event(api, coordinator):
    client = api(coordinator)

    created = client.post("/api/events/", NEW_EVENT)
    changed = client.patch(f"/api/events/{created.json()['id']}/", {"place": "Bishkek"})
    deleted = client.delete(f"/api/events/{created.json()['id']}/")

    assert created.status_code == 201, created.json()
    assert created.json()["host_country_name"] == "Kyrgyzstan"
    assert created.json()["progress"]["total"] == 0
    assert (changed.status_code, changed.json()["place"]) == (200, "Bishkek")
    assert deleted.status_code == 204
    assert not Event.objects.filter(code="CVE-2017").exists()


@pytest.mark.parametrize("role", NOT_COORDINATORS)
def test_other_roles_cannot_write_events_actors_or_recommendations(role, request, api):
    client = api(request.getfixturevalue(role))

    for response in [
        client.post("/api/events/", NEW_EVENT),
        client.patch("/api/events/1/", {"place": "Bishkek"}),
        client.delete("/api/events/2/"),
        client.post("/api/actors/", {"name": "Ministry of Interior", "kind": "government_body", "parent": 5}),
        client.patch("/api/actors/1/", {"note": "x"}),
        client.patch("/api/recommendations/1/", {"title": "x"}),
        client.delete("/api/recommendations/8/"),
    ]:
        assert response.status_code == 403
    assert Event.objects.get(pk=1).place == "Astana"
    assert Recommendation.objects.filter(pk=8).exists()


def test_anonymous_visitors_cannot_write_even_while_public_read_is_on(api, documents, settings):
    settings.PUBLIC_READ = True

    assert api().post("/api/events/", NEW_EVENT).status_code == 401
    assert api().patch("/api/actors/1/", {"note": "x"}).status_code == 401
    assert api().post("/api/status-updates/", {}).status_code == 401
    assert api().post("/api/assignments/", {}).status_code == 401


def test_model_rules_come_back_as_field_errors(api, coordinator):
    client = api(coordinator)

    backwards = client.post("/api/events/", {**NEW_EVENT, "end_date": "2017-02-01"})
    taken = client.post("/api/events/", {**NEW_EVENT, "code": "CSACVE-2015"})
    stateless = client.post("/api/actors/", {"name": "Atlantis", "kind": "country"})
    foreign_source = client.patch("/api/recommendations/12/", {"source_document": 1})

    assert backwards.status_code == 400
    assert backwards.json() == {"non_field_errors": ["The end date cannot be before the start date."]}
    assert taken.status_code == 400 and list(taken.json()) == ["code"]
    assert stateless.json() == {
        "non_field_errors": ["A country needs a two-letter ISO 3166 code; other actors have none."]
    }
    assert foreign_source.json() == {"source_document": ["The source document must belong to the same event."]}
    assert Recommendation.objects.get(pk=12).source_document_id == 2


def test_a_coordinator_adds_a_recommendation_with_themes(api, coordinator):
    body = {
        "code": "CTRT-2016-2",
        "sequence": 2,
        "kind": "recommendation",
        "title": "Co-operate with civil society",
        "text": "Co-operate with civil society.",
        "event": 2,
        "source_document": 2,
        "source_quote": "a set of recommendations",
        "themes": ["civil-society", "research"],
    }

    response = api(coordinator).post("/api/recommendations/", body)

    assert response.status_code == 201, response.json()
    assert sorted(response.json()["themes"]) == ["civil-society", "research"]
    assert response.json()["progress"]["total"] == 0
    assert set(Recommendation.objects.get(code="CTRT-2016-2").themes.values_list("slug", flat=True)) == {
        "civil-society",
        "research",
    }


def test_changes_are_patches_and_put_is_not_offered(api, coordinator):
    response = api(coordinator).put("/api/events/1/", NEW_EVENT)

    assert response.status_code == 405
    assert "PATCH" in response["Allow"]


def test_what_others_refer_to_cannot_be_deleted(api, coordinator):
    response = api(coordinator).delete("/api/recommendations/1/")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "It cannot be deleted while other records refer to it (assignments).",
        "code": "protected",
    }
    assert Recommendation.objects.filter(pk=1).exists()
    assert api(coordinator).delete("/api/actors/1/").status_code == 409


# Assignments: coordinators only, through the workflow ---------------------------------------------


def test_a_coordinator_assigns_a_recommendation(api, coordinator):
    response = api(coordinator).post("/api/assignments/", {"recommendation": 3, "actor": 5, "note": "Bilateral."})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["recommendation_code"], body["actor_name"], body["role"]) == ("CSACVE-2015-3", "Kyrgyzstan", "lead")
    assert (body["status"], body["version"], body["note"]) == ("no_report", 1, "Bilateral.")
    assert body["due_date"] == "2015-09-29"  # the recommendation's own
    assert Assignment.objects.filter(recommendation_id=3, actor_id=5).exists()


def test_assigning_twice_is_refused(api, coordinator):
    client = api(coordinator)
    client.post("/api/assignments/", {"recommendation": 3, "actor": 5})

    response = client.post("/api/assignments/", {"recommendation": 3, "actor": 5, "role": "supporting"})

    assert response.status_code == 400
    assert response.json() == {"actor": ["Kyrgyzstan is already assigned to CSACVE-2015-3."]}
    assert Assignment.objects.get(recommendation_id=3, actor_id=5).role == "lead"


def test_an_assignment_needs_a_real_recommendation_actor_and_role(api, coordinator):
    response = api(coordinator).post("/api/assignments/", {"recommendation": 999, "actor": "KG", "role": "boss"})

    assert response.status_code == 400
    assert set(response.json()) == {"recommendation", "actor", "role"}


@pytest.mark.parametrize("role", NOT_COORDINATORS)
def test_only_coordinators_manage_assignments(role, request, api, coordinator):
    existing = assignment("CSACVE-2015-3", "KZ", coordinator)
    client = api(request.getfixturevalue(role))

    for response in [
        client.post("/api/assignments/", {"recommendation": 3, "actor": 5}),
        client.patch(f"/api/assignments/{existing.pk}/", {"note": "x"}),
        client.delete(f"/api/assignments/{existing.pk}/"),
        client.post("/api/assignments/assign-region/", {"recommendation": 3, "region": "central-south-asia"}),
    ]:
        assert response.status_code == 403
        assert response.json() == {"detail": "Only coordinators can manage assignments.", "code": "permission_denied"}
    assert Assignment.objects.filter(recommendation_id=3).count() == 1


def test_a_coordinator_changes_an_assignment_with_the_version_read(api, coordinator):
    existing = assignment("CSACVE-2015-3", "KZ", coordinator)

    response = api(coordinator).patch(
        f"/api/assignments/{existing.pk}/", {"due_date": "2016-12-31", "role": "supporting", "version": 1}
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["due_date"], response.json()["role"], response.json()["version"]) == (
        "2016-12-31",
        "supporting",
        2,
    )


def test_a_stale_version_is_a_conflict_and_changes_nothing(api, coordinator):
    existing = assignment("CSACVE-2015-3", "KZ", coordinator)
    client = api(coordinator)
    client.patch(f"/api/assignments/{existing.pk}/", {"note": "First.", "version": 1})

    response = client.patch(f"/api/assignments/{existing.pk}/", {"note": "Second.", "version": 1})

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Someone else changed this assignment while you were editing it.")
    existing.refresh_from_db()
    assert (existing.note, existing.version) == ("First.", 2)


def test_a_change_without_a_version_is_refused(api, coordinator):
    existing = assignment("CSACVE-2015-3", "KZ", coordinator)

    response = api(coordinator).patch(f"/api/assignments/{existing.pk}/", {"due_date": None})

    assert (response.status_code, list(response.json())) == (400, ["version"])
    existing.refresh_from_db()
    assert existing.due_date is not None


def test_an_empty_due_date_makes_the_assignment_follow_the_recommendations_again(api, coordinator):
    existing = assignment("CSACVE-2015-3", "KZ", coordinator)
    client = api(coordinator)
    client.patch(f"/api/assignments/{existing.pk}/", {"due_date": "2016-12-31", "version": 1})

    response = client.patch(f"/api/assignments/{existing.pk}/", {"due_date": None, "version": 2})

    assert response.status_code == 200
    assert (response.json()["due_date"], response.json()["own_due_date"]) == ("2015-09-29", False)


def test_changing_a_missing_assignment_is_not_found(api, coordinator):
    response = api(coordinator).patch("/api/assignments/99999/", {"note": "x"})

    assert response.status_code == 404
    assert response.json() == {"detail": "No Assignment matches the given query.", "code": "not_found"}


def test_a_coordinator_removes_an_assignment_nobody_reported_on(api, coordinator):
    mistaken = assignment("CSACVE-2015-3", "KZ", coordinator)

    client = api(coordinator)
    assert client.delete(f"/api/assignments/{mistaken.pk}/").json() == {"version": ["This field is required."]}

    response = client.delete(f"/api/assignments/{mistaken.pk}/?version={mistaken.version}")

    assert response.status_code == 204
    assert not Assignment.objects.filter(pk=mistaken.pk).exists()


def test_a_removal_with_a_stale_version_is_a_conflict(api, coordinator):
    mistaken = assignment("CSACVE-2015-3", "KZ", coordinator)
    read = mistaken.version
    workflow.change_assignment(assignment=mistaken, by=coordinator, expected_version=read, note="Meanwhile.")

    response = api(coordinator).delete(f"/api/assignments/{mistaken.pk}/?version={read}")

    assert (response.status_code, response.json()["code"]) == (409, "stale")
    assert Assignment.objects.filter(pk=mistaken.pk).exists()


def test_an_assignment_with_reports_is_kept(api, coordinator, focal_kz):
    reported = report(assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz)

    version = Assignment.objects.get(pk=reported.assignment_id).version
    response = api(coordinator).delete(f"/api/assignments/{reported.assignment_id}/?version={version}")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Kazakhstan has status updates on this recommendation, so its assignment is kept as part of the record."
        ]
    }
    assert Assignment.objects.filter(pk=reported.assignment_id).exists()


def test_a_coordinator_assigns_a_recommendation_to_every_country_of_a_region(api, coordinator):
    assignment("CSACVE-2015-3", "KZ", coordinator)

    first = api(coordinator).post(
        "/api/assignments/assign-region/",
        {"recommendation": 3, "region": "central-south-asia", "role": "supporting", "due_date": "2016-06-30"},
    )
    again = api(coordinator).post(
        "/api/assignments/assign-region/", {"recommendation": 3, "region": "central-south-asia"}
    )

    assert first.status_code == 201, first.json()
    assert len(first.json()["created"]) == 8
    assert {row["due_date"] for row in first.json()["created"]} == {"2016-06-30"}
    assert [row["actor_name"] for row in first.json()["already_assigned"]] == ["Kazakhstan"]
    assert (again.status_code, again.json()["created"], len(again.json()["already_assigned"])) == (200, [], 9)


def test_assigning_to_an_unknown_region_is_refused(api, coordinator):
    response = api(coordinator).post("/api/assignments/assign-region/", {"recommendation": 3, "region": "atlantis"})

    assert response.status_code == 400
    assert response.json() == {"region": ["Object with slug=atlantis does not exist."]}


def test_assigning_to_a_region_without_countries_names_the_region(api, coordinator):
    from events.models import ActorGroup

    ActorGroup.objects.create(name="Organisations", slug="organisations").members.set([20, 21])

    response = api(coordinator).post(
        "/api/assignments/assign-region/", {"recommendation": 3, "region": "organisations"}
    )

    assert response.status_code == 400
    assert response.json() == {"region": ["Organisations has no member countries."]}


# Status updates: the workflow decides who may report, and they are append-only ---------------------


def update(assignment_id, **fields):
    return {"assignment": assignment_id, "status": "in_progress", "date": "2016-03-01", **fields}


def test_a_focal_point_reports_on_their_countrys_assignment(api, coordinator, focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)

    response = api(focal_kz).post(
        "/api/status-updates/", update(target.pk, note="Working group set up.", internal_note="Budget unclear.")
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["author_name"], body["internal_note"], body["kind"]) == ("focal-kz", "Budget unclear.", "report")
    shown = api().get(f"/api/assignments/{target.pk}/").json()
    assert (shown["status"], shown["status_date"], shown["last_update"]["id"]) == (
        "in_progress",
        "2016-03-01",
        body["id"],
    )


def test_a_focal_point_reports_for_their_countrys_bodies(api, coordinator, focal_kz):
    from recommendations import workflow

    penal_system = Actor.objects.get(name="Committee of the Penal System")
    target = workflow.assign(recommendation=Recommendation.objects.get(pk=6), actors=[penal_system], by=coordinator)

    response = api(focal_kz).post("/api/status-updates/", update(target.created[0].pk))

    assert response.status_code == 201


@pytest.mark.parametrize("role", ["focal_kg", "viewer"])
def test_others_cannot_report_on_an_assignment(role, request, api, coordinator):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)

    response = api(request.getfixturevalue(role)).post("/api/status-updates/", update(target.pk))

    assert response.status_code == 403
    refusal = "You cannot report on the assignments of Kazakhstan."
    assert response.json() == {"detail": refusal, "code": "permission_denied"}
    assert not StatusUpdate.objects.exists()


def test_a_coordinator_reports_on_any_assignment_and_assesses_it(api, coordinator):
    target = assignment("CSACVE-2015-1", "TJ", coordinator)
    client = api(coordinator)

    reported = client.post("/api/status-updates/", update(target.pk))
    assessed = client.post("/api/status-updates/", update(target.pk, kind="assessment", status="stalled"))

    assert (reported.status_code, assessed.status_code) == (201, 201)
    shown = client.get(f"/api/assignments/{target.pk}/").json()
    assert (shown["status"], shown["assessed_status"]) == ("in_progress", "stalled")


def test_a_focal_point_cannot_assess(api, coordinator, focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)

    response = api(focal_kz).post("/api/status-updates/", update(target.pk, kind="assessment"))

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only coordinators can record an independent assessment.",
        "code": "permission_denied",
    }


def test_the_workflows_rules_come_back_as_field_errors(api, coordinator, focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)
    other = report(assignment("CSACVE-2015-1", "KG", coordinator), coordinator)
    client = api(focal_kz)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    cases = {
        "evidence_url": update(target.pk, status="implemented"),
        "date": update(target.pk, date=tomorrow.isoformat()),
        "corrects": update(target.pk, corrects=other.pk),
    }
    for field, body in cases.items():
        response = client.post("/api/status-updates/", body)
        assert response.status_code == 400
        assert list(response.json()) == [field]
    assert client.post("/api/status-updates/", update(target.pk, date="2015-01-01")).json() == {
        "date": ["The date cannot be before the event began (29 June 2015)."]
    }
    assert client.post("/api/status-updates/", update(target.pk, status="done")).json() == {
        "status": ['"done" is not a valid choice.']
    }
    assert StatusUpdate.objects.filter(assignment=target).count() == 0


def test_a_correction_is_a_new_update_that_names_the_one_it_corrects(api, coordinator, focal_kz):
    first = report(
        assignment("CSACVE-2015-1", "KZ", coordinator),
        focal_kz,
        status="implemented",
        evidence_url="https://example.org/e",
    )
    client = api(focal_kz)

    response = client.post(
        "/api/status-updates/", update(first.assignment_id, status="partially_implemented", corrects=first.pk)
    )

    assert response.status_code == 201
    assert client.get(f"/api/status-updates/{first.pk}/").json()["corrected_by"] == response.json()["id"]
    assert client.get(f"/api/assignments/{first.assignment_id}/").json()["status"] == "partially_implemented"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_status_updates_cannot_be_changed_or_deleted(method, api, coordinator, focal_kz):
    recorded = report(assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz)

    response = getattr(api(coordinator), method)(f"/api/status-updates/{recorded.pk}/", {"status": "implemented"})

    assert response.status_code == 405
    assert response.json() == {
        "detail": "Status updates are append-only: to correct one, record a new update with `corrects`.",
        "code": "method_not_allowed",
    }
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    recorded.refresh_from_db()
    assert recorded.status == "in_progress"
