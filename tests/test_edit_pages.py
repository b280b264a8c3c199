"""Keeping it current: the coordinators' pages that edit an event, a recommendation and an
assignment. They write through the workflow as the admin and the API do (the same change through
each door gives the same record), keep what was typed on an error, and refuse a stale assignment."""

import datetime

import pytest
from django.urls import reverse

from events.models import Event, SourceDocument
from recommendations import workflow
from recommendations.models import Assignment, Recommendation
from tests.admin_forms import form_data, page_form_data
from tests.factories import assignment

pytestmark = pytest.mark.django_db

OWN = datetime.date(2016, 3, 1)
NEW_DUE = datetime.date(2016, 9, 29)


def edit_url(obj):
    kind = {Event: "event", Recommendation: "recommendation", Assignment: "assignment"}[type(obj)]
    return reverse(f"coordinate-{kind}-edit", args=[obj.pk])


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def step(coordinator):
    """CSACVE-2015-2 assigned to Kazakhstan (following its due date) and Kyrgyzstan (a date of its own)."""
    kz = assignment("CSACVE-2015-2", "KZ", coordinator)
    kg = assignment("CSACVE-2015-2", "KG", coordinator)
    workflow.change_assignment(assignment=kg, by=coordinator, expected_version=kg.version, due_date=OWN)
    return kz.recommendation


def _page_data(client, obj, **changes):
    """What the edit page of `obj` posts as shown, with `changes`."""
    return page_form_data(client.get(edit_url(obj)).context["form"], **changes)


def test_coordinators_see_the_edit_links_and_others_do_not(client, coordinator, viewer, focal_kz, step):
    moved = step.assignments.get(actor__iso_code="KZ")
    pages = [step.event, step, moved]
    for user in (None, viewer, focal_kz, coordinator):
        client.logout()
        if user:
            client.force_login(user)
        for obj in pages:
            html = client.get(obj.get_absolute_url()).content.decode()
            assert (f'href="{edit_url(obj)}"' in html) == (user is coordinator), (user, obj)


