"""The data version (migration 0005) also changes with the users, their groups and permissions:
cached pages show who is signed in, who wrote what, and what each role may do."""

from django.db import migrations

TABLES = [
    "auth_user",
    "auth_user_groups",
    "auth_user_user_permissions",
    "auth_group",
    "auth_group_permissions",
]

NOTE_CHANGES = """
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
"""
DROP = "DROP TRIGGER note_data_change ON {table};"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in TABLES:
                schema_editor.execute(sql.format(table=table), params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("recommendations", "0007_assignment_status_recommendation_index"),
    ]
    operations = [migrations.RunPython(_on_postgresql(NOTE_CHANGES), _on_postgresql(DROP))]
