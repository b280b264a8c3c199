"""The data version (recommendations' migration 0005) also changes with the follows: the event,
actor and recommendation pages, which the read cache keeps, show a signed-in reader's follow button
in its state. (The notifications need none: only the notifications page shows them, and it is not
cached.)"""

from django.db import migrations

CREATE = """
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON notifications_follow
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
"""
DROP = "DROP TRIGGER note_data_change ON notifications_follow;"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("recommendations", "0005_data_version"),
    ]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
