"""Screenshots for docs/screenshots/ (the README shows the dashboard), taken from the demo data."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from events.models import Actor
from recommendations.models import Assignment
from tests.browser.conftest import SCREENSHOTS, log_in, switch
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo(live_server, settings):
    settings.DEMO_PASSWORD = PASSWORD
    call_command("load_demo", stdout=io.StringIO())


def shoot(page, url, name, shows):
    page.goto(url)
    expect(page.locator("main")).to_contain_text(shows)
    path = SCREENSHOTS / f"{name}.png"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 20_000  # a rendered page, not a blank one


def test_screenshots_of_the_dashboard_a_scorecard_and_a_timeline(page, demo):
    shoot(page, "/", "dashboard", "Countries × steps")
    shoot(page, Actor.objects.get(iso_code="KZ").get_absolute_url(), "scorecard", "Scorecard")
    # A corrected timeline, seen by its focal point: the "Record an update" form is open beside it.
    corrected = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KG")
    log_in(page, "focal-kg", next_url=corrected.get_absolute_url())
    shoot(page, corrected.get_absolute_url(), "assignment-timeline", "Superseded: a later update corrects this one.")
    expect(page.get_by_role("button", name="Record update")).to_be_visible()


def test_screenshots_of_the_dashboard_in_russian_and_kazakh(page, demo):
    page.goto("/")
    for name, code in [("Русский", "ru"), ("Қазақша", "kk")]:
        switch(page, name)  # as a reader does: the language switch
        with translation.override(code):
            heading = translation.gettext("Countries × steps")
        assert heading != "Countries × steps"
        shoot(page, "/", f"dashboard-{code}", heading)
