"""Due dates: assignments that follow their recommendation's date move with it, one given its own date
keeps it, and no due date comes before its event (workflow, admin and API alike)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations import workflow
from recommendations.models import Assignment, Recommendation
from tests.admin_forms import form_data
from tests.factories import assignment

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date(2016, 9, 29)
OWN = datetime.date(2016, 3, 1)


@pytest.fixture
def step(coordinator):
    """CSACVE-2015-2 (due 29 September 2015) assigned to Kazakhstan (following its date) and to
    Kyrgyzstan (with a date of its own)."""
    kz = assignment("CSACVE-2015-2", "KZ", coordinator)
    kg = assignment("CSACVE-2015-2", "KG", coordinator)
    workflow.change_assignment(assignment=kg, by=coordinator, expected_version=1, due_date=OWN)
    return kz.recommendation


def _dates(recommendation):
    return dict(recommendation.assignments.values_list("actor__iso_code", "due_date"))


def test_assignments_start_by_following_their_recommendations_date(step):
    kz, kg = (Assignment.objects.get(recommendation=step, actor__iso_code=iso) for iso in ("KZ", "KG"))
    assert (kz.due_date, kz.own_due_date) == (step.due_date, False)
    assert (kg.due_date, kg.own_due_date) == (OWN, True)


def test_a_new_due_date_through_the_api_moves_the_followers_only(api, coordinator, step):
    response = api(coordinator).patch(f"/api/recommendations/{step.pk}/", {"due_date": NEXT_YEAR.isoformat()})

    assert response.status_code == 200, response.content
    assert _dates(step) == {"KZ": NEXT_YEAR, "KG": OWN}
    moved = Assignment.objects.get(recommendation=step, actor__iso_code="KZ")
    assert moved.version == 2  # a form read before the move is refused, not allowed to put the old date back


def test_a_new_due_date_in_the_admin_moves_the_followers_only(client, coordinator, step):
    url = reverse("admin:recommendations_recommendation_change", args=[step.pk])
    client.force_login(coordinator)

    response = client.post(url, form_data(client.get(url), due_date=NEXT_YEAR.isoformat()))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert _dates(step) == {"KZ": NEXT_YEAR, "KG": OWN}


def test_editing_a_followers_note_in_the_admin_keeps_it_following(client, coordinator, step):
    url = reverse("admin:recommendations_recommendation_change", args=[step.pk])
    client.force_login(coordinator)
    page = client.get(url)
    (inline,) = page.context["inline_admin_formsets"]
    (row,) = [form.prefix for form in inline.formset.forms if form.instance.actor.iso_code == "KZ"]

    response = client.post(url, form_data(page, due_date=NEXT_YEAR.isoformat(), **{f"{row}-note": "Noted."}))

    assert response.status_code == 302, response.context and response.context["errors"]
    kz = Assignment.objects.get(recommendation=step, actor__iso_code="KZ")
    assert (kz.note, kz.due_date, kz.own_due_date) == ("Noted.", NEXT_YEAR, False)


def test_an_own_date_equal_to_the_recommendations_follows_it_again(coordinator, step):
    kg = Assignment.objects.get(recommendation=step, actor__iso_code="KG")
    workflow.change_assignment(assignment=kg, by=coordinator, expected_version=kg.version, due_date=step.due_date)
    step.due_date = NEXT_YEAR
    step.save()
    workflow.carry_due_date(step)

    assert _dates(step) == {"KZ": NEXT_YEAR, "KG": NEXT_YEAR}


def test_the_workflow_refuses_an_assignment_due_before_its_event(coordinator, step):
    kz = Assignment.objects.get(recommendation=step, actor__iso_code="KZ")
    with pytest.raises(ValidationError) as refused:
        workflow.change_assignment(
            assignment=kz, by=coordinator, expected_version=kz.version, due_date=datetime.date(2015, 6, 1)
        )
    assert "before the event began (29 June 2015)" in refused.value.message_dict["due_date"][0]
    with pytest.raises(ValidationError):
        workflow.assign(
            recommendation=step,
            actors=[kz.actor.__class__.objects.get(iso_code="TJ")],
            by=coordinator,
            due_date=datetime.date(2015, 6, 1),
        )
    kz.refresh_from_db()
    assert kz.due_date == step.due_date


def test_the_api_refuses_due_dates_before_the_event(api, coordinator, step):
    client = api(coordinator)
    kz = Assignment.objects.get(recommendation=step, actor__iso_code="KZ")

    on_assignment = client.patch(f"/api/assignments/{kz.pk}/", {"due_date": "2015-01-01", "version": kz.version})
    on_recommendation = client.patch(f"/api/recommendations/{step.pk}/", {"due_date": "2015-01-01"})

    assert (on_assignment.status_code, list(on_assignment.json())) == (400, ["due_date"])
    assert (on_recommendation.status_code, list(on_recommendation.json())) == (400, ["due_date"])
    assert _dates(step) == {"KZ": datetime.date(2015, 9, 29), "KG": OWN}


def test_the_admin_shows_a_due_date_before_the_event_as_a_field_error(client, coordinator, step):
    kz = Assignment.objects.get(recommendation=step, actor__iso_code="KZ")
    url = reverse("admin:recommendations_assignment_change", args=[kz.pk])
    client.force_login(coordinator)

    response = client.post(url, form_data(client.get(url), due_date="2015-01-01"))

    assert response.status_code == 200
    assert "before the event began" in str(response.context["adminform"].form.errors["due_date"])
    kz.refresh_from_db()
    assert kz.due_date == step.due_date


def test_the_migration_marks_dates_that_differ_from_the_recommendations_as_own(coordinator, step):
    migration = importlib.import_module("recommendations.migrations.0012_assignment_own_due_date")
    Assignment.objects.update(own_due_date=False)  # as the rows were before the migration
    tj = assignment("CSACVE-2015-2", "TJ", coordinator)
    Assignment.objects.filter(pk=tj.pk).update(due_date=None)

    migration.mark_own_dates(apps, None)

    own = dict(Recommendation.objects.get(pk=step.pk).assignments.values_list("actor__iso_code", "own_due_date"))
    assert own == {"KZ": False, "KG": True, "TJ": True}
