"""Many writers recording status updates on one assignment at the same moment.

Each writer is a thread, and Django gives each thread its own database connection, so the
writers really compete in the database. tests/test_concurrency.py runs them in-process on
PostgreSQL, and as `python -m tests.writers DB_FILE COUNT` against a file-based SQLite
database (a fresh process, because the suite's own SQLite database is in memory).
"""

import datetime
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field

from django.db import connection

STATUSES = ["not_started", "in_progress", "partially_implemented", "implemented", "stalled"]
FIRST_DAY = datetime.date(2016, 1, 1)


@dataclass
class Outcome:
    errors: list = field(default_factory=list)
    seconds: list = field(default_factory=list)  # how long each write took, waiting included


def record_concurrently(assignment, authors, count):
    """Start `count` writers together; each records one update. Returns their errors and timings."""
    from recommendations import workflow

    outcome = Outcome()
    start_together = threading.Barrier(count)

    def write(number):
        try:
            start_together.wait()
            started = time.monotonic()
            workflow.record_status_update(
                workflow.Report(
                    assignment=assignment,
                    status=STATUSES[number % len(STATUSES)],
                    date=FIRST_DAY + datetime.timedelta(days=(number * 7) % count),  # dates in no particular order
                    author=authors[number % len(authors)],
                    note=f"Writer {number}",
                    evidence_url="https://example.org/evidence",
                )
            )
            outcome.seconds.append(time.monotonic() - started)
        except Exception as error:  # noqa: BLE001 - every failure is reported, none may happen
            outcome.errors.append(repr(error))
        finally:
            connection.close()  # each thread's own connection

    writers = [threading.Thread(target=write, args=(number,)) for number in range(count)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    return outcome


def _run_on_sqlite_file(db_file, count):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvetracker.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from recommendations import permissions, workflow
    from recommendations.models import Assignment

    call_command("migrate", verbosity=0)
    call_command("loaddata", "documents", verbosity=0)
    coordinator = get_user_model().objects.create_user("coordinator")
    coordinator.groups.add(Group.objects.get(name=permissions.COORDINATORS))
    target = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ")

    outcome = record_concurrently(target, [coordinator], count)

    target.refresh_from_db()
    latest = workflow.latest_update(target)
    return {
        "vendor": connection.vendor,
        "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
        "errors": outcome.errors,
        "kept": target.updates.count(),
        "status": target.status,
        "latest_status": latest.status,
        "last_update_is_latest": target.last_update_id == latest.pk,
        "slowest_write_seconds": round(max(outcome.seconds, default=0), 3),
    }


if __name__ == "__main__":
    print(json.dumps(_run_on_sqlite_file(sys.argv[1], int(sys.argv[2]))))
