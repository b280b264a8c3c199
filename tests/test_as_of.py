"""Figures "as of" a past day count only what existed then: assignments of events begun by that day,
made by then (or reported on for a day by then), each with the status that stood on it."""

import datetime

import pytest
from django.core.management import call_command

from events.models import Event
from recommendations.models import Assignment
from recommendations.reads import progress
from tests.factories import assignment, report

pytestmark = pytest.mark.django_db


def _summary(api, day, **query):
    response = api().get("/api/progress/", {"as_of": day, **query})
    assert response.status_code == 200, response.content
    return response.json()


def test_before_any_event_nothing_is_counted(api, documents):
    call_command("load_demo", verbosity=0)
    assert Assignment.objects.count() > 20

    body = _summary(api, "2000-01-01")

    assert body["summary"]["total"] == 0
    assert body["summary"]["no_report"] == 0


def test_the_assignments_of_an_event_not_yet_held_are_left_out(api, documents):
    roundtable = Event.objects.get(code="CTRT-2016")
    before = _summary(api, "2016-02-28")["summary"]["total"]
    on_the_day = _summary(api, "2016-02-29")["summary"]["total"]

    assert on_the_day - before == Assignment.objects.filter(recommendation__event=roundtable).count() == 1


def test_an_assignment_counts_from_the_day_it_was_made(api, coordinator):
    made_today = assignment("CSACVE-2015-2", "KZ", coordinator)  # no report
    yesterday = (made_today.created_at - datetime.timedelta(days=1)).date()

    assert _summary(api, yesterday.isoformat(), recommendation=made_today.recommendation_id)["summary"]["total"] == 0
    today = made_today.created_at.date().isoformat()
    assert _summary(api, today, recommendation=made_today.recommendation_id)["summary"]["no_report"] == 1


def test_an_assignment_recorded_later_counts_from_its_first_dated_update(api, coordinator):
    target = assignment("CSACVE-2015-2", "KG", coordinator)  # made today, with a report from 2015
    report(target, coordinator, "in_progress", datetime.date(2015, 8, 1))
    scope = {"recommendation": target.recommendation_id}

    assert _summary(api, "2015-07-31", **scope)["summary"]["total"] == 0
    assert _summary(api, "2015-08-01", **scope)["summary"]["in_progress"] == 1


def test_a_paged_breakdown_as_of_a_day_lists_only_the_groups_that_existed(api, documents):
    body = _summary(api, "2015-12-31", by="event")

    assert [row["label"] for row in body["breakdown"]] == [Event.objects.get(code="CSACVE-2015").title]
    assert body["count"] == 1
    assert progress.groups(Assignment.objects.all(), "event", datetime.date(2015, 12, 31)).count() == 1
