"""The Content Security Policy (no inline script or style) refuses nothing the app itself serves:
the admin, the API's Swagger UI and Redoc (drf-spectacular-sidecar), the pages, the lockout page."""

import io

import pytest
from django.core.management import call_command

from recommendations.models import Assignment
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every refusal the browser makes under the policy, collected on the page itself.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} refused ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def demo(live_server, settings):
    settings.DEMO_PASSWORD = PASSWORD
    call_command("load_demo", stdout=io.StringIO())


def _refusals(page, path, ready_selector):
    """What the policy refused on the page: nothing may be, not even a load from another site
    (the app promises no CDN; Redoc's bundle is served without its CDN logo)."""
    page.goto(path)
    page.wait_for_selector(ready_selector)
    page.wait_for_timeout(300)  # scripts that run after load (Redoc's, the admin's widgets)
    return page.evaluate("window.cspViolations")


def _pages():
    kz = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ")
    return [
        ("/admin/", "#content-main"),
        ("/admin/recommendations/assignment/", "#result_list"),
        (f"/admin/recommendations/assignment/{kz.pk}/change/", "#assignment_form"),
        (f"/admin/recommendations/assignment/{kz.pk}/history/", "#audit-history-heading"),
        ("/admin/recommendations/recommendation/1/change/", "#recommendation_form"),
        ("/admin/events/actor/1/change/", "#id_focal_points_from"),  # the two-box selector, built by script
        ("/admin/recommendations/statusupdate/add/", "#statusupdate_form"),
        ("/admin/auditlog/logentry/", "#result_list"),
        ("/api/docs/", ".swagger-ui .info"),
        ("/api/redoc/", ".api-content"),
        ("/", "main"),
        (kz.get_absolute_url(), "#audit-history-heading"),
    ]


def test_nothing_the_app_serves_is_refused(page, demo):
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, "admin", next_url="/")

    refused = {path: found for path, ready in _pages() if (found := _refusals(page, path, ready))}

    assert refused == {}


def test_the_policy_does_refuse_an_inline_script(page, demo):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/")
    page.wait_for_selector("main")

    inject = 'const s = document.createElement("script"); s.textContent = "window.ran = 1"; document.body.append(s)'
    page.evaluate(f"() => {{ {inject} }}")
    page.wait_for_timeout(100)

    assert page.evaluate("window.ran") is None
    assert any(refusal.startswith("script-src") for refusal in page.evaluate("window.cspViolations"))


def test_the_lockout_page_keeps_the_site_look_under_the_policy(page, demo, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    page.add_init_script(RECORD_VIOLATIONS)
    for _ in range(2):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("coordinator")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()

    assert page.get_by_role("heading", name="Too many failed sign-in attempts").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") != "inline"
    assert page.evaluate("window.cspViolations") == []
