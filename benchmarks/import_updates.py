"""How long importing 10,000 status-update rows takes, through the workflow's rules (issue 14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imports_bench .venv/bin/python benchmarks/import_updates.py

The database named by DATABASE_URL must have `bench` in its name: it is emptied (`flush`), migrated,
given the documents, the demo users and a synthetic data set with --assignments (default 10,000)
assignments. Then, in this process, through the API as a coordinator would (Django's test client:
the whole request, no server): the template of every assignment as XLSX, one row filled in per
assignment, uploaded with `dry_run` (the preview), uploaded (the commit: every row recorded, the
current statuses and the running totals kept by the workflow's bulk path), and uploaded again (a
no-op). Prints each step's time and checks what was written.
"""

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvetracker.settings")
os.environ.setdefault("API_THROTTLE_USER", "off")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=10_000, help="rows to import, one per assignment")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run (no flush)")
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit("Set DATABASE_URL to a PostgreSQL database with 'bench' in its name: it is emptied.")
    if not options.reuse:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_demo", verbosity=0)
        call_command(
            "generate_synthetic",
            events=10,
            recommendations=1_000,
            actors=100,
            assignments=options.assignments,
            updates=options.assignments,
            verbosity=0,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    measure(options.assignments)


def measure(count):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from openpyxl import load_workbook

    from recommendations.models import Assignment, StatusUpdate
    from recommendations.reads import progress

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="coordinator"))
    ids = list(Assignment.objects.filter(dataset="synthetic").order_by("pk").values_list("pk", flat=True)[:count])

    started = time.perf_counter()
    response = client.get("/api/imports/updates/template/", {"format": "xlsx", "dataset": "synthetic"})
    template = b"".join(response.streaming_content) if response.streaming else response.content
    timed = {"template (XLSX of every assignment)": time.perf_counter() - started}
    assert response.status_code == 200, response.content[:500]

    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    wanted = set(ids)
    date = datetime.date.today() - datetime.timedelta(days=1)
    note = f"Imported at {datetime.datetime.now():%H:%M:%S.%f}"  # new on every run, so --reuse records them again
    rows = 0
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("id")].value in wanted:
            row[headers.index("update_status")].value = "in_progress"
            row[headers.index("update_date")].value = date
            row[headers.index("update_note")].value = note
            rows += 1
    body = io.BytesIO()
    workbook.save(body)
    data = body.getvalue()
    updates_before = StatusUpdate.objects.count()

    for step, dry_run, expected in (
        ("preview (dry run)", True, 200),
        ("commit", False, 201),
        ("the same file again (no-op)", False, 201),
    ):
        file = io.BytesIO(data)
        file.name = "updates.xlsx"
        started = time.perf_counter()
        response = client.post("/api/imports/updates/", {"file": file, "dry_run": dry_run})
        timed[step] = time.perf_counter() - started
        assert response.status_code == expected, response.content[:2000]
        answer = response.json()
        created, left, refused = (len(answer[name]) for name in ("created", "left", "refused"))
        print(f"{step}: {created:,} created, {left:,} left, {refused} refused", flush=True)

    recorded = StatusUpdate.objects.count() - updates_before
    assert recorded == rows, (recorded, rows)
    current = Assignment.objects.filter(pk__in=ids, status="in_progress", last_update__note=note)
    assert current.count() == rows
    assert progress.summary_of_all() == progress.summary(Assignment.objects.all()), "running totals out of step"

    print(f"\n{rows:,} rows in a {len(data) / 2**20:.1f} MB XLSX file; {Assignment.objects.count():,} assignments")
    for step, seconds in timed.items():
        print(f"{step:40} {seconds:6.1f} s")
    print(f"load average: {'/'.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
