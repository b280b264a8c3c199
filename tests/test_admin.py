"""The coordinators' admin: every page answers, and writes go through the workflow."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Profile
from events.models import Actor, ActorGroup
from recommendations.choices import Status
from recommendations.models import Assignment, Recommendation, StatusUpdate
from tests.factories import assignment, pdf, report

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("events", "recommendations", "accounts")


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(client, superuser, evidence_storage):
    report(assignment("CSACVE-2015-1", "KZ", None), superuser, Status.IN_PROGRESS, files=(pdf(),))
    Profile.objects.create(user=superuser, language="ru")
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and m._meta.managed],  # not the tallies
    ids=lambda m: m.__name__,
)
def test_every_model_has_a_changelist_and_change_page(admin_client, model):
    assert model in admin.site._registry
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "change", model.objects.first().pk)).status_code == 200


def test_the_changelists_search_and_filter(admin_client):
    response = admin_client.get(_url(Recommendation, "changelist"), {"q": "Global Counterterrorism Forum"})
    assert b"CSACVE-2015-3" in response.content and b"CSACVE-2015-4" not in response.content
    response = admin_client.get(_url(Assignment, "changelist"), {"status__exact": Status.IN_PROGRESS})
    assert b"In progress" in response.content and response.context["cl"].result_count == 1


def test_the_admin_colours_statuses_as_the_pages_do(admin_client):
    page = admin_client.get(_url(Assignment, "changelist")).content.decode()
    assert '<span class="status status-in_progress">' in page  # recommendations/badges.py
    assert "/static/css/status.css" in page  # where the colours are defined, for the pages too


def test_a_coordinator_assigns_a_step_to_kyrgyzstan_and_records_an_update(client, coordinator):
    client.force_login(coordinator)
    step = Recommendation.objects.get(code="CSACVE-2015-3")
    kg = Actor.objects.get(iso_code="KG")
    response = client.post(
        _url(Assignment, "add"), {"recommendation": step.pk, "actor": kg.pk, "role": "lead", "due_date": "", "note": ""}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Assignment.objects.get(recommendation=step, actor=kg)
    assert created.due_date == step.due_date

    response = client.post(
        _url(StatusUpdate, "add"),
        {"assignment": created.pk, "kind": "report", "status": "in_progress", "date": "2016-02-01", "note": "Begun"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == Status.IN_PROGRESS and created.last_update.author == coordinator


def test_a_rule_violation_is_a_form_error_not_an_error_page(client, coordinator):
    client.force_login(coordinator)
    target = assignment("CSACVE-2015-1", "KG", None)
    response = client.post(
        _url(StatusUpdate, "add"),
        {"assignment": target.pk, "kind": "report", "status": "implemented", "date": "2016-02-01"},
    )
    assert response.status_code == 200
    assert "needs evidence: a link or a file" in str(response.context["adminform"].form.errors["evidence_url"])
    assert not StatusUpdate.objects.exists()


def test_a_duplicate_assignment_is_a_form_error(client, coordinator):
    client.force_login(coordinator)
    existing = assignment("CSACVE-2015-1", "KG", None)
    response = client.post(
        _url(Assignment, "add"),
        {"recommendation": existing.recommendation_id, "actor": existing.actor_id, "role": "lead"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


def test_a_stale_assignment_edit_is_refused(client, coordinator):
    client.force_login(coordinator)
    target = assignment("CSACVE-2015-1", "KG", None)
    data = {"role": "supporting", "due_date": "2016-01-01", "note": "mine", "expected_version": target.version}
    from recommendations import workflow

    workflow.change_assignment(assignment=target, by=coordinator, expected_version=1, note="theirs")
    response = client.post(
        _url(Assignment, "change", target.pk), {**data, "updates-TOTAL_FORMS": 0, "updates-INITIAL_FORMS": 0}
    )
    assert response.status_code == 200
    assert "Someone else changed" in str(response.context["adminform"].form.errors)
    target.refresh_from_db()
    assert target.note == "theirs"


def test_status_updates_cannot_be_changed_or_deleted_in_the_admin(admin_client):
    update = StatusUpdate.objects.get()
    page = admin_client.get(_url(StatusUpdate, "change", update.pk))
    assert page.status_code == 200 and b'name="status"' not in page.content
    assert admin_client.post(_url(StatusUpdate, "change", update.pk), {"status": "stalled"}).status_code == 403
    assert admin_client.post(_url(StatusUpdate, "delete", update.pk), {"post": "yes"}).status_code == 403
    assert StatusUpdate.objects.get().status == Status.IN_PROGRESS


def test_the_region_action_assigns_selected_recommendations_to_its_countries(client, coordinator):
    client.force_login(coordinator)
    steps = Recommendation.objects.filter(code__in=["CSACVE-2015-2", "CSACVE-2015-3"])
    selected = {"action": "assign_to_region", "_selected_action": [r.pk for r in steps]}
    form_page = client.post(_url(Recommendation, "changelist"), selected)
    assert form_page.status_code == 200 and b"Region or group" in form_page.content
    region = ActorGroup.objects.get(slug="central-south-asia")
    done = client.post(
        _url(Recommendation, "changelist"), {**selected, "apply": "1", "group": region.pk, "role": "lead"}
    )
    assert done.status_code == 302
    assert Assignment.objects.filter(recommendation__in=steps).count() == 18


def test_inline_assignments_are_added_through_the_workflow(client, coordinator):
    client.force_login(coordinator)
    rec = Recommendation.objects.get(code="CSACVE-2015-5")
    page = client.get(_url(Recommendation, "change", rec.pk))
    form = page.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        themes=[t.pk for t in rec.themes.all()],
        restates="",
        due_date="2015-09-29",
        **{
            "assignments-TOTAL_FORMS": 1,
            "assignments-INITIAL_FORMS": 0,
            "assignments-0-actor": Actor.objects.get(iso_code="TJ").pk,
            "assignments-0-role": "supporting",
            "assignments-0-due_date": "",
            "assignments-0-note": "",
        },
    )
    response = client.post(_url(Recommendation, "change", rec.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    created = Assignment.objects.get(recommendation=rec, actor__iso_code="TJ")
    assert (created.role, created.due_date) == ("supporting", rec.due_date)


def test_a_focal_point_is_offered_only_their_own_assignments(client, focal_kz):
    focal_kz.is_staff = True
    focal_kz.save()
    client.force_login(focal_kz)
    own, other = assignment("CSACVE-2015-1", "KZ", None), assignment("CSACVE-2015-1", "KG", None)
    response = client.post(
        _url(StatusUpdate, "add"),
        {"assignment": other.pk, "kind": "report", "status": "in_progress", "date": "2016-02-01"},
    )
    assert response.status_code == 200 and "assignment" in response.context["adminform"].form.errors
    response = client.post(
        _url(StatusUpdate, "add"),
        {"assignment": own.pk, "kind": "report", "status": "in_progress", "date": "2016-02-01"},
    )
    assert response.status_code == 302
    assert list(StatusUpdate.objects.values_list("assignment", flat=True)) == [own.pk]


def test_djangos_assignment_permissions_alone_do_not_make_an_assignment_manager(client, viewer, coordinator):
    """The admin asks the same right as the workflow (manage_assignments), so it never offers a form
    whose save the workflow would refuse."""
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_assignment", "change_assignment", "delete_assignment"])
    )
    target = assignment("CSACVE-2015-3", "KZ", coordinator)
    client.force_login(viewer)

    page = client.get(reverse("admin:recommendations_assignment_change", args=[target.pk]))

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.get(reverse("admin:recommendations_assignment_add")).status_code == 403
    assert (
        client.post(reverse("admin:recommendations_assignment_delete", args=[target.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Assignment.objects.filter(pk=target.pk).exists()
