"""The roles of the brief as groups with permissions, as first created.

History: recommendations/roles.py now declares the roles, and gives the groups exactly its
permissions after every migrate, whatever this migration and 0003 set.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGED = {
    "events": ["event", "eventparticipation", "sourcedocument", "actor", "actorgroup"],
    "recommendations": ["theme", "recommendation", "assignment"],
}
ALL_MODELS = {**MANAGED, "recommendations": [*MANAGED["recommendations"], "statusupdate"]}


def _perms(Permission, actions, models_by_app):
    codenames = [f"{action}_{model}" for models in models_by_app.values() for model in models for action in actions]
    return list(Permission.objects.filter(content_type__app_label__in=models_by_app, codename__in=codenames))


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_all = _perms(Permission, ["view"], ALL_MODELS)
    add_update = Permission.objects.get(content_type__app_label="recommendations", codename="add_statusupdate")
    report_any = Permission.objects.get(content_type__app_label="recommendations", codename="report_any_assignment")

    viewers, _ = Group.objects.get_or_create(name="Viewers")
    viewers.permissions.set(view_all)
    focal_points, _ = Group.objects.get_or_create(name="Focal points")
    focal_points.permissions.set([*view_all, add_update])
    coordinators, _ = Group.objects.get_or_create(name="Coordinators")
    coordinators.permissions.set(
        [*view_all, *_perms(Permission, ["add", "change", "delete"], MANAGED), add_update, report_any]
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Viewers", "Focal points", "Coordinators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_initial"),
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
