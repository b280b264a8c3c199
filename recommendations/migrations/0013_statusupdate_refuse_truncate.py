"""On PostgreSQL, TRUNCATE reaches the status updates too (directly, or through CASCADE from the
assignments) and fires no row trigger: migration 0004's append-only trigger never sees it. This
statement-level trigger refuses it.

One path may empty the table: emptying the whole database, as `manage.py flush` does (and Django's
test runner through it, between transactional tests). That command declares it by setting
`cvetracker.emptying_database` to `on` for its session, then resets it (security's flush command);
docs/operations.md says so. Anything else that truncates the status updates is refused.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION recommendations_statusupdate_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('cvetracker.emptying_database', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Status updates are append-only and cannot be truncated (only manage.py flush, which empties the whole database, may).'
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER statusupdate_no_truncate
    BEFORE TRUNCATE ON recommendations_statusupdate
    FOR EACH STATEMENT EXECUTE FUNCTION recommendations_statusupdate_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS statusupdate_no_truncate ON recommendations_statusupdate;
DROP FUNCTION IF EXISTS recommendations_statusupdate_no_truncate();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0012_assignment_own_due_date")]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
