"""Take users' personal details out of the audit trail recorded so far.

security.audit no longer logs a user's e-mail address or names and no entry copies its author's
e-mail address (security.middleware); this removes what earlier entries hold of them, so that the
trail's readers (coordinators) no longer see them. Irreversible by design.
"""

from django.db import migrations

PERSONAL = ("email", "first_name", "last_name")  # security.audit.USER_UNTRACKED, less what was never logged


def scrub(apps, schema_editor):
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry.objects.exclude(actor_email=None).update(actor_email=None)
    users = ContentType.objects.filter(app_label="auth", model="user").first()
    if users is None:
        return
    for entry in LogEntry.objects.filter(content_type=users).only("changes").iterator():
        if isinstance(entry.changes, dict) and any(name in entry.changes for name in PERSONAL):
            kept = {name: value for name, value in entry.changes.items() if name not in PERSONAL}
            LogEntry.objects.filter(pk=entry.pk).update(changes=kept, changes_text="")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0010_read_rules_and_who_reported"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
