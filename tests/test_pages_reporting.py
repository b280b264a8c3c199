"""Recording a status update from the assignment page: who sees the form, what happens on post."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Actor
from recommendations.choices import UpdateKind
from recommendations.models import Assignment, StatusUpdate
from tests import factories
from web.forms import StatusUpdateForm, add_workflow_error

FORM = 'id="record-update"'


@pytest.fixture
def kz(documents):
    return Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ")


@pytest.fixture
def parliament(documents):
    """The roundtable's recommendation, assigned to a sub-body of Kazakhstan."""
    return Assignment.objects.get(recommendation__code="CTRT-2016-1")


def valid(**changes):
    return {
        "status": "in_progress",
        "date": "2016-01-15",
        "note": "Working group met twice.",
        "evidence_url": "",
        "internal_note": "",
        "corrects": "",
        **changes,
    }


def field_errors(html, field):
    """The error messages Django renders beside a field (ul#id_<field>_error)."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


# Who sees the form ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_form"),
    [("focal_kz", True), ("coordinator", True), ("focal_kg", False), ("viewer", False)],
)
def test_only_those_who_may_report_see_the_form(client, request, kz, role, sees_form):
    client.force_login(request.getfixturevalue(role))
    html = client.get(kz.get_absolute_url()).text
    assert (FORM in html) is sees_form
    assert ('name="status"' in html) is sees_form


def test_anonymous_visitors_get_a_login_prompt_instead_of_the_form(client, kz):
    html = client.get(kz.get_absolute_url()).text
    assert FORM not in html
    assert "log in</a> to record an update" in html


@pytest.mark.parametrize(
    ("role", "says"),
    [
        ("focal_kg", "You report for Kyrgyzstan; this assignment belongs to Kazakhstan, so you cannot record"),
        ("viewer", "Your account does not report for Kazakhstan: its focal points and coordinators do."),
        ("focal_kz", None),
    ],
)
def test_a_signed_in_user_without_the_form_is_told_why(client, request, kz, role, says):
    client.force_login(request.getfixturevalue(role))
    html = client.get(kz.get_absolute_url()).text
    assert ('id="report-heading"' in html) is (says is not None)
    if says:
        assert says in html


def test_a_focal_point_reports_for_sub_bodies_of_their_country(client, focal_kz, parliament):
    client.force_login(focal_kz)
    assert FORM in client.get(parliament.get_absolute_url()).text


def test_only_coordinators_choose_an_independent_assessment(client, kz, focal_kz, coordinator):
    client.force_login(focal_kz)
    assert 'name="kind"' not in client.get(kz.get_absolute_url()).text
    client.force_login(coordinator)
    assert 'name="kind"' in client.get(kz.get_absolute_url()).text


# Posting ------------------------------------------------------------------------------------


def test_a_focal_point_records_an_update_and_is_redirected_to_it(client, focal_kz, kz):
    client.force_login(focal_kz)
    response = client.post(kz.get_absolute_url(), valid())
    update = StatusUpdate.objects.get(assignment=kz)
    assert response.status_code == 302
    assert response["Location"] == f"{kz.get_absolute_url()}#update-{update.pk}"
    assert (update.status, update.date, update.author, update.kind) == (
        "in_progress",
        datetime.date(2016, 1, 15),
        focal_kz,
        UpdateKind.REPORT,
    )
    kz.refresh_from_db()
    assert kz.status == "in_progress" and kz.last_update == update
    page = client.get(response["Location"])
    assert "Update recorded: In progress as of 15 January 2016." in page.text
    assert f'id="update-{update.pk}"' in page.text and "Working group met twice." in page.text


@pytest.mark.parametrize("role", ["focal_kg", "viewer"])
def test_a_post_without_the_right_is_forbidden_and_writes_nothing(client, request, kz, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(kz.get_absolute_url(), valid())
    assert response.status_code == 403
    assert "cannot report on the assignments of Kazakhstan" in response.text
    assert not StatusUpdate.objects.exists()


def test_an_anonymous_post_is_forbidden_while_public_read_is_on(client, kz, settings):
    settings.PUBLIC_READ = True
    assert client.post(kz.get_absolute_url(), valid()).status_code == 403
    assert not StatusUpdate.objects.exists()


def test_a_rule_of_the_workflow_shows_beside_its_field_and_keeps_what_was_typed(client, focal_kz, kz):
    client.force_login(focal_kz)
    response = client.post(
        kz.get_absolute_url(),
        valid(status="implemented", note="Decree signed in March.", internal_note="Ask for the PDF."),
    )
    html = response.text
    assert response.status_code == 200
    assert field_errors(html, "evidence_url") == ["A status of “Implemented” needs evidence: a link or a file."]
    assert 'aria-invalid="true" aria-describedby="id_evidence_url_helptext id_evidence_url_error"' in html
    assert '<option value="implemented" selected>' in html
    assert ">\nDecree signed in March.</textarea>" in html and ">\nAsk for the PDF.</textarea>" in html
    assert 'value="2016-01-15"' in html
    assert "Please correct the error below." in html
    assert not StatusUpdate.objects.exists()


def test_a_date_in_the_future_is_refused_beside_the_date(client, focal_kz, kz):
    client.force_login(focal_kz)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    html = client.post(kz.get_absolute_url(), valid(date=tomorrow.isoformat())).text
    assert field_errors(html, "date") == ["The date cannot be in the future."]


def test_missing_and_malformed_input_gets_field_errors(client, focal_kz, kz):
    client.force_login(focal_kz)
    html = client.post(kz.get_absolute_url(), valid(status="", date="15/01/2016x", evidence_url="not a url")).text
    assert field_errors(html, "status") == ["This field is required."]
    assert field_errors(html, "date") == ["Enter a valid date."]
    assert field_errors(html, "evidence_url") == ["Enter a valid URL."]
    assert 'value="not a url"' in html
    assert not StatusUpdate.objects.exists()


def test_an_unknown_status_is_refused(client, focal_kz, kz):
    client.force_login(focal_kz)
    html = client.post(kz.get_absolute_url(), valid(status="done")).text
    assert field_errors(html, "status") == ["Select a valid choice. done is not one of the available choices."]


def test_a_focal_point_cannot_sneak_in_an_assessment(client, focal_kz, kz):
    client.force_login(focal_kz)
    response = client.post(kz.get_absolute_url(), valid(kind="assessment"))
    assert response.status_code == 403  # refused, as the API refuses it; not recorded as a report either
    assert not StatusUpdate.objects.filter(assignment=kz).exists()


def test_a_coordinator_records_an_independent_assessment(client, coordinator, kz):
    client.force_login(coordinator)
    response = client.post(kz.get_absolute_url(), valid(kind="assessment", status="stalled"))
    assert response.status_code == 302
    kz.refresh_from_db()
    assert kz.assessed_status == "stalled" and kz.status == ""
    page = client.get(kz.get_absolute_url()).text
    assert "Independent assessment" in page


def test_a_correction_replaces_an_earlier_update_on_the_timeline(client, focal_kz, kz):
    wrong = factories.report(kz, focal_kz, status="implemented", evidence_url="https://example.org/a")
    client.force_login(focal_kz)
    page = client.get(kz.get_absolute_url()).text
    assert f'<option value="{wrong.pk}">15 Jan 2016 — Implemented (self-report)</option>' in page
    response = client.post(kz.get_absolute_url(), valid(status="partially_implemented", corrects=wrong.pk))
    assert response.status_code == 302
    correction = StatusUpdate.objects.get(corrects=wrong)
    kz.refresh_from_db()
    assert kz.last_update == correction and kz.status == "partially_implemented"
    html = client.get(kz.get_absolute_url()).text
    assert "Superseded: a later update corrects this one." in html
    assert f'#update-{wrong.pk}">as of 15 Jan 2016</a> (Implemented)' in html
    # A corrected update is no longer offered for correction.
    assert f'<option value="{wrong.pk}">' not in html


def test_only_updates_of_the_same_assignment_can_be_corrected(client, focal_kz, coordinator, kz):
    other = factories.report(factories.assignment("CSACVE-2015-2", "KZ", coordinator), focal_kz)
    client.force_login(focal_kz)
    html = client.post(kz.get_absolute_url(), valid(corrects=other.pk)).text
    assert field_errors(html, "corrects") == ["Select a valid choice. That choice is not one of the available choices."]


def test_workflow_errors_about_fields_the_form_lacks_go_on_top(kz, focal_kz):
    form = StatusUpdateForm(valid(), assignment=kz, user=focal_kz)
    assert form.is_valid()
    add_workflow_error(form, ValidationError({"kind": "Unknown kind.", "date": "Too early."}))
    assert form.non_field_errors() == ["Unknown kind."]
    assert form.errors["date"] == ["Too early."]


# What a timeline shows --------------------------------------------------------------------------


def test_internal_notes_are_shown_to_signed_in_users_only(client, focal_kz, viewer, kz):
    factories.report(kz, focal_kz, note="Public words.", internal_note="For colleagues only.")
    anonymous = client.get(kz.get_absolute_url()).text
    assert "Public words." in anonymous and "For colleagues only." not in anonymous
    client.force_login(viewer)
    assert "For colleagues only." in client.get(kz.get_absolute_url()).text


def test_the_recommendation_page_shows_every_assignments_updates(client, focal_kz, focal_kg, coordinator):
    factories.report(factories.assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz, note="Kazakh news.")
    factories.report(factories.assignment("CSACVE-2015-1", "KG", coordinator), focal_kg, note="Kyrgyz news.")
    recommendation = Assignment.objects.filter(actor__iso_code="KZ").first().recommendation
    html = client.get(recommendation.get_absolute_url()).text
    assert "Kazakh news." in html and "Kyrgyz news." in html


def test_a_scorecard_links_to_the_form_only_where_its_reader_may_report(client, focal_kz, focal_kg, documents):
    kazakhstan = Actor.objects.get(iso_code="KZ")
    client.force_login(focal_kz)
    assert "Record an update" in client.get(kazakhstan.get_absolute_url()).text
    client.force_login(focal_kg)
    assert "Record an update" not in client.get(kazakhstan.get_absolute_url()).text
