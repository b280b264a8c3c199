"""Running totals per event and per actor beside those of the whole database (migration 0009).

A page of events or actors, a scorecard and an event's page would otherwise count every assignment
of their groups on every request: 500 an event, 7,500 for a country and its bodies at L. The two
tally tables of migration 0009 get a `scope` and a `key`: scope '' (key 0) is the whole database
as before, 'event' an event (through the assignment's recommendation), 'actor' an actor's own
assignments (a country's bodies are added up where they are read).

The same statement-level triggers on the assignments keep all three, in the same transaction as
the change; a trigger on the recommendations moves the counts of a recommendation given another
event. Within a statement the sums are upserted in key order, so writers of one statement lock
shared rows in the same order. Open is status NOT IN ('implemented', 'not_applicable'), as in
migration 0009 (recommendations.choices.CLOSED_STATUSES; tests/test_progress_tallies.py fails when
they disagree).
"""

from importlib import import_module

from django.db import migrations

CREATE = """
DROP TRIGGER tally_insert ON recommendations_assignment; DROP FUNCTION cvetracker_tally_insert();
DROP TRIGGER tally_update ON recommendations_assignment; DROP FUNCTION cvetracker_tally_update();
DROP TRIGGER tally_delete ON recommendations_assignment; DROP FUNCTION cvetracker_tally_delete();
DROP TABLE cvetracker_status_tally;
DROP TABLE cvetracker_open_due_tally;

CREATE TABLE cvetracker_status_tally (
    scope varchar(8) NOT NULL, key bigint NOT NULL, status varchar(32) NOT NULL, n bigint NOT NULL,
    PRIMARY KEY (scope, key, status)
);
CREATE TABLE cvetracker_open_due_tally (
    scope varchar(8) NOT NULL, key bigint NOT NULL, due_date date NOT NULL, n bigint NOT NULL,
    PRIMARY KEY (scope, key, due_date)
);

-- Adds changes (+1 for a row now there, -1 for one no longer there, in each of its scopes) to the
-- totals. Each trigger below gathers its statement's changes and calls it once.
CREATE FUNCTION cvetracker_tally_add(scopes varchar[], keys bigint[], statuses varchar[], dues date[], ds int[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO cvetracker_status_tally AS t (scope, key, status, n)
        SELECT scope, key, status, sum(d) FROM unnest(scopes, keys, statuses, dues, ds) c(scope, key, status, due_date, d)
        GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (scope, key, status) DO UPDATE SET n = t.n + excluded.n;
    INSERT INTO cvetracker_open_due_tally AS t (scope, key, due_date, n)
        SELECT scope, key, due_date, sum(d) FROM unnest(scopes, keys, statuses, dues, ds) c(scope, key, status, due_date, d)
        WHERE due_date IS NOT NULL AND status NOT IN ('implemented', 'not_applicable')
        GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (scope, key, due_date) DO UPDATE SET n = t.n + excluded.n;
$$;

CREATE FUNCTION cvetracker_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cvetracker_tally_add(array_agg(scope), array_agg(key), array_agg(status), array_agg(due_date), array_agg(d))
        FROM (
        WITH c AS (SELECT status, due_date, actor_id, recommendation_id, 1 AS d FROM new_rows)
        SELECT '' AS scope, 0::bigint AS key, status, due_date, d FROM c
        UNION ALL SELECT 'event', r.event_id, c.status, c.due_date, c.d
            FROM c JOIN recommendations_recommendation r ON r.id = c.recommendation_id
        UNION ALL SELECT 'actor', c.actor_id, c.status, c.due_date, c.d FROM c
        ) scoped;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_insert AFTER INSERT ON recommendations_assignment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_insert();

CREATE FUNCTION cvetracker_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cvetracker_tally_add(array_agg(scope), array_agg(key), array_agg(status), array_agg(due_date), array_agg(d))
        FROM (
        WITH c AS (SELECT status, due_date, actor_id, recommendation_id, 1 AS d FROM new_rows
            UNION ALL SELECT status, due_date, actor_id, recommendation_id, -1 FROM old_rows)
        SELECT '' AS scope, 0::bigint AS key, status, due_date, d FROM c
        UNION ALL SELECT 'event', r.event_id, c.status, c.due_date, c.d
            FROM c JOIN recommendations_recommendation r ON r.id = c.recommendation_id
        UNION ALL SELECT 'actor', c.actor_id, c.status, c.due_date, c.d FROM c
        ) scoped;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_update AFTER UPDATE ON recommendations_assignment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_update();

CREATE FUNCTION cvetracker_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cvetracker_tally_add(array_agg(scope), array_agg(key), array_agg(status), array_agg(due_date), array_agg(d))
        FROM (
        WITH c AS (SELECT status, due_date, actor_id, recommendation_id, -1 AS d FROM old_rows)
        SELECT '' AS scope, 0::bigint AS key, status, due_date, d FROM c
        UNION ALL SELECT 'event', r.event_id, c.status, c.due_date, c.d
            FROM c JOIN recommendations_recommendation r ON r.id = c.recommendation_id
        UNION ALL SELECT 'actor', c.actor_id, c.status, c.due_date, c.d FROM c
        ) scoped;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_delete AFTER DELETE ON recommendations_assignment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_delete();

-- A recommendation given another event takes its assignments' counts with it.
CREATE FUNCTION cvetracker_tally_recommendation_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cvetracker_tally_add(array_agg(scope), array_agg(key), array_agg(status), array_agg(due_date), array_agg(d))
        FROM (
        WITH moved AS (
            SELECT o.id, o.event_id AS old_event, n.event_id AS new_event
            FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.event_id <> o.event_id
        )
        SELECT 'event' AS scope, m.new_event AS key, a.status, a.due_date, 1 AS d
            FROM moved m JOIN recommendations_assignment a ON a.recommendation_id = m.id
        UNION ALL SELECT 'event', m.old_event, a.status, a.due_date, -1
            FROM moved m JOIN recommendations_assignment a ON a.recommendation_id = m.id
        ) scoped;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_recommendation_moved AFTER UPDATE ON recommendations_recommendation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION cvetracker_tally_recommendation_moved();

INSERT INTO cvetracker_status_tally (scope, key, status, n)
    SELECT '', 0, status, count(*) FROM recommendations_assignment GROUP BY 3
    UNION ALL SELECT 'event', r.event_id, a.status, count(*)
        FROM recommendations_assignment a JOIN recommendations_recommendation r ON r.id = a.recommendation_id GROUP BY 2, 3
    UNION ALL SELECT 'actor', actor_id, status, count(*) FROM recommendations_assignment GROUP BY 2, 3;
INSERT INTO cvetracker_open_due_tally (scope, key, due_date, n)
    SELECT scope, key, due_date, count(*) FROM (
        SELECT '' AS scope, 0::bigint AS key, a.due_date FROM recommendations_assignment a
            WHERE a.due_date IS NOT NULL AND a.status NOT IN ('implemented', 'not_applicable')
        UNION ALL SELECT 'event', r.event_id, a.due_date
            FROM recommendations_assignment a JOIN recommendations_recommendation r ON r.id = a.recommendation_id
            WHERE a.due_date IS NOT NULL AND a.status NOT IN ('implemented', 'not_applicable')
        UNION ALL SELECT 'actor', a.actor_id, a.due_date FROM recommendations_assignment a
            WHERE a.due_date IS NOT NULL AND a.status NOT IN ('implemented', 'not_applicable')
    ) open GROUP BY 1, 2, 3;
"""

DROP = """
DROP TRIGGER tally_recommendation_moved ON recommendations_recommendation;
DROP FUNCTION cvetracker_tally_recommendation_moved();
DROP TRIGGER tally_insert ON recommendations_assignment; DROP FUNCTION cvetracker_tally_insert();
DROP TRIGGER tally_update ON recommendations_assignment; DROP FUNCTION cvetracker_tally_update();
DROP TRIGGER tally_delete ON recommendations_assignment; DROP FUNCTION cvetracker_tally_delete();
DROP FUNCTION cvetracker_tally_add(varchar[], bigint[], varchar[], date[], int[]);
DROP TRIGGER tally_truncate ON recommendations_assignment; DROP FUNCTION cvetracker_tally_truncate();
DROP TABLE cvetracker_status_tally;
DROP TABLE cvetracker_open_due_tally;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    """Back to migration 0009's tables and triggers, rebuilt from the assignments."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)
        schema_editor.execute(import_module("recommendations.migrations.0009_assignment_tallies").CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0019_data_version_ignores_sign_ins")]
    operations = [migrations.RunPython(forwards, backwards)]
