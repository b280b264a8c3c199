"""System checks of the database: on PostgreSQL, the triggers the migrations created are still there.

They run with `manage.py check --database default` (Django runs database checks only when asked).
A trigger dropped or disabled by hand leaves the app running with wrong figures or a stale cache
(the running totals, the data version) or without the database's append-only guard. Also a check of
the settings: EVIDENCE_TYPES names kinds of file that recommendations.evidence knows.
"""

from django.conf import settings
from django.core import checks
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from recommendations.evidence import KINDS

# (table, trigger) created by each migration of this app (of another app: "app.migration"); the SQL is
# in the migration itself.
TRIGGERS = {
    "0004_statusupdate_append_only_trigger": [("recommendations_statusupdate", "statusupdate_append_only")],
    "0005_data_version": [
        ("cvetracker_data_change", "new_data_version"),
        ("events_actor", "note_data_change"),
        ("events_actor_focal_points", "note_data_change"),
        ("events_actorgroup", "note_data_change"),
        ("events_actorgroup_members", "note_data_change"),
        ("events_event", "note_data_change"),
        ("events_eventparticipation", "note_data_change"),
        ("events_sourcedocument", "note_data_change"),
        ("recommendations_theme", "note_data_change"),
        ("recommendations_recommendation", "note_data_change"),
        ("recommendations_recommendation_themes", "note_data_change"),
        ("recommendations_assignment", "note_data_change"),
        ("recommendations_statusupdate", "note_data_change"),
    ],
    "0008_data_version_users": [
        ("auth_user", "note_data_change"),
        ("auth_user_groups", "note_data_change"),
        ("auth_user_user_permissions", "note_data_change"),
        ("auth_group", "note_data_change"),
        ("auth_group_permissions", "note_data_change"),
    ],
    # 0019_data_version_ignores_sign_ins re-creates 0008's trigger on auth_user under the same name.
    "0009_assignment_tallies": [
        ("recommendations_assignment", "tally_insert"),
        ("recommendations_assignment", "tally_update"),
        ("recommendations_assignment", "tally_delete"),
        ("recommendations_assignment", "tally_truncate"),
    ],
    "0013_statusupdate_refuse_truncate": [("recommendations_statusupdate", "statusupdate_no_truncate")],
    # 0020 also re-creates 0009's triggers on the assignments, under the same names.
    "0020_tallies_per_event_and_actor": [("recommendations_recommendation", "tally_recommendation_moved")],
    "0021_evidence_files": [
        ("recommendations_evidencefile", "note_data_change"),
        ("recommendations_evidencefile", "evidencefile_append_only"),
        ("recommendations_evidencefile", "evidencefile_no_truncate"),
    ],
    "notifications.0002_follow_data_version": [("notifications_follow", "note_data_change")],
}


def _app_and_name(migration):
    app, _, name = migration.rpartition(".")
    return app or "recommendations", name


# Enabled triggers only: one switched off with ALTER TABLE … DISABLE TRIGGER is as good as missing.
PRESENT_SQL = "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"


@checks.register(checks.Tags.database)
def check_triggers(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        applied = set(MigrationRecorder(connection).applied_migrations())
        with connection.cursor() as cursor:
            cursor.execute(PRESENT_SQL)
            present = set(cursor.fetchall())
        for migration, triggers in TRIGGERS.items():
            app, migration_name = _app_and_name(migration)
            if (app, migration_name) not in applied:
                continue  # not created yet: `migrate` will
            errors.extend(
                checks.Error(
                    f"The trigger {name} on {table} is missing or disabled in the database {alias!r}.",
                    hint=f"Create it again with the SQL of {app}/migrations/{migration_name}.py.",
                    id="recommendations.E001",
                )
                for table, name in triggers
                if (table, name) not in present
            )
    return errors


@checks.register()
def check_evidence_types(app_configs=None, **kwargs):
    """settings.EVIDENCE_TYPES names kinds recommendations.evidence knows (a typo would refuse every file)."""
    unknown = [key for key in settings.EVIDENCE_TYPES if key not in KINDS]
    if not unknown:
        return []
    return [
        checks.Error(
            f"EVIDENCE_TYPES names unknown kinds of file: {', '.join(unknown)}.",
            hint=f"Choose among: {', '.join(KINDS)}.",
            id="recommendations.E002",
        )
    ]
