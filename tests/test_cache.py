"""What is cached under the data version is never stale, nor shown to the wrong person
(cvetracker/read_cache.py, recommendations migrations 0005, 0008 and 0019).

The data version lives in triggers on PostgreSQL, so most of these tests commit for real
(transaction=True) and run there only; on SQLite nothing is cached, which the last test checks.
"""

import datetime

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from cvetracker import read_cache
from recommendations.models import Assignment
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import postgresql_only

on_postgresql = postgresql_only("the data version is kept by PostgreSQL triggers; SQLite caches nothing")
# Real commits, so the triggers run; the roles' groups (migration data) are restored afterwards.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def token():
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM cvetracker_data_version")
        return cursor.fetchone()[0]


def get(client, url, **headers):
    """(the answer, the number of queries it took)"""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response, len(captured)


@on_postgresql
def test_every_table_of_the_tracker_and_its_users_changes_the_version(db):
    tables = {
        model._meta.db_table
        for label in ("events", "recommendations", "auth")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed  # the running totals change only with the assignments, which are watched
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'note_data_change'")
        watched = {row[0] for row in cursor.fetchall()}
    assert tables - {"auth_permission"} <= watched  # permissions are code, created by migrations


@on_postgresql
@committing
def test_the_version_changes_when_a_change_commits_and_only_then(documents):
    before = token()
    with transaction.atomic():
        Assignment.objects.update(note="Changed in bulk, without signals.")
        assert token() == before, "a new token is given at commit"
        assert read_cache._RequestVersion().token is None, "a transaction with its own changes caches nothing"
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
def test_cached_figures_and_counts_follow_every_change(client, coordinator):
    first, cold = get(client, "/api/progress/?country=KZ")
    again, warm = get(client, "/api/progress/?country=KZ")
    assert again.json() == first.json() and warm < cold

    target = factories.assignment("CSACVE-2015-2", "KZ", coordinator)
    factories.report(target, coordinator, "stalled", datetime.date(2016, 1, 15))
    after, queries = get(client, "/api/progress/?country=KZ")
    assert queries == cold, "computed again"
    before, now = first.json()["summary"], after.json()["summary"]
    assert (now["total"], now["stalled"]) == (before["total"] + 1, before["stalled"] + 1)

    with connection.cursor() as cursor:  # behind the ORM's back: the trigger still sees it
        cursor.execute("UPDATE recommendations_assignment SET due_date = NULL")
    assert get(client, "/api/progress/?country=KZ")[0].json()["summary"]["overdue"] == 0 != now["overdue"]
    assert get(client, "/api/assignments/?country=KZ")[0].json()["count"] == now["total"]


@on_postgresql
@committing
def test_a_cached_page_is_the_page_and_follows_changes(client, coordinator):
    url = "/assignments/?country=KZ"
    first, cold = get(client, url)
    again, warm = get(client, url)
    assert again.content == first.content
    assert warm <= 2, "a cached page costs the data version and nothing else"
    factories.assignment("CSACVE-2015-2", "KZ", coordinator)
    changed, _ = get(client, url)
    assert b"CSACVE-2015-2" in changed.content and b"CSACVE-2015-2" not in first.content


@on_postgresql
@committing
def test_nobody_is_served_what_was_cached_for_someone_else(client, coordinator):
    target = factories.assignment("CSACVE-2015-1", "KZ", coordinator)
    factories.report(target, coordinator, internal_note="For signed-in users only.")
    recommendation = f"/recommendations/{target.recommendation_id}/"
    key = Token.objects.create(user=coordinator).key

    signed_in = client.get("/api/status-updates/?country=KZ", HTTP_AUTHORIZATION=f"Token {key}").json()
    assert signed_in["results"][0]["internal_note"] == "For signed-in users only."
    assert client.get("/api/status-updates/?country=KZ").json()["results"][0]["internal_note"] is None

    assert client.login(username=coordinator.username, password=PASSWORD)
    assert b"For signed-in users only." in get(client, recommendation)[0].content
    client.logout()
    assert b"For signed-in users only." not in get(client, recommendation)[0].content


@on_postgresql
@committing
def test_a_page_with_a_message_is_neither_cached_nor_served_from_the_cache(client, coordinator):
    get(client, "/")
    assert client.login(username=coordinator.username, password=PASSWORD)
    after_logout = client.post("/accounts/logout/", follow=True)
    assert b"You have logged out." in after_logout.content
    assert b"You have logged out." not in get(client, "/")[0].content, "shown once"


def test_nothing_is_cached_outside_a_read_request(rf, documents):
    # No request served through the middleware (a command, a test calling a view): no key, no cache.
    assert read_cache._answer_key(rf.get("/api/progress/")) is None


@on_postgresql
@committing
def test_a_page_cached_in_one_language_is_not_served_in_another(client, coordinator):
    """Labels are translated as a page renders, so a page cached in Russian must not serve English."""
    url = "/assignments/?country=KZ"
    get(client, url)
    assert get(client, url)[1] <= 2, "cached"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    assert get(client, url)[1] > 2, "not the English page"
    assert get(client, url)[1] <= 2, "cached in Russian too"


@on_postgresql
@committing
def test_a_sign_in_changes_nothing_cached_but_a_change_to_a_user_does(client, coordinator):
    before = token()
    assert client.login(username=coordinator.username, password=PASSWORD)  # last_login, a session
    credentials = {"username": coordinator.username, "password": PASSWORD}
    assert client.post("/api/auth/token/", credentials, content_type="application/json").status_code == 200
    client.login(username=coordinator.username, password="wrong")  # a failed attempt, counted for the lockout
    coordinator.set_password(PASSWORD)  # as Django does when it upgrades a hash at sign-in
    coordinator.save(update_fields=["password"])
    coordinator.refresh_from_db()
    assert coordinator.last_login is not None
    assert token() == before, "sign-ins, sessions, tokens and lockout counters are not what answers show"
    coordinator.first_name = "Renamed"
    coordinator.save(update_fields=["first_name"])
    assert token() != before, "a name is shown beside what its user wrote"
