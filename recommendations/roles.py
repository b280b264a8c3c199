"""The roles of the brief: each group and the permissions it holds.

This mapping is the source of truth. After every `migrate` (and `flush`) `sync_roles` makes the
groups hold exactly these permissions, whatever migrations 0002 and 0003 or an admin did to them;
other groups are left alone. README's "Roles" tables say the same (tests/test_roles.py compares).
What each permission lets a user do is decided in recommendations/permissions.py.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from recommendations.permissions import (
    ADD_UPDATE,
    COORDINATORS,
    FOCAL_POINTS,
    MANAGE,
    READ_ALL_INTERNAL_NOTES,
    REPORT_ANY,
    VIEW_HISTORY,
    VIEWERS,
)

# What coordinators add, change and delete; everyone with a role reads these, the status updates and their files.
MANAGED = [
    "events.event",
    "events.eventparticipation",
    "events.sourcedocument",
    "events.actor",
    "events.actorgroup",
    "recommendations.theme",
    "recommendations.recommendation",
    "recommendations.assignment",
]
READ = [*MANAGED, "recommendations.statusupdate", "recommendations.evidencefile"]


def _model_permissions(actions, models):
    """Django's default permissions of these models ("app.model"), as "app.action_model"."""
    return {f"{app}.{action}_{model}" for app, model in (label.split(".") for label in models) for action in actions}


ROLES = {
    VIEWERS: _model_permissions(["view"], READ) | {READ_ALL_INTERNAL_NOTES},
    FOCAL_POINTS: _model_permissions(["view"], READ) | {ADD_UPDATE},
    COORDINATORS: _model_permissions(["view"], READ)
    | _model_permissions(["add", "change", "delete"], MANAGED)
    | {ADD_UPDATE, REPORT_ANY, MANAGE, READ_ALL_INTERNAL_NOTES, VIEW_HISTORY},
}


def sync_roles(using=DEFAULT_DB_ALIAS, apps=global_apps, verbosity=1, stdout=None, **kwargs):
    """Create the role groups and give each exactly its permissions (a post_migrate receiver).

    Idempotent: a group that already holds its permissions is not written to. Uses the models of
    `apps` (the migrated state), so these automatic changes are not recorded in the audit trail.
    """
    # Django creates permissions per app after migrate, in app order: make sure those needed exist.
    for label in {permission.split(".")[0] for permissions in ROLES.values() for permission in permissions}:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    missing = set().union(*ROLES.values()) - by_name.keys()
    if missing:  # migrated back to before a model or permission existed (tests/test_roles.py catches typos)
        if verbosity and stdout:
            stdout.write(f"Roles not synced: no permission {', '.join(sorted(missing))} yet.\n")
        return
    for name, permissions in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([by_name[permission] for permission in permissions])
