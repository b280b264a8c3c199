"""The data version (migration 0005) also changes with the users, their groups and permissions:
cached pages show who is signed in, who wrote what, and what each role may do."""

from django.db import migrations

CREATE = """
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON auth_user
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON auth_user_groups
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON auth_user_user_permissions
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON auth_group
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON auth_group_permissions
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
"""
DROP = """
DROP TRIGGER note_data_change ON auth_user;
DROP TRIGGER note_data_change ON auth_user_groups;
DROP TRIGGER note_data_change ON auth_user_user_permissions;
DROP TRIGGER note_data_change ON auth_group;
DROP TRIGGER note_data_change ON auth_group_permissions;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("recommendations", "0007_assignment_status_recommendation_index"),
    ]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
