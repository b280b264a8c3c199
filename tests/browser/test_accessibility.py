"""axe-core on the main pages, as a visitor and as a focal point with the form open (and in error)."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from events.models import Actor, Event
from recommendations.models import Assignment, Recommendation
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BLOCKING = {"serious", "critical"}


@pytest.fixture
def demo(live_server, settings):
    """The documents and the demo data: every status, corrections and demo badges on the pages."""
    settings.DEMO_PASSWORD = PASSWORD
    call_command("load_demo", stdout=io.StringIO())


def main_pages():
    event = Event.objects.get(code="CSACVE-2015")
    kyrgyz_step_1 = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KG")
    return [
        "/",
        "/events/",
        event.get_absolute_url(),
        f"{event.get_absolute_url()}report/",
        "/recommendations/?kind=agreed_step&ordering=-code",
        Recommendation.objects.get(code="CSACVE-2015-1").get_absolute_url(),
        "/actors/",
        Actor.objects.get(iso_code="KZ").get_absolute_url(),
        "/assignments/?status=no_report",
        "/assignments/?status=bogus",
        kyrgyz_step_1.get_absolute_url(),
        "/accounts/login/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/an-invalid-token/",  # the page a used or old link opens
    ]


def audit(page, url):
    page.goto(url)
    response = Axe().run(page).response
    assert response["testEngine"]["name"] == "axe-core" and response["url"].endswith(url)
    violations = response["violations"]
    for violation in violations:
        print(f"{url}: {violation['impact']} {violation['id']} ({len(violation['nodes'])} nodes) — {violation['help']}")
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(blocking):
    return [(v["id"], [node["target"] for node in v["nodes"]]) for v in blocking]


def test_the_main_pages_have_no_serious_or_critical_violations(page, demo):
    errors = []  # a script error or a Content Security Policy refusal shows up here
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    blocking = {url: describe(found) for url in main_pages() if (found := audit(page, url))}
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: folded filters, scrolling tables
    blocking |= {
        f"{url} (phone)": describe(found) for url in ["/", "/assignments/?country=KZ"] if (found := audit(page, url))
    }
    assert blocking == {}
    assert errors == []


def test_the_reporting_form_and_its_errors_have_no_serious_or_critical_violations(page, demo):
    assignment = Assignment.objects.get(recommendation__code="CSACVE-2015-2", actor__iso_code="KG")
    log_in(page, "focal-kg", next_url=assignment.get_absolute_url())
    assert describe(audit(page, assignment.get_absolute_url())) == []
    page.get_by_label("Status:", exact=True).select_option("implemented")
    page.get_by_role("button", name="Record update").click()
    page.locator("#id_evidence_url_error").wait_for()
    violations = Axe().run(page).response["violations"]
    assert describe([v for v in violations if v["impact"] in BLOCKING]) == []
