"""The assignment list's bulk actions (coordinators only): change the due date or the role of the
ticked assignments or of every one the filters match, or remove those without updates. Each
refusal is said per row (stale, a due date before the event, updates recorded), the others are
changed, with their audit entries; the cost does not grow with the number of rows."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import ActorGroup
from recommendations import bulk, workflow
from recommendations.filters import AssignmentFilterSet
from recommendations.models import Assignment, Recommendation
from tests.factories import report
from tests.test_progress_tallies import counted, per_group_agrees, whole
from webhooks.models import Delivery, Endpoint, EventType

pytestmark = pytest.mark.django_db

BULK = reverse("coordinate-assignment-bulk")
NEW_DUE = datetime.date(2016, 12, 31)


@pytest.fixture
def signed_in(client, coordinator):
    """A coordinator, and steps 1 to 4 assigned to every country of the region (step 1 already is)."""
    client.force_login(coordinator)
    region = ActorGroup.objects.get(slug="central-south-asia")
    for number in (2, 3, 4):
        recommendation = Recommendation.objects.get(code=f"CSACVE-2015-{number}")
        workflow.assign_to_group(recommendation=recommendation, group=region, by=coordinator)
    return client


def send(client, action, rows=(), query="", **fields):
    """Post the bulk form as the browser does: every field, the ticked rows and their versions."""
    data = {"scope": "selected", "due_date": "", "role": "lead", "action": action, **fields}
    data["selected"] = [str(row.pk) for row in rows]
    data.update({f"version-{row.pk}": str(row.version) for row in rows})
    return client.post(f"{BULK}{query}", data)


def step_rows(code="CSACVE-2015-1"):
    return list(Assignment.objects.filter(recommendation__code=code).select_related("actor").order_by("pk"))


def test_the_list_offers_the_bulk_form_to_coordinators_only(client, coordinator, viewer, focal_kz):
    for user in (None, viewer, focal_kz, coordinator):
        client.logout()
        if user:
            client.force_login(user)
        html = client.get("/assignments/?country=KZ").content.decode()
        assert ('form="bulk-form"' in html) == (user is coordinator)
        assert (f'action="{BULK}?country=KZ#form-errors"' in html) == (user is coordinator)


def test_the_ticked_assignments_get_the_new_due_date_the_others_keep_theirs(signed_in):
    first, second, *others = step_rows()
    before = {a.pk: a.due_date for a in others}

    response = send(signed_in, "due_date", [first, second], due_date="2016-12-31")

    assert response.status_code == 200
    assert "Changed the due date of 2 assignments." in response.content.decode()
    for assignment in (first, second):
        assignment.refresh_from_db()
        assert (assignment.due_date, assignment.own_due_date, assignment.version) == (NEW_DUE, True, 2)
        entry = LogEntry.objects.get_for_object(assignment).latest("timestamp")
        assert entry.actor.username == "coordinator" and "due_date" in entry.changes_dict
    assert {a.pk: a.due_date for a in Assignment.objects.filter(pk__in=before)} == before


def test_every_assignment_the_filters_match_gets_the_new_role(signed_in):
    matching = AssignmentFilterSet({"country": "KZ"}, queryset=Assignment.objects.all()).qs  # its bodies too
    count = matching.count()
    assert count > 1

    response = send(signed_in, "role", query="?country=KZ", scope="matching", role="supporting")

    assert f"Changed the role of {count} assignments." in response.content.decode()
    assert set(matching.values_list("role", flat=True)) == {"supporting"}
    assert not Assignment.objects.exclude(pk__in=matching).filter(role="supporting").exists()


def test_each_refusal_is_said_per_row_and_the_others_are_changed(signed_in, coordinator):
    stale, fine, *_ = step_rows()
    shown = [Assignment.objects.get(pk=stale.pk), fine]  # as the list showed them
    workflow.change_assignment(assignment=stale, by=coordinator, expected_version=stale.version, note="Meanwhile")

    response = send(signed_in, "due_date", shown, due_date="2016-12-31")

    html = response.content.decode()
    assert "Changed the due date of 1 assignment." in html and "1 was refused." in html
    assert "Someone else changed this assignment while you were editing it." in html
    stale.refresh_from_db()
    assert stale.due_date != NEW_DUE and stale.note == "Meanwhile"

    # A date before the event is refused for each row it concerns, nothing else changes.
    fine.refresh_from_db()
    response = send(signed_in, "due_date", [fine], due_date="2014-01-01")
    assert "The due date cannot be before the event began" in response.content.decode()
    fine.refresh_from_db()
    assert fine.due_date == NEW_DUE


def test_removing_keeps_those_with_updates_and_says_so(signed_in, coordinator):
    reported, bare, *_ = step_rows("CSACVE-2015-3")
    report(reported, coordinator)

    response = send(signed_in, "remove", [reported, bare])

    html = response.content.decode()
    assert "Removed 1 assignment." in html
    assert f"{reported.actor} has status updates on this recommendation" in html
    assert Assignment.objects.filter(pk=reported.pk).exists() and not Assignment.objects.filter(pk=bare.pk).exists()
    entry = LogEntry.objects.get(object_pk=str(bare.pk), action=LogEntry.Action.DELETE)
    assert entry.actor == coordinator


def test_an_error_shows_the_form_again_with_what_was_typed(signed_in):
    response = send(signed_in, "due_date", query="?country=KZ", due_date="2016-12-31")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tick the assignments to change, or choose every assignment the filters match." in html
    assert 'value="2016-12-31"' in html and f'action="{BULK}?country=KZ#form-errors"' in html
    assert not Assignment.objects.filter(due_date=NEW_DUE).exists()


def test_following_the_recommendations_date_again(signed_in, coordinator):
    row = step_rows()[0]
    workflow.change_assignment(assignment=row, by=coordinator, expected_version=row.version, due_date=NEW_DUE)

    bulk.change_due_dates(assignments=Assignment.objects.filter(pk=row.pk), by=coordinator, due_date=None)

    row.refresh_from_db()
    assert (row.due_date, row.own_due_date) == (row.recommendation.due_date, False)


def _queries(client, rows):
    with CaptureQueriesContext(connection) as captured:
        assert send(client, "role", rows, role="supporting").status_code == 200
    return len(captured)


def test_the_cost_does_not_grow_with_the_rows(signed_in):
    rows = list(Assignment.objects.order_by("pk"))
    assert len(rows) >= 30
    assert _queries(signed_in, rows[:3]) == _queries(signed_in, rows[3:30])


def test_the_webhooks_are_told_of_each_row_changed_or_removed(signed_in, coordinator):
    Endpoint.objects.create(url="https://hooks.example.org/cve", event_types=list(EventType.values))
    first, second, third, *_ = step_rows("CSACVE-2015-2")

    send(signed_in, "role", [first, second], role="supporting")
    send(signed_in, "remove", [third])

    changed = Delivery.objects.filter(event_type=EventType.ASSIGNMENT_CHANGED)
    assert sorted((d.payload["data"]["id"], d.payload["data"]["role"]) for d in changed) == [
        (first.pk, "supporting"),
        (second.pk, "supporting"),
    ]
    removed = Delivery.objects.get(event_type=EventType.ASSIGNMENT_REMOVED)
    assert removed.payload["data"]["id"] == third.pk


def test_the_running_totals_follow_the_bulk_changes(signed_in, coordinator):
    """On PostgreSQL the figures come from running totals kept by triggers: after bulk statements they
    still equal those counted from the assignments (overdue included)."""
    query = f"?recommendation={step_rows()[0].recommendation_id}"
    send(signed_in, "due_date", query=query, scope="matching", due_date="2015-07-01")
    send(signed_in, "remove", step_rows("CSACVE-2015-4")[:3])

    assert whole() == counted() and per_group_agrees()
