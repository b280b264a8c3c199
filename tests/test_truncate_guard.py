"""On PostgreSQL, TRUNCATE cannot empty the append-only status updates (migration 0013), except
`manage.py flush`, which empties the whole database and says so to the trigger."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from events.models import Event
from recommendations.models import Assignment, StatusUpdate
from tests.factories import assignment, report
from tests.helpers import postgresql_only

pytestmark = [
    pytest.mark.django_db,
    postgresql_only("TRUNCATE and its trigger are PostgreSQL's (migration 0013)"),
]


def _tables_referencing(*models):
    """Every table with a foreign key to one of `models`, theirs included: a TRUNCATE without CASCADE
    must name them all (a new table referencing the assignments, such as the reminders', joins here)."""
    tables = {model._meta.db_table for model in models}
    for model in models:
        tables |= {relation.related_model._meta.db_table for relation in model._meta.related_objects}
    return ", ".join(sorted(tables))


@pytest.fixture
def update(coordinator, focal_kz):
    made = report(assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz, "in_progress")
    # Check the deferred foreign keys now: PostgreSQL truncates no table with checks still pending.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return made


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE recommendations_statusupdate CASCADE",
        "TRUNCATE recommendations_assignment CASCADE",  # reaches the updates through their foreign key
        "TRUNCATE recommendations_evidencefile",  # the updates' files, part of their record (migration 0021)
        f"TRUNCATE {_tables_referencing(StatusUpdate, Assignment)}",  # every table they reach, named
    ],
)
def test_truncate_is_refused(update, sql):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)

    assert StatusUpdate.objects.filter(pk=update.pk).exists()


def test_flush_empties_the_whole_database_and_leaves_the_guard_on(update):
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)

    assert not (StatusUpdate.objects.exists() or Assignment.objects.exists() or Event.objects.exists())
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE recommendations_statusupdate CASCADE")
