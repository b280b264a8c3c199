"""The documents' fixture for tests: `loaddata` once per test process, then the same rows again from
memory, a bulk insert per table (loaddata saves 121 objects one by one, about a quarter of a
second, and most tests start from the documents).

The rows kept are those loaddata wrote: the fixture's objects, their many-to-many rows and the
audit entries those wrote. Tables the database's triggers keep (the running totals) are filled by
the same triggers again."""

import copy
import json

from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

FIXTURE = settings.BASE_DIR / "fixtures" / "documents.json"
_tables = None  # [(model, rows)] in the order loaddata wrote them


def load_documents():
    global _tables
    if _tables is None:
        _tables = _load_and_keep()
    else:
        for model, rows in _tables:
            model._base_manager.bulk_create([copy.copy(row) for row in rows])
        models = [model for model, _ in _tables]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        connection.check_constraints()  # as loaddata ends: PostgreSQL's deferred checks run now, not at a TRUNCATE


def _load_and_keep():
    last_entry = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call_command("loaddata", "documents", verbosity=0)
    pks = {}
    for obj in json.loads(FIXTURE.read_text()):
        pks.setdefault(apps.get_model(obj["model"]), []).append(obj["pk"])
    tables = []
    for model, ids in pks.items():
        tables.append((model, list(model._base_manager.filter(pk__in=ids).order_by("pk"))))
    for model, ids in pks.items():
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue  # a model of its own, in the fixture
            owner = field.m2m_field_name()
            tables.append((through, list(through.objects.filter(**{f"{owner}__in": ids}).order_by("pk"))))
    tables.append((LogEntry, list(LogEntry.objects.filter(pk__gt=last_entry).order_by("pk"))))
    return tables
