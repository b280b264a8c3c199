"""Django's `flush`, declared to the status updates' TRUNCATE guard (migration 0013).

Emptying every table of the database is the one maintenance path that may empty the append-only
status updates; Django's test runner also flushes through this command between transactional tests.
The declaration is a PostgreSQL session setting, reset when the flush is over.
"""

from contextlib import contextmanager

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

SETTING = "cvetracker.emptying_database"


@contextmanager
def emptying_database(connection):
    """Let TRUNCATE reach the status updates on this connection while the block runs."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET {SETTING} = 'on'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {SETTING}")


class Command(flush.Command):
    def handle(self, **options):
        with emptying_database(connections[options.get("database", DEFAULT_DB_ALIAS)]):
            return super().handle(**options)
