"""Evidence files of status updates (recommendations/evidence.py), part of the update's record.

On PostgreSQL, as for the status updates: the data-version trigger (as 0005), a row trigger that
refuses UPDATE and DELETE (as 0004: the model and its QuerySet refuse them in Python) and one that
refuses TRUNCATE except from `manage.py flush`, which empties the whole database (as 0013).
"""

import django.db.models.deletion
from django.db import migrations, models

import recommendations.evidence

CREATE = """
CREATE TRIGGER note_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recommendations_evidencefile
    FOR EACH STATEMENT EXECUTE FUNCTION cvetracker_note_data_change();

CREATE FUNCTION recommendations_evidencefile_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Evidence files are append-only, part of their status update (id %).', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER evidencefile_append_only
    BEFORE UPDATE OR DELETE ON recommendations_evidencefile
    FOR EACH ROW EXECUTE FUNCTION recommendations_evidencefile_append_only();

CREATE FUNCTION recommendations_evidencefile_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('cvetracker.emptying_database', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Evidence files are append-only and cannot be truncated (only manage.py flush, which empties the whole database, may).'
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER evidencefile_no_truncate
    BEFORE TRUNCATE ON recommendations_evidencefile
    FOR EACH STATEMENT EXECUTE FUNCTION recommendations_evidencefile_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS evidencefile_no_truncate ON recommendations_evidencefile;
DROP FUNCTION IF EXISTS recommendations_evidencefile_no_truncate();
DROP TRIGGER IF EXISTS evidencefile_append_only ON recommendations_evidencefile;
DROP FUNCTION IF EXISTS recommendations_evidencefile_append_only();
DROP TRIGGER IF EXISTS note_data_change ON recommendations_evidencefile;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no parameters: "%" is PL/pgSQL's, not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0020_tallies_per_event_and_actor")]

    operations = [
        migrations.CreateModel(
            name="EvidenceFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    models.FileField(
                        max_length=200, storage=recommendations.evidence.storage, upload_to="", verbose_name="file"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The file's name as it was uploaded.", max_length=150, verbose_name="name"
                    ),
                ),
                (
                    "content_type",
                    models.CharField(
                        help_text="What its content was found to be.", max_length=100, verbose_name="content type"
                    ),
                ),
                ("size", models.PositiveBigIntegerField(help_text="In bytes.", verbose_name="size")),
                (
                    "sha256",
                    models.CharField(help_text="A digest of its content.", max_length=64, verbose_name="SHA-256"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "update",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="files",
                        to="recommendations.statusupdate",
                        verbose_name="status update",
                    ),
                ),
            ],
            options={
                "verbose_name": "evidence file",
                "verbose_name_plural": "evidence files",
                "ordering": ["update", "pk"],
            },
        ),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
