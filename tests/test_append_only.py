"""Status updates are append-only everywhere: model, QuerySet, admin, API, and on PostgreSQL the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cvetracker.datasets import Dataset
from recommendations.models import StatusUpdate
from tests.factories import assignment, report
from tests.helpers import postgresql_only

pytestmark = pytest.mark.django_db


@pytest.fixture
def update(coordinator, focal_kz):
    return report(assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz, "in_progress", note="Begun")


def _unchanged(update):
    stored = StatusUpdate.objects.get(pk=update.pk)
    return (stored.status, stored.note, stored.author_id) == (update.status, update.note, update.author_id)


@pytest.mark.parametrize(
    "attempt",
    [
        lambda u: u.save(),
        lambda u: u.delete(),
        lambda u: StatusUpdate.objects.filter(pk=u.pk).update(status="stalled"),
        lambda u: StatusUpdate.objects.filter(pk=u.pk).delete(),
        lambda u: StatusUpdate.objects.bulk_update([u], ["note"]),
        lambda u: u.assignment.updates.all().delete(),
    ],
    ids=["save", "delete", "queryset-update", "queryset-delete", "bulk-update", "related-delete"],
)
def test_python_refuses_to_change_or_delete_an_update(update, attempt):
    update.note = "Rewritten"
    with pytest.raises(ValidationError, match="append-only"), transaction.atomic():
        attempt(update)
    update.note = "Begun"
    assert _unchanged(update)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_api_answers_405_to_a_change_or_delete(client, update, coordinator, method):
    client.force_login(coordinator)
    response = getattr(client, method)(
        f"/api/status-updates/{update.pk}/", {"status": "stalled"}, content_type="application/json"
    )
    assert response.status_code == 405
    assert "append-only" in response.json()["detail"]
    assert _unchanged(update)


def test_the_admin_offers_no_change_or_delete(client, update, superuser):
    client.force_login(superuser)
    change = reverse("admin:recommendations_statusupdate_change", args=[update.pk])
    page = client.get(change)
    changelist = client.get(reverse("admin:recommendations_statusupdate_changelist"))

    assert page.status_code == 200 and b'name="status"' not in page.content  # shown read-only
    assert client.post(change, {"status": "stalled", "note": "Rewritten"}).status_code == 403
    assert client.post(reverse("admin:recommendations_statusupdate_delete", args=[update.pk])).status_code == 403
    assert b"delete_selected" not in changelist.content
    assert _unchanged(update)


needs_postgresql = postgresql_only(
    "the append-only trigger exists on PostgreSQL only (migration 0004); SQLite relies on the model guards",
)


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@needs_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE recommendations_statusupdate SET note = 'Rewritten' WHERE id = %s",
        "UPDATE recommendations_statusupdate SET author_id = NULL, status = 'stalled' WHERE id = %s",
        "DELETE FROM recommendations_statusupdate WHERE id = %s",
    ],
    ids=["update", "update-with-author", "delete"],
)
def test_postgresql_refuses_raw_sql_that_changes_or_deletes_an_update(update, sql):
    with pytest.raises(IntegrityError, match="append-only"):
        _raw(sql, [update.pk])
    assert _unchanged(update)


@needs_postgresql
def test_postgresql_lets_a_user_be_deleted_and_keeps_their_reports(update, focal_kz):
    focal_kz.delete()

    stored = StatusUpdate.objects.get(pk=update.pk)
    assert (stored.author_id, stored.note, stored.status) == (None, "Begun", "in_progress")


@needs_postgresql
def test_postgresql_lets_synthetic_benchmark_rows_be_cleared(coordinator):
    target = assignment("CSACVE-2015-1", "KG", coordinator)
    synthetic = report(target, coordinator, "in_progress", dataset=Dataset.SYNTHETIC)
    target.refresh_from_db()
    target.last_update = None  # what the synthetic generator's clear() removes first
    target.save(update_fields=["last_update"])

    _raw("DELETE FROM recommendations_statusupdate WHERE id = %s", [synthetic.pk])

    assert not StatusUpdate.objects.filter(pk=synthetic.pk).exists()
