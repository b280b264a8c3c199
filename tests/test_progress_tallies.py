"""The figures of the whole database, of each event and of each actor come from running totals on
PostgreSQL (migrations 0009 and 0020): after every kind of change they must equal the figures
counted from the assignments."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.fields import ProgressSerializer
from events.models import Actor, ActorGroup, Event
from recommendations import workflow
from recommendations.choices import Status, UpdateKind
from recommendations.models import Assignment, Recommendation
from recommendations.reads import progress
from security.management.commands.flush import emptying_database
from tests.factories import assignment, report
from tests.helpers import postgresql_only

pytestmark = pytest.mark.django_db

on_postgresql = postgresql_only("the running totals are PostgreSQL triggers; SQLite counts directly")


def read_totals(queries):
    return any("cvetracker_status_tally" in query["sql"] for query in queries.captured_queries)


def counted():
    """The figures counted from the assignments: `summary` counts whatever queryset it is given."""
    with CaptureQueriesContext(connection) as queries:
        figures = progress.summary(Assignment.objects.all())
    assert not read_totals(queries)
    return figures


def whole():
    with CaptureQueriesContext(connection) as queries:
        figures = progress.summary_of_all()
    assert read_totals(queries) == (connection.vendor == "postgresql")
    assert len(queries) == 1
    return figures


def per_group_agrees():
    """Each event's and each actor's figures from `figures_per` (the totals on PostgreSQL) are those counted."""
    events, actors = list(Event.objects.values_list("pk", flat=True)), list(Actor.objects.values_list("pk", flat=True))
    for by, keys, field in [("event", events, "recommendation__event"), ("actor", actors, "actor")]:
        tallied = progress.figures_per(by, keys)
        assert tallied == {key: progress.summary(Assignment.objects.filter(**{field: key})) for key in keys}, by
    return True


def test_the_whole_database_figures_equal_the_counted_ones_after_every_kind_of_change(coordinator):
    assert whole() == counted() and per_group_agrees()

    kz, kg = assignment("CSACVE-2015-1", "KZ", None), assignment("CSACVE-2015-1", "KG", None)
    report(kz, coordinator, Status.IN_PROGRESS)
    report(kg, coordinator, Status.IMPLEMENTED, evidence_url="https://example.org/report")
    assert whole() == counted() and per_group_agrees()

    # A correction brings an assignment back to an earlier status; an assessment changes nothing counted.
    mistaken = report(kz, coordinator, Status.STALLED, datetime.date(2016, 2, 1))
    report(kz, coordinator, Status.NOT_APPLICABLE, datetime.date(2016, 2, 1), corrects=mistaken)
    report(kg, coordinator, Status.STALLED, kind=UpdateKind.ASSESSMENT)
    assert whole() == counted() and per_group_agrees()

    # Due dates move an open assignment in or out of "overdue"; new and removed assignments count.
    kz.refresh_from_db()
    soon = datetime.date.today() + datetime.timedelta(30)
    workflow.change_assignment(assignment=kz, by=coordinator, expected_version=kz.version, due_date=soon)
    step = Recommendation.objects.get(code="CSACVE-2015-2")
    workflow.assign_to_group(recommendation=step, group=ActorGroup.objects.get(), by=coordinator)
    removed = Assignment.objects.filter(recommendation=step).first()
    workflow.unassign(assignment=removed, by=coordinator, expected_version=removed.version)
    figures = whole()
    assert figures == counted() and per_group_agrees()
    assert figures["overdue"] > 0 and figures[Status.NOT_APPLICABLE] == 1

    # A recommendation given to another event takes its assignments' figures there.
    other = Event.objects.exclude(pk=step.event_id).first()
    moved = Recommendation.objects.filter(pk=step.pk).update(event=other, sequence=99)
    assert moved == 1 and per_group_agrees()
    assert (
        progress.figures_per("event", [other.pk])[other.pk]["total"]
        >= Assignment.objects.filter(recommendation=step).count()
        > 0
    )


@on_postgresql
def test_bulk_writes_of_the_synthetic_data_set_keep_the_totals(documents):
    tiny = ["--events", "3", "--recommendations", "12", "--actors", "15", "--assignments", "60", "--updates", "400"]
    call_command("generate_synthetic", *tiny, stdout=io.StringIO())
    assert whole() == counted() and per_group_agrees()
    assert whole()["total"] == Assignment.objects.count() > 60

    call_command("generate_synthetic", "--clear", stdout=io.StringIO())
    assert whole() == counted() and per_group_agrees()
    assert not Event.objects.filter(dataset="synthetic").exists()


@on_postgresql
def test_a_truncated_table_leaves_no_totals_behind(documents):
    # TRUNCATE reaches the append-only status updates: only a whole-database flush may (migration 0013).
    with emptying_database(connection), connection.cursor() as cursor:
        cursor.execute("TRUNCATE recommendations_assignment CASCADE")
    figures = whole()
    assert figures == counted()
    assert figures["total"] == 0


def test_the_progress_api_reads_the_totals_only_when_no_filter_is_given(client, coordinator):
    report(assignment("CSACVE-2015-1", "KZ", None), coordinator, Status.IN_PROGRESS)
    for url, totals in [
        ("/api/progress/", True),
        ("/api/progress/?ordering=due_date&country=", True),  # an empty filter narrows nothing
        ("/api/progress/?country=KZ", False),
        ("/api/progress/?status=no_report", False),
        ("/api/progress/?as_of=2016-01-01", False),  # a past date is rebuilt from the updates
        ("/api/progress/?by=actor", True),  # a row per actor, from its own totals
        ("/api/progress/?by=event&as_of=2016-01-01", False),
    ]:
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url)
        assert answer.status_code == 200, url
        assert read_totals(queries) == (totals and connection.vendor == "postgresql"), url
    assert client.get("/api/progress/").json()["summary"] == ProgressSerializer(counted()).data
    for by in progress.TALLIED:
        rows = client.get(f"/api/progress/?by={by}").json()["breakdown"]
        figures = ("key", "label", "total", "in_progress", "overdue", "share_implemented")
        expected = progress.breakdown(Assignment.objects.all(), by)
        assert [[row[f] for f in figures] for row in rows] == [[row[f] for f in figures] for row in expected]
