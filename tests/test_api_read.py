"""Reading the API: every list and detail for each role, PUBLIC_READ on and off, and what objects show."""

import pytest

from events.models import Actor
from recommendations import workflow
from recommendations.models import Assignment, Recommendation
from recommendations.reads import progress
from tests.factories import assignment, report

ROLES = ["viewer", "focal_kz", "focal_kg", "coordinator", "superuser"]


@pytest.fixture
def reported(coordinator, focal_kz):
    """Kazakhstan's report on step 1, with a public and an internal note."""
    return report(
        assignment("CSACVE-2015-1", "KZ", coordinator),
        focal_kz,
        note="Inter-agency list drafted.",
        internal_note="Names still to be confirmed.",
    )


@pytest.fixture
def urls(reported):
    """Every list and every kind of detail page of the API."""
    return [
        "/api/",
        "/api/events/",
        "/api/events/1/",
        "/api/actors/",
        "/api/actors/1/",
        "/api/recommendations/",
        "/api/recommendations/1/",
        "/api/assignments/",
        f"/api/assignments/{reported.assignment_id}/",
        "/api/status-updates/",
        f"/api/status-updates/{reported.pk}/",
        "/api/regions/",
        "/api/regions/1/",
        "/api/themes/",
        "/api/themes/1/",
        "/api/progress/",
    ]


def test_it_lets_anonymous_visitors_read_everything_while_public_read_is_on(api, urls, settings):
    settings.PUBLIC_READ = True
    for url in urls:
        assert api().get(url).status_code == 200, url


def test_it_asks_anonymous_visitors_to_sign_in_while_public_read_is_off(api, urls, settings):
    settings.PUBLIC_READ = False
    for url in urls:
        response = api().get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"
        assert response.json() == {
            "detail": "Authentication credentials were not provided.",
            "code": "not_authenticated",
        }


@pytest.mark.parametrize("public_read", [True, False])
@pytest.mark.parametrize("role", ROLES)
def test_it_lets_every_signed_in_role_read_everything(role, public_read, request, api, urls, settings):
    settings.PUBLIC_READ = public_read
    client = api(request.getfixturevalue(role))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_internal_note_is_null_for_readers_it_is_not_for(api, viewer, focal_kz, focal_kg, reported):
    def read(user=None):
        return api(user).get(f"/api/status-updates/{reported.pk}/").json()

    assert read()["internal_note"] is None
    assert read()["note"] == "Inter-agency list drafted."
    assert read(viewer)["internal_note"] == "Names still to be confirmed."
    assert read(focal_kz)["internal_note"] == "Names still to be confirmed."
    assert read(focal_kg)["internal_note"] is None  # Kyrgyzstan's focal point, on Kazakhstan's assignment
    assert all(row["internal_note"] is None for row in api().get("/api/status-updates/").json()["results"])


def test_an_assignment_shows_its_status_labels_and_latest_report(api, reported):
    body = api().get(f"/api/assignments/{reported.assignment_id}/").json()

    assert body["recommendation_code"] == "CSACVE-2015-1"
    assert body["actor_name"] == "Kazakhstan"
    assert body["event_title"].startswith("Central and South Asian Regional Conference")
    assert body["status"] == "in_progress"
    assert body["status_date"] == "2016-01-15"
    assert body["last_update"]["id"] == reported.pk
    assert body["last_update"]["author_name"] is None  # authors' names are for signed-in users
    assert body["last_update"]["reported_by"] == "focal_point"
    assert body["assessed_status"] is None
    assert body["is_overdue"] is True  # due 29 September 2015 and not implemented
    assert body["version"] == 1
    assert body["display_url"] == f"http://testserver/assignments/{reported.assignment_id}/"


def test_an_assignment_nobody_reported_on_reads_no_report(api, coordinator):
    fresh = assignment("CSACVE-2015-3", "KG", coordinator)

    body = api().get(f"/api/assignments/{fresh.pk}/").json()

    assert (body["status"], body["status_date"], body["last_update"]) == ("no_report", None, None)


def test_a_status_update_shows_what_it_is_about_and_who_wrote_it(api, reported, focal_kz, viewer):
    focal_kz.first_name, focal_kz.last_name = "Aigerim", "Sadykova"
    focal_kz.save()

    body = api(viewer).get(f"/api/status-updates/{reported.pk}/").json()

    assert body["assignment"] == reported.assignment_id
    assert (body["recommendation_code"], body["actor_name"]) == ("CSACVE-2015-1", "Kazakhstan")
    assert (body["kind"], body["status"], body["date"]) == ("report", "in_progress", "2016-01-15")
    assert body["author_name"] == "Aigerim Sadykova"
    assert (body["reported_by"], body["dataset"]) == ("focal_point", "record")
    assert body["corrected_by"] is None
    assert body["display_url"] == f"http://testserver/assignments/{reported.assignment_id}/#update-{reported.pk}"


