"""On a 375 px phone no page is wider than the screen, and each page's key column is on screen.

Wide tables may scroll inside their own labelled region; the page itself never scrolls sideways.
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from events.models import Actor, Event, SourceDocument
from recommendations import workflow
from recommendations.choices import Status
from recommendations.models import Assignment, Recommendation
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 812}

# What lies outside the screen, sideways: the page's overflow, what causes it, any key element cut
# off, and any table that scrolls sideways where a keyboard cannot reach it or a screen reader name it.
MEASURE = """(selectors) => {
  const width = window.innerWidth;
  const found = {};
  const page = document.documentElement.scrollWidth;
  if (page > width) found.page = `${page} px wide`;
  const wider = [...document.querySelectorAll("body *")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width && box.right > width + 0.5 && !element.parentElement.closest(".table-scroll");
  });
  if (wider.length) found.wider = wider.slice(-4).map((element) => element.outerHTML.slice(0, 100));
  const unreachable = [...document.querySelectorAll("table")].filter((table) => {
    const region = table.closest("[role=region][tabindex='0']");
    const scrolls = table.parentElement.scrollWidth > table.parentElement.clientWidth;
    return scrolls && !(region && (region.ariaLabel || region.getAttribute("aria-labelledby")));
  });
  if (unreachable.length) found.unreachable = unreachable.map((table) => table.outerHTML.slice(0, 100));
  for (const selector of selectors) {
    const elements = [...document.querySelectorAll(selector)];
    if (!elements.length) { found[selector] = "missing"; continue; }
    const off = elements.filter((element) => {
      const box = element.getBoundingClientRect();
      return box.left < -0.5 || box.right > width + 0.5;
    });
    if (off.length) found[selector] = `${off.length} of ${elements.length} off screen`;
  }
  return found;
}"""


@pytest.fixture
def demo(live_server, settings):
    settings.DEMO_PASSWORD = PASSWORD
    call_command("load_demo", stdout=io.StringIO())
    long_words_everywhere()


def long_words_everywhere():
    """Words and addresses longer than a phone is wide, in the texts the pages show."""
    word = "Unbreakable" * 9
    address = f"https://example.org/{word}"
    Event.objects.filter(code="CSACVE-2015").update(summary=f"About {word}.")
    SourceDocument.objects.filter(event__code="CSACVE-2015").update(location=address)
    Recommendation.objects.filter(code="CSACVE-2015-1").update(title=f"Identify {word}", text=f"The {word}.")
    assignment = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ")
    Assignment.objects.filter(pk=assignment.pk).update(note=f"See {address}")
    workflow.record_status_update(
        workflow.Report(
            assignment=assignment,
            status=Status.IMPLEMENTED,
            date=datetime.date(2016, 1, 4),
            author=get_user_model().objects.get(username="coordinator"),
            note=f"Done: {word}.",
            internal_note=f"Internal: {word}.",
            evidence_url=address,
        )
    )


def every_page(signed_in):
    """Each page of web/urls.py (and sign-in's), with the selectors of what must be on screen."""
    event = Event.objects.get(code="CSACVE-2015")
    kz = Actor.objects.get(iso_code="KZ")
    body = Actor.objects.get(name="Parliament of Kazakhstan")
    kz_step_1 = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ")
    status_column = "table.data tbody .status"
    matrix = [".matrix-layout > .table-scroll", ".matrix tbody th"]
    pages = {
        "/": [*matrix, ".tiles"],
        "/events/": ["table.data tbody td:first-child a"],
        event.get_absolute_url(): [*matrix, ".recommendation-list .progress"],
        f"{event.get_absolute_url()}report/": [".report-section .table-scroll", status_column],
        "/recommendations/": ["table.data tbody td:first-child a"],
        Recommendation.objects.get(code="CSACVE-2015-1").get_absolute_url(): [status_column],
        "/actors/": ["table.data tbody td:first-child a"],
        kz.get_absolute_url(): [status_column, ".breakdown"],
        body.get_absolute_url(): [".breakdown"],
        "/assignments/": [status_column, "table.data thead th:nth-child(3)"],
        "/assignments/?status=bogus": [".filters summary"],
        kz_step_1.get_absolute_url(): [".current-status .status", ".timeline .status"],
    }
    if signed_in:
        pages[kz_step_1.get_absolute_url()].append("#record-update button")
        pages["/accounts/password_change/"] = ["form button"]
        pages["/accounts/password_change/done/"] = ["h1"]
        # The coordinators' pages (the signed-in user is a coordinator).
        pages["/coordinate/meetings/new/"] = [".entry-form .actions button"]
        pages[f"/coordinate/events/{event.pk}/assign/"] = [".assign-form button"]
        step_1 = Recommendation.objects.get(code="CSACVE-2015-1")
        pages[f"/coordinate/recommendations/{step_1.pk}/assign/"] = [".assign-form button", status_column]
        pages[f"/coordinate/actors/{kz.pk}/invite/"] = [".form .actions button"]
        focal = kz.focal_points.first()
        pages[f"/coordinate/actors/{kz.pk}/focal-points/{focal.pk}/unlink/"] = [".form .actions button"]
        pages[kz.get_absolute_url()].append("#focal-points-heading ~ .table-scroll")
    else:
        pages["/accounts/login/"] = ["form button"]
    return pages


def overflows(page, pages):
    return {url: found for url, selectors in pages.items() if (found := _measure(page, url, selectors))}


def _measure(page, url, selectors):
    page.goto(url)
    return page.evaluate(MEASURE, selectors)


def test_no_page_is_wider_than_a_phone_and_the_key_columns_are_on_screen(page, demo):
    page.set_viewport_size(PHONE)
    found = {"anonymous": overflows(page, every_page(signed_in=False))}
    log_in(page, "coordinator")
    found["coordinator"] = overflows(page, every_page(signed_in=True))
    assert found == {"anonymous": {}, "coordinator": {}}


def test_the_reporting_form_fits_a_phone_and_so_do_its_errors(page, demo):
    assignment = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KG")
    page.set_viewport_size(PHONE)
    log_in(page, "focal-kg", next_url=assignment.get_absolute_url())
    form_fields = ["#record-update select", "#record-update textarea", "#record-update button"]
    assert page.evaluate(MEASURE, form_fields) == {}
    page.get_by_label("Status:", exact=True).select_option("implemented")
    page.get_by_label("What has been done").fill("Unbroken" * 40)  # kept in the form, which must wrap it
    page.get_by_role("button", name="Record update").click()
    page.locator("#id_evidence_url_error").wait_for()
    assert page.evaluate(MEASURE, [*form_fields, ".errorlist"]) == {}
