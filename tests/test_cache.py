"""Figures cached under the data version are never stale (recommendations/cache.py, migration 0005).

The data version lives in triggers on PostgreSQL, so most of these tests commit for real
(transaction=True) and run there only; on SQLite nothing is cached, which the last test checks.
"""

import datetime

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from recommendations import cache
from recommendations.models import Assignment
from tests import factories

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the data version is kept by PostgreSQL triggers; SQLite caches nothing"
)
# Real commits, so the triggers run; the roles' groups (migration data) are restored afterwards.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def token():
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM cvetracker_data_version")
        return cursor.fetchone()[0]


def summary(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.context["summary"]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@on_postgresql
def test_every_table_of_the_tracker_changes_the_version(db):
    tables = {
        model._meta.db_table
        for label in ("events", "recommendations")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'note_data_change'")
        watched = {row[0] for row in cursor.fetchall()}
    assert tables <= watched


@on_postgresql
@committing
def test_the_version_changes_when_a_change_commits_and_only_then(documents):
    before = token()
    with transaction.atomic():
        Assignment.objects.update(note="Changed in bulk, without signals.")
        assert token() == before, "a new token is given at commit"
        assert cache._RequestVersion().token is None, "a transaction with its own changes caches nothing"
    after_commit = token()
    assert after_commit != before
    with transaction.atomic():
        Assignment.objects.update(note="Rolled back.")
        transaction.set_rollback(True)
    assert token() == after_commit
    list(Assignment.objects.all())
    assert token() == after_commit, "reading changes nothing"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_event SET place = place")
    assert token() != after_commit, "raw SQL counts too"


@on_postgresql
@committing
def test_cached_figures_follow_every_change(client, coordinator):
    cold = queries(client, "/")
    warm = queries(client, "/")
    assert warm < cold, "the second request reads the cached figures"
    first = summary(client)
    target = factories.assignment("CSACVE-2015-2", "KZ", coordinator)
    assert queries(client, "/") == cold, "a change: the figures are computed again"
    assert queries(client, "/") == warm, "and cached again"

    factories.report(target, coordinator, "stalled", datetime.date(2016, 1, 15))
    after_report = summary(client)
    assert (after_report["total"], after_report["stalled"]) == (first["total"] + 1, first["stalled"] + 1)

    with connection.cursor() as cursor:  # behind the ORM's back: the trigger still sees it
        cursor.execute("UPDATE recommendations_assignment SET due_date = NULL")
    assert summary(client)["overdue"] == 0 != after_report["overdue"]


@on_postgresql
@committing
def test_list_counts_are_cached_and_follow_changes(client, coordinator):
    url = "/assignments/?country=KZ"
    cold, warm = queries(client, url), queries(client, url)
    assert warm < cold, "the count is read from the cache"
    first = client.get(url).context["paginator"].count
    factories.assignment("CSACVE-2015-2", "KZ", coordinator)
    assert client.get(url).context["paginator"].count == first + 1


def test_figures_outside_a_read_request_are_computed_every_time(documents):
    # No request (a command, the admin's writes): nothing is cached, whatever the database.
    assignments = Assignment.objects.all()
    with CaptureQueriesContext(connection) as captured:
        cache.remember("count", assignments, assignments.count)
        cache.remember("count", assignments, assignments.count)
    assert len(captured) == 2
