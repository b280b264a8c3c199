"""Concurrent writers: nothing is lost, the current status ends equal to the latest update, and
two coordinators editing one assignment cannot silently overwrite each other."""

import json
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from recommendations import workflow
from recommendations.models import Assignment
from tests.admin_forms import form_data
from tests.factories import assignment
from tests.helpers import postgresql_only
from tests.writers import record_concurrently

WRITERS = 20

needs_postgresql = postgresql_only(
    "needs PostgreSQL: threads cannot wait for a lock in the suite's in-memory SQLite database; "
    "test_concurrent_writers_wait_their_turn_on_a_sqlite_file covers SQLite",
)
# Threads need their own connections to committed data: a transactional test. Its flush at the end
# would also empty what migrations wrote (the roles), so serialized_rollback restores that.
threads = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@needs_postgresql
@threads
def test_concurrent_status_updates_on_one_assignment_are_all_kept_on_postgresql(coordinator, focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)

    outcome = record_concurrently(target, [coordinator, focal_kz], WRITERS)

    assert outcome.errors == []
    target.refresh_from_db()
    latest = workflow.latest_update(target)
    assert target.updates.count() == WRITERS
    assert (target.status, target.status_date, target.last_update_id) == (latest.status, latest.date, latest.pk)
    print(f"{WRITERS} writers on PostgreSQL: slowest write {max(outcome.seconds):.3f} s (waiting for the row lock)")


def test_concurrent_writers_wait_their_turn_on_a_sqlite_file(tmp_path):
    # `make demo`'s embedded SQLite lets one writer at a time in. settings.py opens every transaction
    # with BEGIN IMMEDIATE (the write lock is taken at the start, so no reader has to upgrade later
    # and fail at once with SQLITE_BUSY), waits up to 20 s for the lock, and uses WAL so readers go on.
    # With Django's default deferred transactions most of these writers fail with "database is locked".
    # A file database in a fresh process, because the suite's SQLite database is shared in memory.
    result = subprocess.run(
        [sys.executable, "-m", "tests.writers", str(tmp_path / "demo.sqlite3"), str(WRITERS)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])

    assert (outcome["vendor"], outcome["journal_mode"]) == ("sqlite", "wal")
    assert outcome["errors"] == []
    assert outcome["kept"] == WRITERS
    assert outcome["status"] == outcome["latest_status"] and outcome["last_update_is_latest"]
    print(f"{WRITERS} writers on a SQLite file: slowest write {outcome['slowest_write_seconds']} s")


@pytest.mark.django_db
def test_the_second_of_two_coordinators_editing_in_the_admin_is_refused(client, coordinator, superuser):
    target = assignment("CSACVE-2015-1", "KG", coordinator)
    url = reverse("admin:recommendations_assignment_change", args=[target.pk])
    other = client.__class__()
    client.force_login(coordinator)
    other.force_login(superuser)
    first_form, second_form = form_data(client.get(url)), form_data(other.get(url))  # both open the form

    first = client.post(url, {**first_form, "note": "Deadline moved by the ministry"})
    second = other.post(url, {**second_form, "note": "Lead role handed to the parliament"})

    assert first.status_code == 302
    assert second.status_code == 200 and "Someone else changed" in str(second.context["adminform"].form.errors)
    target.refresh_from_db()
    assert target.note == "Deadline moved by the ministry"


@pytest.mark.django_db
def test_the_second_of_two_coordinators_patching_through_the_api_gets_409(client, coordinator, superuser):
    target = assignment("CSACVE-2015-1", "KG", coordinator)
    url = f"/api/assignments/{target.pk}/"
    other = client.__class__()
    client.force_login(coordinator)
    other.force_login(superuser)
    read = client.get(url).json()["version"]

    first = client.patch(url, {"note": "Deadline moved", "version": read}, content_type="application/json")
    second = other.patch(url, {"note": "Handed over", "version": read}, content_type="application/json")

    assert first.status_code == 200
    assert second.status_code == 409 and "Someone else changed" in second.json()["detail"]
    assert Assignment.objects.get(pk=target.pk).note == "Deadline moved"


@needs_postgresql
@threads
def test_two_coordinators_saving_at_the_same_moment_cannot_both_win(coordinator, superuser):
    target = assignment("CSACVE-2015-1", "KG", coordinator)
    read = target.version
    start_together = threading.Barrier(2)
    results = {}

    def save(user, note):
        start_together.wait()
        try:
            workflow.change_assignment(assignment=target, by=user, expected_version=read, note=note)
            results[note] = "saved"
        except Exception as error:  # noqa: BLE001 - the refusal is what is expected of one of them
            results[note] = getattr(error, "code", repr(error))
        finally:
            connection.close()

    savers = [threading.Thread(target=save, args=pair) for pair in [(coordinator, "A"), (superuser, "B")]]
    for saver in savers:
        saver.start()
    for saver in savers:
        saver.join()

    assert sorted(results.values()) == ["saved", "stale"]
    target.refresh_from_db()
    assert target.note == next(note for note, result in results.items() if result == "saved")
    assert target.version == read + 1
