"""Who reported an update: the actor's own focal point (a self-report) or a coordinator on its behalf.

recommendations.workflow.reported_by decides it once, as the update is recorded; the pages, the API
and the CSV show what it stored.
"""

import csv
import importlib
import io
import types

import pytest
from django.apps import apps as django_apps
from django.db import connection

from recommendations.choices import ReportedBy, UpdateKind
from recommendations.models import StatusUpdate
from tests.factories import assignment, report

pytestmark = pytest.mark.django_db

ON_BEHALF = "Report recorded by a coordinator on the actor&#x27;s behalf"


@pytest.fixture
def kz(coordinator):
    return assignment("CSACVE-2015-1", "KZ", coordinator)


@pytest.mark.parametrize(
    "author, kind, reported_by",
    [
        ("focal_kz", UpdateKind.REPORT, ReportedBy.FOCAL_POINT),
        ("coordinator", UpdateKind.REPORT, ReportedBy.COORDINATOR),
        ("coordinator_for_kz", UpdateKind.REPORT, ReportedBy.FOCAL_POINT),  # a coordinator who is also its focal point
        ("coordinator", UpdateKind.ASSESSMENT, ReportedBy.COORDINATOR),
    ],
)
def test_the_workflow_stores_who_reported(request, kz, author, kind, reported_by):
    if author == "coordinator_for_kz":
        user = request.getfixturevalue("coordinator")
        kz.actor.focal_points.add(user)
    else:
        user = request.getfixturevalue(author)

    assert report(kz, user, kind=kind).reported_by == reported_by


def test_it_stays_what_it_was_when_focal_points_change(kz, focal_kz):
    update = report(kz, focal_kz)
    kz.actor.focal_points.remove(focal_kz)

    assert StatusUpdate.objects.get(pk=update.pk).reported_by == ReportedBy.FOCAL_POINT


def test_the_pages_say_when_a_coordinator_reported_for_the_country(client, kz, coordinator, focal_kz):
    report(kz, coordinator)
    timeline = client.get(kz.get_absolute_url()).text
    printed = client.get(f"/events/{kz.recommendation.event_id}/report/").text

    assert ON_BEHALF in timeline and "Self-report" not in timeline
    assert "A coordinator, on the actor&#x27;s behalf" in timeline  # the current status card
    assert "recorded by a coordinator" in printed

    report(kz, focal_kz)
    assert "Self-report" in client.get(kz.get_absolute_url()).text


def test_the_api_and_the_csv_say_who_reported(api, kz, coordinator, focal_kz):
    report(kz, focal_kz)
    report(kz, coordinator, status="stalled")

    listed = api().get("/api/status-updates/?country=KZ").json()["results"]
    exported = api().get("/api/status-updates/?country=KZ&format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    current = api().get(f"/api/assignments/{kz.pk}/").json()["last_update"]

    assert [row["reported_by"] for row in listed] == ["coordinator", "focal_point"]
    assert [row["reported_by"] for row in rows] == ["coordinator", "focal_point"]
    assert current["reported_by"] == "coordinator"


def test_the_migration_works_out_who_reported_the_updates_already_there(kz, coordinator, focal_kz):
    migration = importlib.import_module("recommendations.migrations.0010_read_rules_and_who_reported")
    own, on_behalf = report(kz, focal_kz), report(kz, coordinator)
    editor = types.SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    # As the column was added: every row with its default.
    if connection.vendor == "postgresql":
        editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a migration has no pending checks of new rows
        editor.execute(f"ALTER TABLE recommendations_statusupdate DISABLE TRIGGER {migration.TRIGGER}")
    StatusUpdate._base_manager.update(reported_by=ReportedBy.COORDINATOR)
    if connection.vendor == "postgresql":
        editor.execute(f"ALTER TABLE recommendations_statusupdate ENABLE TRIGGER {migration.TRIGGER}")

    migration.backfill_reported_by(django_apps, editor)

    assert StatusUpdate.objects.get(pk=own.pk).reported_by == ReportedBy.FOCAL_POINT
    assert StatusUpdate.objects.get(pk=on_behalf.pk).reported_by == ReportedBy.COORDINATOR
