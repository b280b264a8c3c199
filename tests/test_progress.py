import datetime

import pytest

from recommendations.choices import NO_REPORT, Status
from recommendations.models import Assignment
from recommendations.reads import progress
from tests.factories import assignment, report

pytestmark = pytest.mark.django_db


def test_summary_counts_each_status_and_no_report(coordinator):
    report(assignment("CSACVE-2015-1", "KZ", None), coordinator, Status.IMPLEMENTED, evidence_url="https://e.org/1")
    report(assignment("CSACVE-2015-1", "KG", None), coordinator, Status.NOT_APPLICABLE)
    figures = progress.summary(Assignment.objects.all())
    assert figures["total"] == 10
    assert figures[Status.IMPLEMENTED] == 1
    assert figures[NO_REPORT] == 8
    # Step 1 was due on 29 September 2015: every open assignment is overdue.
    assert figures["overdue"] == 7
    assert figures["share_implemented"] == round(1 / 9, 4)


def test_breakdown_by_event_and_status(coordinator):
    report(assignment("CSACVE-2015-1", "KZ", None), coordinator, Status.STALLED)
    by_event = {row["label"]: row for row in progress.breakdown(Assignment.objects.all(), "event")}
    conference = by_event["Central and South Asian Regional Conference on Countering Violent Extremism"]
    assert (conference["total"], conference[Status.STALLED]) == (9, 1)
    by_status = {row["key"]: row["total"] for row in progress.breakdown(Assignment.objects.all(), "status")}
    assert by_status == {Status.STALLED: 1, NO_REPORT: 9}


def test_progress_as_of_a_past_date_is_rebuilt_from_dated_updates(coordinator):
    target = assignment("CSACVE-2015-1", "KZ", None)
    report(target, coordinator, Status.IN_PROGRESS, datetime.date(2015, 8, 1))
    report(target, coordinator, Status.IMPLEMENTED, datetime.date(2016, 1, 1), evidence_url="https://e.org/1")
    at = progress.summary(Assignment.objects.filter(pk=target.pk), as_of=datetime.date(2015, 12, 31))
    assert (at[Status.IN_PROGRESS], at[Status.IMPLEMENTED]) == (1, 0)
    before = progress.summary(Assignment.objects.filter(pk=target.pk), as_of=datetime.date(2015, 7, 1))
    assert before[NO_REPORT] == 1
    now = progress.summary(Assignment.objects.filter(pk=target.pk))
    assert now[Status.IMPLEMENTED] == 1


def test_summary_is_one_query(coordinator, django_assert_num_queries):
    with django_assert_num_queries(1):
        progress.summary(Assignment.objects.all())
    with django_assert_num_queries(1):
        progress.breakdown(Assignment.objects.all(), "theme", as_of=datetime.date(2016, 1, 1))
