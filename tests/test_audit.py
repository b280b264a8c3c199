"""The audit trail: who created or changed what, when, with the old and new values; shown to coordinators."""

import importlib

import pytest
from auditlog.models import LogEntry
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from events.models import Actor, Event
from recommendations import permissions, workflow
from recommendations.models import Assignment, Recommendation
from tests.admin_forms import form_data
from tests.conftest import PASSWORD
from tests.factories import assignment, report

pytestmark = pytest.mark.django_db


def _latest(obj):
    return LogEntry.objects.get_for_object(obj).order_by("-timestamp", "-id").first()


def test_it_records_an_admin_change_with_its_author_and_the_old_and_new_values(client, coordinator):
    event = Event.objects.get(code="CSACVE-2015")
    url = reverse("admin:events_event_change", args=[event.pk])
    client.force_login(coordinator)

    response = client.post(url, form_data(client.get(url), place="Astana, Kazakhstan"))

    assert response.status_code == 302
    entry = _latest(event)
    assert (entry.action, entry.actor) == (LogEntry.Action.UPDATE, coordinator)
    assert entry.changes_dict == {"place": ["Astana", "Astana, Kazakhstan"]}


def test_it_records_an_assignment_changed_through_the_workflow_in_the_admin(client, coordinator):
    target = assignment("CSACVE-2015-1", "KG", coordinator)
    url = reverse("admin:recommendations_assignment_change", args=[target.pk])
    client.force_login(coordinator)

    response = client.post(url, form_data(client.get(url), role="supporting", note="Shared with the ministry"))

    assert response.status_code == 302
    entry = _latest(target)
    assert entry.actor == coordinator
    # Only what the coordinator changed: the version and timestamps are bookkeeping, not history.
    assert entry.changes_dict == {"role": ["lead", "supporting"], "note": [target.note, "Shared with the ministry"]}


def test_it_names_the_api_token_user_and_their_address_as_the_author(client, coordinator):
    token = Token.objects.create(user=coordinator)
    step = Recommendation.objects.get(code="CSACVE-2015-4")
    kg = Actor.objects.get(iso_code="KG")

    response = client.post(
        "/api/assignments/",
        {"recommendation": step.pk, "actor": kg.pk, "role": "lead"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 201, response.content
    entry = _latest(Assignment.objects.get(recommendation=step, actor=kg))
    assert (entry.action, entry.actor, entry.remote_addr) == (LogEntry.Action.CREATE, coordinator, "203.0.113.7")
    assert entry.changes_dict["recommendation"] == ["None", str(step)]
    assert entry.changes_dict["actor"] == ["None", "Kyrgyzstan"]
    # The record's own fields: not its id, its status bookkeeping or its reverse relations.
    assert set(entry.changes_dict) == {"recommendation", "actor", "role", "due_date", "own_due_date", "note", "dataset"}


def test_a_status_update_is_its_own_history_and_adds_no_assignment_entry(coordinator, focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)
    before = LogEntry.objects.count()

    report(target, focal_kz, "in_progress")

    target.refresh_from_db()
    assert target.status == "in_progress"
    assert LogEntry.objects.count() == before


def test_it_records_who_was_made_a_focal_point_for_an_actor(client, coordinator, focal_kz):
    kg = Actor.objects.get(iso_code="KG")
    url = reverse("admin:events_actor_change", args=[kg.pk])
    client.force_login(coordinator)

    # The picker offers people in the focal-point role only: Kazakhstan's focal point, for Kyrgyzstan too.
    response = client.post(url, form_data(client.get(url), focal_points=[str(focal_kz.pk)]))

    assert response.status_code == 302
    entry = _latest(kg)
    assert entry.actor == coordinator
    assert entry.changes_dict["focal_points"] == {"type": "m2m", "operation": "add", "objects": ["focal-kz"]}


def test_it_records_role_changes(viewer):
    viewer.groups.add(Group.objects.get(name=permissions.COORDINATORS))

    entry = _latest(viewer)
    assert entry.changes_dict["groups"] == {"type": "m2m", "operation": "add", "objects": ["Coordinators"]}


def test_a_write_outside_a_request_has_no_author_and_reads_as_system(coordinator, superuser):
    target = assignment("CSACVE-2015-1", "KG", coordinator)
    workflow.change_assignment(assignment=target, by=coordinator, expected_version=1, note="From a script")

    entry = _latest(target)
    assert entry.actor is None
    assert "system" in _render_history(superuser, target)


def _render_history(user, obj):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load audit %}{% audit_history obj %}").render(Context({"request": request, "obj": obj}))


def test_the_history_include_shows_coordinators_who_changed_what(client, coordinator):
    target = assignment("CSACVE-2015-1", "KG", coordinator)
    url = reverse("admin:recommendations_assignment_change", args=[target.pk])
    client.force_login(coordinator)
    client.post(url, form_data(client.get(url), role="supporting"))

    html = _render_history(coordinator, target)

    assert 'id="audit-history-heading"' in html
    assert "coordinator" in html and "Supporting" in html and "<del>Lead</del>" in html


@pytest.mark.parametrize("role", ["anonymous", "viewer", "focal_kz"])
def test_the_history_include_shows_nothing_to_others(request, role, coordinator):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    target = assignment("CSACVE-2015-1", "KG", coordinator)
    workflow.change_assignment(assignment=target, by=coordinator, expected_version=1, note="Changed")

    assert _render_history(user, target).strip() == ""


def test_the_admin_history_page_shows_the_trail_to_coordinators_only(client, coordinator, focal_kz):
    event = Event.objects.get(code="CSACVE-2015")
    url = reverse("admin:events_event_change", args=[event.pk])
    client.force_login(coordinator)
    client.post(url, form_data(client.get(url), place="Astana, Kazakhstan"))
    history = reverse("admin:events_event_history", args=[event.pk])

    shown = client.get(history)
    focal_kz.is_staff = True  # a focal point who uses the admin to report
    focal_kz.save()
    client.force_login(focal_kz)
    hidden = client.get(history)

    trail = b'id="audit-history-heading"'
    assert shown.status_code == 200 and trail in shown.content and b"Astana, Kazakhstan" in shown.content
    assert hidden.status_code == 200 and trail not in hidden.content


def test_coordinators_can_browse_the_whole_audit_log_in_the_admin(client, coordinator, focal_kz):
    changelist = reverse("admin:auditlog_logentry_changelist")
    client.force_login(coordinator)
    allowed = client.get(changelist)
    focal_kz.is_staff = True
    focal_kz.save()
    client.force_login(focal_kz)
    refused = client.get(changelist)

    assert allowed.status_code == 200 and refused.status_code == 403


def test_the_audit_log_cannot_be_edited_in_the_admin(client, coordinator, superuser):
    target = assignment("CSACVE-2015-1", "KG", coordinator)
    workflow.change_assignment(assignment=target, by=coordinator, expected_version=1, note="x")
    entry = LogEntry.objects.latest("timestamp")
    client.login(username="admin", password=PASSWORD)

    deleted = client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"})

    assert deleted.status_code == 403 and LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("page, field", [("event", "place"), ("recommendation", "milestone"), ("assignment", "note")])
@pytest.mark.parametrize(
    "role, shown", [("anonymous", False), ("viewer", False), ("focal_kz", False), ("coordinator", True)]
)
def test_the_event_recommendation_and_assignment_pages_show_the_trail_to_coordinators(
    request, client, coordinator, page, field, role, shown
):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)
    obj = {"event": target.recommendation.event, "recommendation": target.recommendation, "assignment": target}[page]
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    client.force_login(coordinator)
    assert client.post(url, form_data(client.get(url), **{field: "Checked by the programme office"})).status_code == 302
    client.logout()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    html = client.get(obj.get_absolute_url()).text

    assert ('id="audit-history-heading"' in html) is shown
    if shown:
        trail = html.split('id="audit-history-heading"')[1].split("</section>")[0]
        assert "Checked by the programme office" in trail and "coordinator" in trail