def test_every_object_links_to_the_web_page_that_shows_it(api, reported):
    for url in [
        "/api/events/1/",
        "/api/actors/1/",
        "/api/recommendations/1/",
        f"/api/assignments/{reported.assignment_id}/",
    ]:
        page = api().get(url).json()["display_url"]
        assert page.startswith("http://testserver/")
        assert api().get(page).status_code == 200, page
    assert api().get("/api/regions/1/").json()["display_url"] == "http://testserver/actors/?region=central-south-asia"
    assert (
        api().get("/api/themes/1/").json()["display_url"]
        == "http://testserver/recommendations/?theme=national-coordination"
    )


def test_an_event_shows_its_participants_documents_and_progress(api, reported):
    body = api().get("/api/events/1/").json()

    assert body["code"] == "CSACVE-2015"
    assert {"actor": 1, "actor_name": "Kazakhstan", "role": "organiser"}.items() <= next(
        row for row in body["participants"] if row["actor"] == 1 and row["role"] == "organiser"
    ).items()
    assert len(body["documents"]) == 1 and "text" not in body["documents"][0]
    expected = progress.summary(Assignment.objects.filter(recommendation__event_id=1))
    assert body["progress"] == {name: expected[name] for name in body["progress"]}


def test_recommendations_carry_the_progress_of_their_assignments(api, reported):
    rows = api().get("/api/recommendations/").json()["results"]

    step_1 = next(row for row in rows if row["code"] == "CSACVE-2015-1")
    assert step_1["progress"]["total"] == 9  # the nine countries of the region
    assert (step_1["progress"]["in_progress"], step_1["progress"]["no_report"]) == (1, 8)
    assert step_1["themes"] == ["national-coordination"]
    proposal = next(row for row in rows if row["code"] == "CSACVE-2015-P1")
    assert proposal["progress"]["total"] == 0 and proposal["progress"]["share_implemented"] is None


def test_an_actor_counts_its_sub_bodies_assignments(api, coordinator):
    penal_system = Actor.objects.get(name="Committee of the Penal System")  # under Kazakhstan's ministry
    workflow.assign(
        recommendation=Recommendation.objects.get(code="CSACVE-2015-6"), actors=[penal_system], by=coordinator
    )

    kazakhstan = api().get("/api/actors/1/").json()
    body = api().get(f"/api/actors/{penal_system.pk}/").json()

    # Its own step 1, its parliament's 2016 recommendation and its committee's step 6.
    assert kazakhstan["progress"]["total"] == 3
    assert body["progress"]["total"] == 1
    assert (body["parent_name"], body["regions"]) == ("Ministry of Internal Affairs of Kazakhstan", [])
    assert kazakhstan["regions"] == ["central-south-asia"]


def test_expand_shows_related_objects_in_full(api, reported):
    body = api().get(f"/api/assignments/{reported.assignment_id}/?expand=recommendation,actor").json()

    assert body["recommendation"]["code"] == "CSACVE-2015-1"
    assert body["recommendation"]["themes"] == ["national-coordination"]
    assert body["actor"]["iso_code"] == "KZ"
    update = api().get(f"/api/status-updates/?expand=assignment&assignment={reported.assignment_id}").json()
    assert update["results"][0]["assignment"]["id"] == reported.assignment_id
    assert update["results"][0]["assignment"]["actor"] == 1  # nested objects are not expanded further


def test_expand_refuses_what_cannot_be_expanded(api, reported):
    response = api().get("/api/assignments/?expand=actor,author")

    assert response.status_code == 400
    assert response.json() == {"expand": ["Cannot expand author: choose from actor, recommendation."]}
    assert api().get("/api/events/?expand=actor").json() == {
        "expand": ["Cannot expand actor: nothing here can be expanded."]
    }


def test_the_regions_and_themes_give_the_filters_values(api, documents):
    region = api().get("/api/regions/").json()["results"][0]
    themes = api().get("/api/themes/").json()

    assert region["slug"] == "central-south-asia"
    assert sorted(region["members"]) == [1, 3, 4, 5, 6, 7, 8, 9, 10]
    assert themes["count"] == 9
    assert {"national-coordination", "prisons-rehabilitation"} <= {row["slug"] for row in themes["results"]}


def test_the_browsable_api_renders_every_list_for_a_coordinator(api, coordinator, urls):
    client = api(coordinator)

    for url in urls:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")
