"""Running totals of all assignments, kept by PostgreSQL in the same transaction as each change.

The figures of the whole database (the dashboard's headline, `/api/progress/` unfiltered) would
otherwise count every assignment on every request. Two small tables hold the totals instead:

- `cvetracker_status_tally`: assignments per current status ('' = no report yet);
- `cvetracker_open_due_tally`: open assignments (neither implemented nor not applicable) per due
  date, so that "overdue on any day" is a sum over the dates before it.

Statement-level triggers with transition tables add the difference of each INSERT, UPDATE, DELETE
or COPY, and TRUNCATE empties them. Within a statement the sums are upserted in key order, so two
one-statement writers lock shared rows in the same order. `recommendations.progress` reads them;
a test compares them with the assignments after every kind of change. On SQLite (the demo) the
figures are counted directly.
"""

from django.db import migrations

# recommendations.choices.CLOSED_STATUSES as this migration was written. Changing that set needs a
# migration that replaces the functions and rebuilds the totals (tests/test_progress_tallies.py
# fails until then).
OPEN = "status NOT IN ('implemented', 'not_applicable')"

# Each operation's rows, with +1 for a row that is now there and -1 for one that no longer is.
CHANGES = {
    "INSERT": ("NEW TABLE AS new_rows", "SELECT status, due_date, 1 AS d FROM new_rows"),
    "UPDATE": (
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT status, due_date, 1 AS d FROM new_rows UNION ALL SELECT status, due_date, -1 FROM old_rows",
    ),
    "DELETE": ("OLD TABLE AS old_rows", "SELECT status, due_date, -1 AS d FROM old_rows"),
}

# Static statements, one function per operation: PostgreSQL plans them once per connection.
ADD_CHANGES = """
CREATE FUNCTION cvetracker_tally_{operation}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cvetracker_status_tally AS t (status, n)
        SELECT status, sum(d) FROM ({changes}) c GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
        ON CONFLICT (status) DO UPDATE SET n = t.n + excluded.n;
    INSERT INTO cvetracker_open_due_tally AS t (due_date, n)
        SELECT due_date, sum(d) FROM ({changes}) c WHERE due_date IS NOT NULL AND {open}
        GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
        ON CONFLICT (due_date) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER tally_{operation} AFTER {operation} ON recommendations_assignment
    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_tally_{operation}();
"""

TRIGGERS = "".join(
    ADD_CHANGES.format(operation=operation, referencing=referencing, changes=changes, open=OPEN)
    for operation, (referencing, changes) in CHANGES.items()
)

# Only this module's constants are formatted in.
CREATE = f"""
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
{TRIGGERS}
INSERT INTO cvetracker_status_tally (status, n)
    SELECT status, count(*) FROM recommendations_assignment GROUP BY 1;
INSERT INTO cvetracker_open_due_tally (due_date, n)
    SELECT due_date, count(*) FROM recommendations_assignment WHERE due_date IS NOT NULL AND {OPEN} GROUP BY 1;
"""  # noqa: S608

DROP = """
DROP TABLE cvetracker_status_tally;
DROP TABLE cvetracker_open_due_tally;
""" + "".join(
    f"DROP TRIGGER tally_{operation} ON recommendations_assignment; DROP FUNCTION cvetracker_tally_{operation}();\n"
    for operation in [*CHANGES, "TRUNCATE"]
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0008_data_version_users")]
    operations = [migrations.RunPython(create, drop)]
