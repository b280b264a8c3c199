"""The data version on PostgreSQL: a token that changes with any change to the tracker's data.

recommendations/cache.py caches figures and counts under it. Any statement that writes to a
table of the events or recommendations apps — through the ORM, a bulk operation, raw SQL, COPY
or TRUNCATE — notes its transaction in cvetracker_data_change; a deferred trigger then gives
cvetracker_data_version a new random token once, as the transaction commits. Taking the
version row's lock only at commit, after every other lock, means it cannot be part of a deadlock.

PostgreSQL only (13 or newer, for pg_current_xact_id): without the table, nothing is cached.
"""

from django.db import migrations

TABLES = [
    "events_actor",
    "events_actor_focal_points",
    "events_actorgroup",
    "events_actorgroup_members",
    "events_event",
    "events_eventparticipation",
    "events_sourcedocument",
    "recommendations_theme",
    "recommendations_recommendation",
    "recommendations_recommendation_themes",
    "recommendations_assignment",
    "recommendations_statusupdate",
]

CREATE = """
CREATE TABLE cvetracker_data_version (id smallint PRIMARY KEY CHECK (id = 1), token uuid NOT NULL);
INSERT INTO cvetracker_data_version VALUES (1, gen_random_uuid());
CREATE TABLE cvetracker_data_change (xid xid8 PRIMARY KEY);

CREATE FUNCTION cvetracker_note_data_change() RETURNS trigger AS $$
BEGIN
    INSERT INTO cvetracker_data_change VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION cvetracker_new_data_version() RETURNS trigger AS $$
BEGIN
    UPDATE cvetracker_data_version SET token = gen_random_uuid();
    DELETE FROM cvetracker_data_change WHERE xid = NEW.xid;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER new_data_version AFTER INSERT ON cvetracker_data_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cvetracker_new_data_version();
"""
NOTE_CHANGES = """
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
"""
DROP = """
DROP TABLE cvetracker_data_change;
DROP TABLE cvetracker_data_version;
DROP FUNCTION cvetracker_note_data_change() CASCADE;
DROP FUNCTION cvetracker_new_data_version();
"""


def _on_postgresql(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("recommendations", "0004_statusupdate_append_only_trigger"),
    ]
    operations = [
        migrations.RunPython(
            _on_postgresql(CREATE, *(NOTE_CHANGES.format(table=table) for table in TABLES)), _on_postgresql(DROP)
        )
    ]
