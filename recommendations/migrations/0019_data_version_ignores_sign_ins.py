"""A sign-in changes nothing a read answer shows, so it no longer renews the data version.

Django records each sign-in in `auth_user.last_login`, and may rehash the password as it checks it;
with migration 0008's trigger every sign-in gave a new data version, so every cached answer was
thrown away. The trigger on `auth_user` now fires on updates of the other columns only (names,
roles, the active flag: what pages show or what decides who may read what). Sessions, API tokens,
login lockouts and rate-limit counters live in tables or caches without a trigger.
"""

from django.db import migrations

CREATE = """
DROP TRIGGER note_data_change ON auth_user;
CREATE TRIGGER note_data_change AFTER INSERT OR DELETE OR TRUNCATE
    OR UPDATE OF id, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined ON auth_user
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
"""
DROP = """
DROP TRIGGER note_data_change ON auth_user;
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON auth_user
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0018_content_translations")]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
