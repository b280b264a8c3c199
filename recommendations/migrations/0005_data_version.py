"""The data version on PostgreSQL: a token that changes with any change to the tracker's data.

cvetracker/read_cache.py caches read answers under it. Any statement that writes to a
table of the events or recommendations apps — through the ORM, a bulk operation, raw SQL, COPY
or TRUNCATE — notes its transaction in cvetracker_data_change; a deferred trigger then gives
cvetracker_data_version a new random token once, as the transaction commits. Taking the
version row's lock only at commit, after every other lock, means it cannot be part of a deadlock.

PostgreSQL only (13 or newer, for pg_current_xact_id): without the table, nothing is cached.
"""

from django.db import migrations

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

-- Every table of the events and recommendations apps.
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events_actor
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events_actor_focal_points
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events_actorgroup
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events_actorgroup_members
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events_event
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events_eventparticipation
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events_sourcedocument
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recommendations_theme
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recommendations_recommendation
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recommendations_recommendation_themes
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recommendations_assignment
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recommendations_statusupdate
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();
"""
DROP = """
DROP TABLE cvetracker_data_change;
DROP TABLE cvetracker_data_version;
DROP FUNCTION cvetracker_note_data_change() CASCADE;
DROP FUNCTION cvetracker_new_data_version();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("recommendations", "0004_statusupdate_append_only_trigger"),
    ]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
