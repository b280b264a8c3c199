"""On PostgreSQL the database itself keeps status updates append-only.

StatusUpdate.save()/delete() and its QuerySet refuse in Python; this trigger also refuses raw
SQL, other clients and any code path that bypasses the model. Two exceptions, both leaving a
report's content untouched: deleting a user sets `author` to NULL (on_delete=SET_NULL), and
synthetic benchmark rows (dataset 'synthetic', never real reports) may be cleared.

PostgreSQL only: on SQLite Django's test runner empties tables with DELETE, which a trigger
would refuse; there the model and QuerySet guards are the protection.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION recommendations_statusupdate_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.dataset = 'synthetic' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'Status updates are append-only and cannot be deleted (id %).', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.author_id IS NULL AND (to_jsonb(NEW) - 'author_id') = (to_jsonb(OLD) - 'author_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Status updates are append-only: record a correction instead (id %).', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER statusupdate_append_only
    BEFORE UPDATE OR DELETE ON recommendations_statusupdate
    FOR EACH ROW EXECUTE FUNCTION recommendations_statusupdate_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS statusupdate_append_only ON recommendations_statusupdate;
DROP FUNCTION IF EXISTS recommendations_statusupdate_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no parameters: "%" is PL/pgSQL's, not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_coordinators_view_audit_log")]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
