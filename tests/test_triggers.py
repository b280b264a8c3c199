"""`manage.py check --database default` names an expected trigger that is missing (recommendations/checks.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from recommendations.checks import PRESENT_SQL, TRIGGERS
from tests.helpers import postgresql_only

pytestmark = pytest.mark.django_db


def present_triggers():
    with connection.cursor() as cursor:
        cursor.execute(PRESENT_SQL)
        return set(cursor.fetchall())


def test_a_migrated_database_passes_the_check():
    call_command("check", "--database", "default")


on_postgresql = postgresql_only("the triggers exist on PostgreSQL only")


@on_postgresql
def test_the_expected_triggers_are_exactly_those_the_migrations_created():
    # A new trigger must be listed in recommendations.checks.TRIGGERS, or the check would not watch it.
    assert present_triggers() == {trigger for triggers in TRIGGERS.values() for trigger in triggers}


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "DROP TRIGGER tally_update ON recommendations_assignment",
        "ALTER TABLE recommendations_assignment DISABLE TRIGGER tally_update",
    ],
    ids=["dropped", "disabled"],
)
def test_the_check_names_a_missing_trigger(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)  # undone with the test's transaction
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", "--database", "default")
    message = str(refused.value)
    assert "recommendations.E001" in message
    assert "tally_update on recommendations_assignment" in message
    assert "0009_assignment_tallies.py" in message
    assert message.count("recommendations.E001") == 1  # only the one that is gone
