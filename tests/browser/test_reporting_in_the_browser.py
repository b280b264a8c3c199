"""What a person does in the browser: log in, record an update, find it again; or be refused."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from events.models import Actor
from recommendations import permissions
from recommendations.models import Assignment
from tests.browser.conftest import log_in
from tests.conftest import _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def world(live_server):
    """The documents' data and a focal point for Kazakhstan, made inside the test (the live server is transactional)."""
    call_command("loaddata", "documents", verbosity=0)
    _user("focal-kz", permissions.FOCAL_POINTS, ["KZ"], first_name="Aigerim", last_name="Sadykova")
    _user("viewer", permissions.VIEWERS)


def kz_step_1():
    return Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ")


def test_a_focal_point_records_an_update_and_sees_it_on_the_assignment_scorecard_and_dashboard(page, world):
    assignment = kz_step_1()
    log_in(page, "focal-kz", next_url=assignment.get_absolute_url())
    form = page.locator("#record-update form")
    form.get_by_label("Status:", exact=True).select_option("in_progress")
    form.get_by_label("Status as of").fill("2016-03-01")
    form.get_by_label("What has been done").fill("Inter-agency working group named by decree.")
    form.get_by_role("button", name="Record update").click()

    expect(page.get_by_role("status")).to_contain_text("Update recorded: In progress as of 1 March 2016.")
    update = assignment.updates.get()
    assert page.url.endswith(f"{assignment.get_absolute_url()}#update-{update.pk}")
    entry = page.locator(f"#update-{update.pk}")
    expect(entry).to_contain_text("Inter-agency working group named by decree.")
    expect(entry).to_contain_text("by Aigerim Sadykova")
    expect(page.locator(".current-status .status")).to_have_text("In progress")

    page.goto(Actor.objects.get(iso_code="KZ").get_absolute_url())
    row = page.get_by_role("row").filter(has_text="CSACVE-2015-1")
    expect(row.locator(".status")).to_have_text("In progress")
    expect(row).to_contain_text("1 Mar 2016")

    page.goto("/")
    expect(page.get_by_role("link", name="IP (In progress, overdue)")).to_have_attribute(
        "href", assignment.get_absolute_url()
    )
    expect(page.locator("#updates-heading + .timeline")).to_contain_text("Inter-agency working group named by decree.")
    expect(page.locator(".reporting")).to_contain_text("Your reporting")


def test_a_viewer_sees_no_form(page, world):
    log_in(page, "viewer")
    page.goto(kz_step_1().get_absolute_url())
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(page.locator("#record-update")).to_have_count(0)
    expect(page.get_by_role("button", name="Record update")).to_have_count(0)


def test_an_invalid_update_shows_its_field_error_and_keeps_the_input(page, world):
    assignment = kz_step_1()
    log_in(page, "focal-kz", next_url=assignment.get_absolute_url())
    form = page.locator("#record-update form")
    form.get_by_label("Status:", exact=True).select_option("implemented")
    form.get_by_label("Status as of").fill("2016-03-01")
    form.get_by_label("What has been done").fill("Done, the decree is signed.")
    form.get_by_role("button", name="Record update").click()

    evidence = page.get_by_label("Evidence link")
    expect(evidence).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_evidence_url_error")).to_have_text(
        "A status of “Implemented” needs evidence: a link or a file."
    )
    expect(page.get_by_label("What has been done")).to_have_value("Done, the decree is signed.")
    expect(page.get_by_label("Status:", exact=True)).to_have_value("implemented")
    # The script moves focus to the error summary, so a screen reader announces it first.
    expect(page.locator("#form-errors")).to_be_focused()
    assert not assignment.updates.exists()

    evidence.fill("https://example.org/decree")
    page.get_by_role("button", name="Record update").click()
    expect(page.get_by_role("status")).to_contain_text("Update recorded: Implemented")


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page, world):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
