"""Running totals of all assignments, kept by PostgreSQL in the same transaction as each change.

The figures of the whole database (the dashboard's headline, `/api/progress/` unfiltered) would
otherwise count every assignment on every request. Two small tables hold the totals instead:

- `cvetracker_status_tally`: assignments per current status ('' = no report yet);
- `cvetracker_open_due_tally`: open assignments (neither implemented nor not applicable) per due
  date, so that "overdue on any day" is a sum over the dates before it.

Statement-level triggers with transition tables add the difference of each INSERT, UPDATE, DELETE
or COPY, and TRUNCATE empties them. Within a statement the sums are upserted in key order, so two
one-statement writers lock shared rows in the same order. `recommendations.reads.progress` reads them;
a test compares them with the assignments after every kind of change. On SQLite (the demo) the
figures are counted directly.
"""

from django.db import migrations

# "Open" below is status NOT IN ('implemented', 'not_applicable'): recommendations.choices.CLOSED_STATUSES
# as this migration was written. Changing that set needs a
# migration that replaces the functions and rebuilds the totals (tests/test_progress_tallies.py
# fails until then).
#
# One function per operation, each with static statements (PostgreSQL plans them once per
# connection). Each reads its operation's rows, with +1 for a row that is now there and -1 for one
# that no longer is.
CREATE = """
CREATE TABLE cvetracker_status_tally (status varchar(32) PRIMARY KEY, n bigint NOT NULL);
CREATE TABLE cvetracker_open_due_tally (due_date date PRIMARY KEY, n bigint NOT NULL);

CREATE FUNCTION cvetracker_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cvetracker_status_tally;
    DELETE FROM cvetracker_open_due_tally;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_truncate AFTER TRUNCATE ON recommendations_assignment
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_truncate();

CREATE FUNCTION cvetracker_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cvetracker_status_tally AS t (status, n)
        SELECT status, sum(d) FROM (SELECT status, due_date, 1 AS d FROM new_rows) c GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
        ON CONFLICT (status) DO UPDATE SET n = t.n + excluded.n;
    INSERT INTO cvetracker_open_due_tally AS t (due_date, n)
        SELECT due_date, sum(d) FROM (SELECT status, due_date, 1 AS d FROM new_rows) c WHERE due_date IS NOT NULL AND status NOT IN ('implemented', 'not_applicable')
        GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
        ON CONFLICT (due_date) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_insert AFTER INSERT ON recommendations_assignment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_insert();

CREATE FUNCTION cvetracker_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cvetracker_status_tally AS t (status, n)
        SELECT status, sum(d) FROM (SELECT status, due_date, 1 AS d FROM new_rows UNION ALL SELECT status, due_date, -1 FROM old_rows) c GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
        ON CONFLICT (status) DO UPDATE SET n = t.n + excluded.n;
    INSERT INTO cvetracker_open_due_tally AS t (due_date, n)
        SELECT due_date, sum(d) FROM (SELECT status, due_date, 1 AS d FROM new_rows UNION ALL SELECT status, due_date, -1 FROM old_rows) c WHERE due_date IS NOT NULL AND status NOT IN ('implemented', 'not_applicable')
        GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
        ON CONFLICT (due_date) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_update AFTER UPDATE ON recommendations_assignment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_update();

CREATE FUNCTION cvetracker_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cvetracker_status_tally AS t (status, n)
        SELECT status, sum(d) FROM (SELECT status, due_date, -1 AS d FROM old_rows) c GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
        ON CONFLICT (status) DO UPDATE SET n = t.n + excluded.n;
    INSERT INTO cvetracker_open_due_tally AS t (due_date, n)
        SELECT due_date, sum(d) FROM (SELECT status, due_date, -1 AS d FROM old_rows) c WHERE due_date IS NOT NULL AND status NOT IN ('implemented', 'not_applicable')
        GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
        ON CONFLICT (due_date) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_delete AFTER DELETE ON recommendations_assignment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_delete();

INSERT INTO cvetracker_status_tally (status, n)
    SELECT status, count(*) FROM recommendations_assignment GROUP BY 1;
INSERT INTO cvetracker_open_due_tally (due_date, n)
    SELECT due_date, count(*) FROM recommendations_assignment WHERE due_date IS NOT NULL AND status NOT IN ('implemented', 'not_applicable') GROUP BY 1;
"""

DROP = """
DROP TABLE cvetracker_status_tally;
DROP TABLE cvetracker_open_due_tally;
DROP TRIGGER tally_insert ON recommendations_assignment; DROP FUNCTION cvetracker_tally_insert();
DROP TRIGGER tally_update ON recommendations_assignment; DROP FUNCTION cvetracker_tally_update();
DROP TRIGGER tally_delete ON recommendations_assignment; DROP FUNCTION cvetracker_tally_delete();
DROP TRIGGER tally_truncate ON recommendations_assignment; DROP FUNCTION cvetracker_tally_truncate();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0008_data_version_users")]
    operations = [migrations.RunPython(create, drop)]
