import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cvetracker.datasets import Dataset
from recommendations import workflow
from recommendations.models import Assignment, StatusUpdate

pytestmark = pytest.mark.django_db

USERNAMES = {"admin", "coordinator", "focal-kz", "focal-kg", "viewer"}


def _counts():
    return Assignment.objects.count(), StatusUpdate.objects.count(), get_user_model().objects.count()


def test_it_loads_documents_users_and_demo_data_and_is_safe_to_run_twice(settings):
    settings.DEMO_PASSWORD = "a-demo-password"
    call_command("load_demo", stdout=io.StringIO())
    first = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first
    users = get_user_model().objects.filter(username__in=USERNAMES)
    assert {user.username for user in users} == USERNAMES
    assert all(user.check_password("a-demo-password") for user in users)
    assert get_user_model().objects.get(username="focal-kz").reporting_actors.get().iso_code == "KZ"
    # Everything it adds is marked as demo; the documents' rows are untouched.
    assert StatusUpdate.objects.exclude(dataset=Dataset.DEMO).count() == 0
    assert Assignment.objects.filter(dataset=Dataset.DEMO).count() > 0
    assert Assignment.objects.filter(dataset=Dataset.RECORD).count() == 10


def test_demo_statuses_match_their_latest_updates():
    call_command("load_demo", stdout=io.StringIO())
    for assignment in Assignment.objects.all():
        latest = workflow.latest_update(assignment)
        assert assignment.status == (latest.status if latest else "")


def test_it_prints_the_default_password_but_not_a_chosen_one(settings, capsys):
    settings.DEMO_PASSWORD = settings.DEFAULT_DEMO_PASSWORD
    call_command("load_demo")
    assert "log in with the default password 'cvetracker-demo'" in capsys.readouterr().out
    settings.DEMO_PASSWORD = "a-chosen-password"
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "log in with DEMO_PASSWORD" in out and "a-chosen-password" not in out
