"""Backup and restore (docs/operations.md) as round trips: back up, restore into an empty database,
find the same content (counts and checksums of every model's key fields, tests/fingerprint.py)."""

import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from psycopg import sql
from rest_framework.authtoken.models import Token

from tests.admin_forms import form_data
from tests.factories import assignment, pdf, report
from tests.fingerprint import fingerprint
from tests.helpers import postgresql_only


def _run(*args, database_url):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result


def _fingerprint_of(database_url):
    result = _run("-m", "tests.fingerprint", database_url=database_url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def _url(settings_dict, name):
    user, password = settings_dict["USER"], settings_dict["PASSWORD"]
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}/{name}"


@contextmanager
def _empty_database(tmp_path):
    """The DATABASE_URL of a new, empty database of the suite's kind."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restored"
    server = psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with server:
        server.execute(drop)
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield _url(settings_dict, name)
        finally:
            server.execute(drop)


@pytest.fixture
def records(client, documents, evidence_storage):
    """The documents, the demo data (its users too), an evidence file (its row: the files themselves are
    backed up with their folder, docs/operations.md), an API token and audit entries of an admin change."""
    call_command("load_demo", verbosity=0)
    coordinator = get_user_model().objects.get(username="coordinator")
    report(assignment("CSACVE-2015-1", "KZ", coordinator), coordinator, "implemented", files=(pdf(),))
    Token.objects.create(user=coordinator)
    event_url = reverse("admin:events_event_change", args=[1])
    client.force_login(coordinator)
    assert client.post(event_url, form_data(client.get(event_url), place="Astana, Kazakhstan")).status_code == 302


@pytest.mark.django_db
def test_a_backup_restores_into_an_empty_database_with_the_same_content(records, tmp_path):
    backup = tmp_path / "cvetracker.json.gz"
    call_command("backup", str(backup), verbosity=0)
    expected = fingerprint()

    with _empty_database(tmp_path) as restored:
        assert _run("manage.py", "migrate", "--noinput", database_url=restored).returncode == 0
        restore = _run("manage.py", "restore", str(backup), database_url=restored)
        found = _fingerprint_of(restored)
        again = _run("manage.py", "restore", str(backup), database_url=restored)
        new_row = _run("manage.py", "shell", "--no-imports", "-c", NEW_ACTOR, database_url=restored)

    assert restore.returncode == 0, restore.stderr
    assert found == expected
    assert expected["recommendations.StatusUpdate"][0] > 0 and expected["auditlog.LogEntry"][0] > 0
    assert expected["recommendations.EvidenceFile"][0] == 1
    assert again.returncode != 0 and "already holds records" in again.stderr
    assert new_row.returncode == 0, new_row.stderr  # ids continue after the restored ones


NEW_ACTOR = "from events.models import Actor; Actor.objects.create(name='Restored OK', kind='ngo')"

needs_postgresql = postgresql_only("pg_dump and pg_restore are for PostgreSQL databases")


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # pg_dump sees committed rows only
def test_pg_dump_restores_into_an_empty_database_with_the_same_content(records, tmp_path):
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is not installed: install the PostgreSQL client tools (postgresql-client).")
    dump = tmp_path / "cvetracker.dump"
    source = _url(connection.settings_dict, connection.settings_dict["NAME"])
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True, timeout=300)
    expected = fingerprint()

    with _empty_database(tmp_path) as restored:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)], check=True, timeout=300)
        found = _fingerprint_of(restored)

    assert found == expected


def test_the_sqlite_online_backup_copies_the_embedded_database(tmp_path):
    if not shutil.which("sqlite3"):
        pytest.fail("The sqlite3 command-line shell is not installed (apt-get install sqlite3).")
    live, copy = tmp_path / "db.sqlite3", tmp_path / "backup.sqlite3"
    live_url = f"sqlite:///{live}"
    for command in (["migrate", "--noinput"], ["load_demo"]):
        assert _run("manage.py", *command, database_url=live_url).returncode == 0

    subprocess.run(["sqlite3", str(live), f".backup '{copy}'"], check=True, timeout=60)

    expected = _fingerprint_of(live_url)
    assert expected["recommendations.StatusUpdate"][0] > 0
    assert _fingerprint_of(f"sqlite:///{copy}") == expected
