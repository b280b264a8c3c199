"""Assigning from where a coordinator is: a recommendation's page (countries and bodies, or a region)
and an event's page (several recommendations to a region at once). Existing assignments are shown
and never duplicated; errors keep the choices; the admin, a page and the API write the same record."""

import datetime
import re

import pytest
from django.urls import reverse

from events.models import Actor, ActorGroup, Event
from recommendations import workflow
from recommendations.models import Assignment, Recommendation

pytestmark = pytest.mark.django_db

REGION = "central-south-asia"


def assign_url(recommendation):
    return reverse("coordinate-recommendation-assign", args=[recommendation.pk])


def event_assign_url(event):
    return reverse("coordinate-event-assign", args=[event.pk])


def step(number):
    return Recommendation.objects.get(code=f"CSACVE-2015-{number}")


def checkbox(html, value):
    """The checkbox input of `value` in the actors' list."""
    match = re.search(rf'<input type="checkbox" name="actors" value="{value}"[^>]*>', html)
    return match.group(0) if match else None


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_recommendations_page_offers_coordinators_the_form_with_bodies_under_their_parent(signed_in):
    html = signed_in.get(step(1).get_absolute_url()).content.decode()
    assert f'action="{assign_url(step(1))}#form-errors"' in html
    penal = Actor.objects.get(name="Committee of the Penal System")
    # Listed right after the body it belongs to, with the path down to it.
    assert "Kazakhstan › Ministry of Internal Affairs of Kazakhstan › Committee of the Penal System" in html
    ministry_at, penal_at = html.index(f'value="{penal.parent_id}"'), html.index(f'value="{penal.pk}"')
    assert ministry_at < penal_at
    # Those already responsible are shown as such, and cannot be chosen again.
    kg = Actor.objects.get(iso_code="KG")
    assert "disabled" in checkbox(html, kg.pk) and "Kyrgyzstan (already assigned)" in html
    assert "disabled" not in checkbox(html, penal.pk)


def test_other_readers_see_no_form(client, viewer, focal_kz):
    for user in (None, viewer, focal_kz):
        if user:
            client.force_login(user)
        assert "/coordinate/" not in client.get(step(1).get_absolute_url()).content.decode()
        assert "/coordinate/" not in client.get(step(1).event.get_absolute_url()).content.decode()


def test_assigning_countries_and_bodies_creates_each_once_and_says_what_existed(signed_in):
    rec = step(1)
    kg, us = Actor.objects.get(iso_code="KG"), Actor.objects.get(iso_code="US")
    penal = Actor.objects.get(name="Committee of the Penal System")
    before = rec.assignments.count()
    # KG is already responsible: a crafted form (a browser would not send the disabled box) changes nothing for it.
    response = signed_in.post(
        assign_url(rec), {"actors": [kg.pk, us.pk, penal.pk], "role": "supporting", "due_date": "2016-06-30"}
    )
    assert response.status_code == 302 and response["Location"] == rec.get_absolute_url()
    assert rec.assignments.count() == before + 2
    made = rec.assignments.get(actor=penal)
    assert (made.role, str(made.due_date), made.own_due_date) == ("supporting", "2016-06-30", True)
    assert rec.assignments.get(actor=kg).role == "lead"
    page = signed_in.get(response["Location"]).content.decode()
    assert "Created 2 assignments; 1 already existed and was left as it was." in page


def test_assigning_a_region_gives_every_member_country_and_keeps_the_existing(signed_in):
    rec = step(1)  # already assigned to the region's nine countries
    region = ActorGroup.objects.get(slug=REGION)
    assert signed_in.post(assign_url(rec), {"group": region.pk, "role": "lead"}).status_code == 302
    assert rec.assignments.count() == 9
    fresh = step(4)
    signed_in.post(assign_url(fresh), {"group": region.pk, "role": "lead"})
    assert set(fresh.assignments.values_list("actor_id", flat=True)) == set(
        region.members.countries().values_list("pk", flat=True)
    )
    assert all(a.due_date == fresh.due_date and not a.own_due_date for a in fresh.assignments.all())


def test_an_empty_choice_is_an_error_on_the_page_with_the_assignments(signed_in):
    rec = step(1)
    response = signed_in.post(assign_url(rec), {"role": "lead"})
    html = response.content.decode()
    assert response.status_code == 200 and "Choose countries or bodies, or a region." in html
    assert "Who is responsible" in html and "Kyrgyzstan" in html
    assert rec.assignments.count() == 9