# Users' personal details ------------------------------------------------------------------------


def _save_user_in_the_admin(client, superuser, user, **changes):
    url = reverse("admin:auth_user_change", args=[user.pk])
    client.force_login(superuser)
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, response.content[:300]
    return _latest(user)


def test_a_user_saved_in_the_admin_logs_only_what_changed_not_the_date_joined(client, superuser, viewer):
    entry = _save_user_in_the_admin(client, superuser, viewer, is_active="")

    # The form used to post the date joined to the second, dropping its microseconds: a change.
    assert entry.changes_dict == {"is_active": ["True", "False"]}
    viewer.refresh_from_db()
    assert viewer.date_joined == get_user_model().objects.get(pk=viewer.pk).date_joined


def test_the_trail_keeps_no_e_mail_addresses_or_names(client, superuser, viewer):
    superuser.email = "admin@example.org"
    superuser.save()
    entry = _save_user_in_the_admin(
        client, superuser, viewer, email="vera@example.org", first_name="Vera", last_name="Ivanova", is_staff="on"
    )

    assert entry.changes_dict == {"is_staff": ["False", "True"]}
    assert entry.actor == superuser and entry.actor_email is None  # the entry names the account
    assert not LogEntry.objects.filter(changes__icontains="example.org").exists()


def test_the_trail_recorded_before_loses_its_e_mail_addresses_and_names(viewer, coordinator):
    scrub = importlib.import_module("recommendations.migrations.0011_audit_without_personal_data").scrub
    users = ContentType.objects.get_for_model(viewer)
    old = LogEntry.objects.create(
        content_type=users,
        object_pk=str(viewer.pk),
        object_repr="viewer",
        action=LogEntry.Action.UPDATE,
        changes={"email": ["", "vera@example.org"], "last_name": ["", "Ivanova"], "is_staff": ["False", "True"]},
        actor=coordinator,
        actor_email="coordinator@example.org",
    )

    scrub(django_apps, None)

    old.refresh_from_db()
    assert (old.changes, old.actor_email) == ({"is_staff": ["False", "True"]}, None)