def test_editing_an_event_saves_it_and_an_error_keeps_what_was_typed(signed_in, step):
    event = step.event
    response = signed_in.post(edit_url(event), _page_data(signed_in, event, place="Astana, Palace of Peace"))
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    event.refresh_from_db()
    assert event.place == "Astana, Palace of Peace"

    typed = _page_data(signed_in, event, place="Typed place", end_date="2015-01-01")  # before it began
    response = signed_in.post(edit_url(event), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="form-errors"' in html and 'value="Typed place"' in html and 'value="2015-01-01"' in html
    event.refresh_from_db()
    assert event.place == "Astana, Palace of Peace" and event.end_date != datetime.date(2015, 1, 1)


def test_a_recommendations_new_due_date_carries_to_the_assignments_following_it(signed_in, step):
    response = signed_in.post(edit_url(step), _page_data(signed_in, step, due_date=NEW_DUE.isoformat()))

    assert response.status_code == 302 and response["Location"] == step.get_absolute_url()
    dates = dict(step.assignments.values_list("actor__iso_code", "due_date"))
    assert dates == {"KZ": NEW_DUE, "KG": OWN}
    assert step.assignments.get(actor__iso_code="KZ").version == 2  # a form read before the move is now stale


def test_a_quote_not_in_the_document_is_a_field_error_and_nothing_moves(signed_in, step):
    SourceDocument.objects.filter(pk=step.source_document_id).update(text=f"The article: {step.source_quote}")
    before = dict(step.assignments.values_list("actor__iso_code", "due_date"))
    data = _page_data(signed_in, step, source_quote="Words the article never says", due_date=NEW_DUE.isoformat())

    response = signed_in.post(edit_url(step), data)

    assert response.status_code == 200
    assert "This wording does not appear in the source document." in response.content.decode()
    assert response.context["form"]["source_quote"].value() == "Words the article never says"
    assert dict(step.assignments.values_list("actor__iso_code", "due_date")) == before
    step.refresh_from_db()
    assert step.due_date != NEW_DUE


def test_editing_an_assignment_changes_role_due_date_and_note(signed_in, step):
    kz = step.assignments.get(actor__iso_code="KZ")
    data = _page_data(signed_in, kz, role="supporting", due_date="2016-06-30", note="Chased by mail")

    response = signed_in.post(edit_url(kz), data)

    assert response.status_code == 302 and response["Location"] == kz.get_absolute_url()
    kz.refresh_from_db()
    assert (kz.role, kz.due_date, kz.own_due_date, kz.note, kz.version) == (
        "supporting",
        datetime.date(2016, 6, 30),
        True,
        "Chased by mail",
        2,
    )
    # Emptied, the due date follows the recommendation's again.
    response = signed_in.post(edit_url(kz), _page_data(signed_in, kz, due_date=""))
    kz.refresh_from_db()
    assert (kz.due_date, kz.own_due_date) == (step.due_date, False)


def test_a_stale_assignment_form_is_refused_keeping_what_was_typed(signed_in, coordinator, step):
    kz = step.assignments.get(actor__iso_code="KZ")
    data = _page_data(signed_in, kz, note="My note")
    # Someone else saves the assignment meanwhile.
    workflow.change_assignment(assignment=kz, by=coordinator, expected_version=kz.version, note="Their note")

    response = signed_in.post(edit_url(kz), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this assignment while you were editing it." in html
    assert "My note</textarea>" in html
    kz.refresh_from_db()
    assert kz.note == "Their note"


def test_an_assignment_due_before_its_event_is_a_field_error(signed_in, step):
    kz = step.assignments.get(actor__iso_code="KZ")
    response = signed_in.post(edit_url(kz), _page_data(signed_in, kz, due_date="2014-01-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["due_date"]
    kz.refresh_from_db()
    assert kz.version == 1


# The same change through the admin, a page and the API -----------------------------------------

COMPARED = ["role", "due_date", "own_due_date", "note", "status", "recommendation_id", "actor_id", "dataset"]
CHANGE = {"role": "supporting", "due_date": "2016-06-30", "note": "Same everywhere"}


def _admin(client, kz):
    url = reverse("admin:recommendations_assignment_change", args=[kz.pk])
    return client.post(url, form_data(client.get(url), **CHANGE))


def _page(client, kz):
    return client.post(edit_url(kz), _page_data(client, kz, **CHANGE))


def _api(client, kz):
    body = {**CHANGE, "version": kz.version}
    return client.patch(f"/api/assignments/{kz.pk}/", body, content_type="application/json")


def test_the_admin_a_page_and_the_api_record_the_same_assignment_change(signed_in, coordinator, step):
    records = {}
    for door, send in (("admin", _admin), ("page", _page), ("api", _api)):
        kz = step.assignments.get(actor__iso_code="KZ")
        version = kz.version
        response = send(signed_in, kz)
        assert response.status_code in (200, 302), (door, response.content[:300])
        kz.refresh_from_db()
        assert kz.version == version + 1, door
        records[door] = {name: getattr(kz, name) for name in COMPARED}
        # Back as it was, for the next door.
        workflow.change_assignment(
            assignment=kz, by=coordinator, expected_version=kz.version, role="lead", due_date=None, note=""
        )
    assert records["admin"] == records["page"] == records["api"]
    assert records["page"]["due_date"] == datetime.date(2016, 6, 30) and records["page"]["own_due_date"] is True


def test_the_admin_a_page_and_the_api_move_a_due_date_alike(signed_in, coordinator, step):
    doors = {
        "admin": lambda: signed_in.post(
            reverse("admin:recommendations_recommendation_change", args=[step.pk]),
            form_data(
                signed_in.get(reverse("admin:recommendations_recommendation_change", args=[step.pk])),
                due_date=NEW_DUE.isoformat(),
            ),
        ),
        "page": lambda: signed_in.post(edit_url(step), _page_data(signed_in, step, due_date=NEW_DUE.isoformat())),
        "api": lambda: signed_in.patch(
            f"/api/recommendations/{step.pk}/", {"due_date": NEW_DUE.isoformat()}, content_type="application/json"
        ),
    }
    original = step.due_date
    records = {}
    for door, send in doors.items():
        response = send()
        assert response.status_code in (200, 302), (door, response.content[:300])
        records[door] = sorted(step.assignments.values_list("actor__iso_code", "due_date", "own_due_date"))
        workflow.change_recommendation(
            recommendation=Recommendation.objects.get(pk=step.pk), by=coordinator, due_date=original
        )
    assert records["admin"] == records["page"] == records["api"] == [("KG", OWN, True), ("KZ", NEW_DUE, False)]
