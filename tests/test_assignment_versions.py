"""Every door that changes an assignment carries the version it read: a change saved meanwhile is
never silently overwritten (the admin's recommendation inline included)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations import workflow
from recommendations.models import Assignment, Recommendation
from tests.admin_forms import form_data
from tests.factories import assignment

pytestmark = pytest.mark.django_db


def _inline_row(page, assignment):
    """The prefix of `assignment`'s row in the recommendation admin's assignments inline."""
    (inline,) = [i for i in page.context["inline_admin_formsets"] if i.formset.model is Assignment]
    (form,) = [f for f in inline.formset.forms if f.instance.pk == assignment.pk]
    return form.prefix


def test_a_stale_inline_row_is_an_error_on_the_row_and_nothing_is_written(client, coordinator):
    target = assignment("CSACVE-2015-2", "KZ", coordinator)
    url = reverse("admin:recommendations_recommendation_change", args=[target.recommendation_id])
    client.force_login(coordinator)
    page = client.get(url)  # the coordinator reads the form at version 1 ...
    workflow.change_assignment(assignment=target, by=coordinator, expected_version=1, note="Through the API.")

    row = _inline_row(page, target)  # ... and saves their edit of the row after that change
    response = client.post(url, form_data(page, **{f"{row}-note": "From the admin.", "title": "Renamed"}))

    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    errors = [str(form.non_field_errors()) for form in inline.formset.forms if form.instance.pk == target.pk]
    assert "Someone else changed this assignment" in errors[0]
    target.refresh_from_db()
    assert (target.note, target.version) == ("Through the API.", 2)
    assert Recommendation.objects.get(pk=target.recommendation_id).title != "Renamed"


def test_a_stale_inline_row_marked_for_deletion_is_an_error_and_nothing_is_removed(client, coordinator):
    target = assignment("CSACVE-2015-2", "KZ", coordinator)
    url = reverse("admin:recommendations_recommendation_change", args=[target.recommendation_id])
    client.force_login(coordinator)
    page = client.get(url)
    workflow.change_assignment(assignment=target, by=coordinator, expected_version=1, note="Through the API.")

    response = client.post(url, form_data(page, **{f"{_inline_row(page, target)}-DELETE": "on"}))

    assert response.status_code == 200
    assert "Someone else changed this assignment" in str(
        response.context["inline_admin_formsets"][0].formset.non_form_errors()
    )
    assert Assignment.objects.filter(pk=target.pk).exists()


def test_a_row_whose_values_are_as_read_is_no_conflict_whatever_its_version(client, coordinator):
    same = assignment("CSACVE-2015-2", "KZ", coordinator)
    edited = assignment("CSACVE-2015-2", "KG", coordinator)
    url = reverse("admin:recommendations_recommendation_change", args=[same.recommendation_id])
    client.force_login(coordinator)
    page = client.get(url)
    # Changed and changed back meanwhile: a newer version, but nothing the form would overwrite.
    workflow.change_assignment(assignment=same, by=coordinator, expected_version=1, note="Meanwhile.")
    workflow.change_assignment(assignment=same, by=coordinator, expected_version=2, note="")

    response = client.post(url, form_data(page, **{f"{_inline_row(page, edited)}-note": "Edited."}))

    assert response.status_code == 302
    same.refresh_from_db(), edited.refresh_from_db()
    assert (same.version, edited.note) == (3, "Edited.")


def test_an_inline_row_posted_without_its_version_is_refused(client, coordinator):
    target = assignment("CSACVE-2015-2", "KZ", coordinator)
    url = reverse("admin:recommendations_recommendation_change", args=[target.recommendation_id])
    client.force_login(coordinator)
    page = client.get(url)
    row = _inline_row(page, target)
    data = form_data(page, **{f"{row}-note": "No version."})
    del data[f"{row}-expected_version"]

    assert client.post(url, data).status_code == 200
    target.refresh_from_db()
    assert target.note == ""


def test_the_workflow_requires_the_version_read(coordinator):
    target = assignment("CSACVE-2015-2", "KZ", coordinator)
    with pytest.raises(TypeError):
        workflow.change_assignment(assignment=target, by=coordinator, note="Forgot the version.")
    with pytest.raises(ValidationError) as refused:
        workflow.change_assignment(assignment=target, by=coordinator, expected_version=None, note="None given.")
    assert refused.value.code == "stale"
    target.refresh_from_db()
    assert (target.note, target.version) == ("", 1)
