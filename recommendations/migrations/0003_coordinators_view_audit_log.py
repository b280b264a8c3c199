"""Coordinators read the audit trail (recommendations.permissions.can_view_history).

History, like 0002: recommendations/roles.py declares the roles now."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the grant needs this one now.
    auditlog_app = apps.get_app_config("auditlog")
    auditlog_app.models_module = True
    create_permissions(auditlog_app, verbosity=0)
    auditlog_app.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_log = Permission.objects.get(content_type__app_label="auditlog", codename="view_logentry")
    Group.objects.get(name="Coordinators").permissions.add(view_log)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_log = Permission.objects.filter(content_type__app_label="auditlog", codename="view_logentry").first()
    if view_log:
        Group.objects.get(name="Coordinators").permissions.remove(view_log)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0002_roles"),
        ("auditlog", "0017_add_actor_email"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
