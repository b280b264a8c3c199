"""The roles are declared once (recommendations/roles.py), synced after migrate, and README says the same."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import permissions
from recommendations.roles import ROLES

pytestmark = pytest.mark.django_db


def readme_permissions():
    """{group: {"app.codename", …}} from README's permission table."""
    lines = Path(settings.BASE_DIR, "README.md").read_text().splitlines()
    start = lines.index(next(line for line in lines if line.startswith("| permission |")))
    groups = [cell.strip() for cell in lines[start].strip("|").split("|")][1:]
    held = {group: set() for group in groups}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        label, *cells = (cell.strip() for cell in line.strip("|").split("|"))
        app, name = re.match(r"`(\w+)\.(\w+)`", label).groups()
        for group, cell in zip(groups, cells, strict=True):
            actions = [action.strip() for action in cell.split(",") if action.strip()]
            held[group] |= {f"{app}.{name}"} if actions == ["yes"] else {f"{app}.{a}_{name}" for a in actions}
    return held


def group_permissions():
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=ROLES)
    }


def test_the_readme_table_is_the_declared_roles():
    assert readme_permissions() == ROLES


def test_the_migrated_groups_hold_exactly_the_declared_permissions():
    assert group_permissions() == ROLES


def test_migrate_puts_a_changed_role_back_and_writes_nothing_when_nothing_changed():
    coordinators = Group.objects.get(name=permissions.COORDINATORS)
    coordinators.permissions.remove(Permission.objects.get(codename="manage_assignments"))
    coordinators.permissions.add(Permission.objects.get(codename="delete_statusupdate"))
    call_command("migrate", verbosity=0)
    assert group_permissions() == ROLES

    with CaptureQueriesContext(connection) as queries:
        call_command("migrate", verbosity=0)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert not [sql for sql in writes if "auth_group" in sql]


def test_managing_assignments_not_changing_them_makes_a_coordinator(documents):
    def user_with(codename):
        user = get_user_model().objects.create_user(username=codename)
        user.user_permissions.add(Permission.objects.get(codename=codename))
        return get_user_model().objects.get(pk=user.pk)  # a fresh permission cache

    assert not permissions.is_coordinator(user_with("change_assignment"))
    assert permissions.is_coordinator(user_with("manage_assignments"))