def test_a_due_date_before_the_event_is_an_error_beside_it_and_the_choices_are_kept(signed_in):
    rec, us = step(1), Actor.objects.get(iso_code="US")
    response = signed_in.post(assign_url(rec), {"actors": [us.pk], "role": "supporting", "due_date": "2014-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="id_due_date_error">\s*<li>The due date cannot be before the event began', html)
    assert "checked" in checkbox(html, us.pk)
    assert 'value="2014-01-01"' in html and '<option value="supporting" selected>' in html
    assert not rec.assignments.filter(actor=us).exists()


def test_the_event_page_assigns_several_recommendations_to_a_region_at_once(signed_in):
    event = Event.objects.get(code="CSACVE-2015")
    region = ActorGroup.objects.get(slug=REGION)
    html = signed_in.get(event.get_absolute_url()).content.decode()
    assert f'action="{event_assign_url(event)}#form-errors"' in html
    chosen = [step(1), step(2), step(3)]
    data = {"recommendations": [r.pk for r in chosen], "group": region.pk, "role": "lead"}
    response = signed_in.post(event_assign_url(event), data)
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert [r.assignments.count() for r in chosen] == [9, 9, 9]
    assert (
        "Created 18 assignments; 9 already existed and were left as they were."
        in signed_in.get(event.get_absolute_url()).content.decode()
    )
    again = signed_in.post(event_assign_url(event), data, follow=True).content.decode()
    assert "Created 0 assignments; 27 already existed and were left as they were." in again
    assert Assignment.objects.filter(recommendation__in=chosen).count() == 27


def test_the_event_form_without_recommendations_is_an_error_and_writes_nothing(signed_in):
    event = Event.objects.get(code="CSACVE-2015")
    before = Assignment.objects.count()
    region = ActorGroup.objects.get(slug=REGION)
    response = signed_in.post(event_assign_url(event), {"group": region.pk, "role": "lead", "due_date": "2015-07-01"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_recommendations_error"' in html
    assert 'value="2015-07-01"' in html
    assert Assignment.objects.count() == before


def test_another_events_recommendation_is_refused(signed_in):
    event = Event.objects.get(code="CSACVE-2015")
    other = Recommendation.objects.get(code="CTRT-2016-1")
    region = ActorGroup.objects.get(slug=REGION)
    response = signed_in.post(
        event_assign_url(event), {"recommendations": [other.pk], "group": region.pk, "role": "lead"}
    )
    assert response.status_code == 200 and other.assignments.count() == 1


@pytest.mark.parametrize("page", ["recommendation", "event"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ["anonymous", "viewer", "focal_kz"])
def test_only_coordinators_open_or_post_the_assign_pages(client, request, documents, page, method, role):
    url = assign_url(step(2)) if page == "recommendation" else event_assign_url(step(2).event)
    region = ActorGroup.objects.get(slug=REGION)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    data = {"group": region.pk, "role": "lead", "recommendations": [step(2).pk]} if method == "post" else None
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403
    assert not step(2).assignments.exists()


def test_the_assign_pages_open_for_coordinators(signed_in):
    assert "Make responsible" in signed_in.get(assign_url(step(1))).content.decode()
    assert "To every country of a region" in signed_in.get(event_assign_url(step(1).event)).content.decode()


# The same assignment through the admin, a page and the API ------------------------------------

DUE = datetime.date(2016, 3, 31)
COMPARED = ["recommendation_id", "actor_id", "role", "due_date", "own_due_date", "note", "status", "version", "dataset"]


def _through_admin(client, rec, actor):
    data = {"recommendation": rec.pk, "actor": actor.pk, "role": "supporting", "due_date": DUE, "note": ""}
    return client.post(reverse("admin:recommendations_assignment_add"), data)


def _through_page(client, rec, actor):
    return client.post(assign_url(rec), {"actors": [actor.pk], "role": "supporting", "due_date": DUE})


def _through_api(client, rec, actor):
    data = {"recommendation": rec.pk, "actor": actor.pk, "role": "supporting", "due_date": DUE.isoformat()}
    return client.post("/api/assignments/", data, content_type="application/json")


def test_the_admin_a_page_and_the_api_record_the_same_assignment(signed_in, coordinator):
    rec, actor = step(5), Actor.objects.get(name="Committee of the Penal System")
    records = {}
    for door, send in (("admin", _through_admin), ("page", _through_page), ("api", _through_api)):
        response = send(signed_in, rec, actor)
        assert response.status_code in (201, 302), (door, response.content[:300])
        assignment = Assignment.objects.get(recommendation=rec, actor=actor)
        records[door] = {name: getattr(assignment, name) for name in COMPARED}
        workflow.unassign(assignment=assignment, by=coordinator, expected_version=assignment.version)
    assert records["admin"] == records["page"] == records["api"]
    assert records["page"]["due_date"] == DUE and records["page"]["own_due_date"] is True
