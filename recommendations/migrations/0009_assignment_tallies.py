"""Running totals of all assignments, kept by PostgreSQL in the same transaction as each change.

The figures of the whole database (the dashboard's headline, `/api/progress/` unfiltered) would
otherwise count every assignment on every request. Two small tables hold the totals instead:

- `cvetracker_status_tally`: assignments per current status ('' = no report yet);
- `cvetracker_open_due_tally`: open assignments (neither implemented nor not applicable) per due
  date, so that "overdue on any day" is a sum over dates before it.

Statement-level triggers with transition tables add the difference of each INSERT, UPDATE, DELETE
or COPY, and TRUNCATE empties them. The sums are upserted in key order, so two writers lock
shared rows in the same order. `recommendations.progress` reads them; a test compares them with
the assignments after every kind of change. On SQLite (the demo) the figures are counted directly.
"""

from django.db import migrations

# recommendations.choices.CLOSED_STATUSES as this migration was written (the test of the tallies
# fails if the two part).
OPEN = "status NOT IN ('implemented', 'not_applicable')"

CREATE = f"""
CREATE TABLE cvetracker_status_tally (status varchar(32) PRIMARY KEY, n bigint NOT NULL);
CREATE TABLE cvetracker_open_due_tally (due_date date PRIMARY KEY, n bigint NOT NULL);

CREATE FUNCTION cvetracker_tally_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM cvetracker_status_tally;
        DELETE FROM cvetracker_open_due_tally;
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        changes := 'SELECT status, due_date, 1 AS d FROM new_rows';
    ELSIF TG_OP = 'DELETE' THEN
        changes := 'SELECT status, due_date, -1 AS d FROM old_rows';
    ELSE
        changes := 'SELECT status, due_date, 1 AS d FROM new_rows '
                   'UNION ALL SELECT status, due_date, -1 FROM old_rows';
    END IF;
    EXECUTE format(
        'INSERT INTO cvetracker_status_tally AS t (status, n) '
        'SELECT coalesce(status, %L), sum(d) FROM (%s) c GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1 '
        'ON CONFLICT (status) DO UPDATE SET n = t.n + excluded.n', '', changes);
    EXECUTE format(
        'INSERT INTO cvetracker_open_due_tally AS t (due_date, n) '
        'SELECT due_date, sum(d) FROM (%s) c WHERE due_date IS NOT NULL AND {OPEN.replace("'", "''")} '
        'GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1 '
        'ON CONFLICT (due_date) DO UPDATE SET n = t.n + excluded.n', changes);
    RETURN NULL;
END $$;

CREATE TRIGGER tally_insert AFTER INSERT ON recommendations_assignment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_assignments();
CREATE TRIGGER tally_update AFTER UPDATE ON recommendations_assignment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_assignments();
CREATE TRIGGER tally_delete AFTER DELETE ON recommendations_assignment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_assignments();
CREATE TRIGGER tally_truncate AFTER TRUNCATE ON recommendations_assignment
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_assignments();

INSERT INTO cvetracker_status_tally (status, n)
    SELECT coalesce(status, ''), count(*) FROM recommendations_assignment GROUP BY 1;
INSERT INTO cvetracker_open_due_tally (due_date, n)
    SELECT due_date, count(*) FROM recommendations_assignment
    WHERE due_date IS NOT NULL AND {OPEN} GROUP BY 1;
"""

DROP = """
DROP TRIGGER tally_insert ON recommendations_assignment;
DROP TRIGGER tally_update ON recommendations_assignment;
DROP TRIGGER tally_delete ON recommendations_assignment;
DROP TRIGGER tally_truncate ON recommendations_assignment;
DROP FUNCTION cvetracker_tally_assignments();
DROP TABLE cvetracker_status_tally;
DROP TABLE cvetracker_open_due_tally;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0008_data_version_users")]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
