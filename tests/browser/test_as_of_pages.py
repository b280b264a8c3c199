"""A page as of a past day in a browser: the date form puts the day in the address, the banner says
it, a bad date says why, and axe finds nothing serious on either."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from events.models import Event
from tests.browser.test_accessibility import BLOCKING, demo, describe  # noqa: F401 (demo: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_choosing_a_day_shows_that_day_and_passes_axe(page, demo):  # noqa: F811
    event = Event.objects.get(code="CSACVE-2015")
    page.goto(event.get_absolute_url())
    page.get_by_label("Show the state on").fill("2015-09-29")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(re.compile(r"\?as_of=2015-09-29$"))
    assert page.get_by_role("status").filter(has_text="As of 29 September 2015").is_visible()
    assert describe([v for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]) == []
    page.get_by_role("link", name="Progress report").click()  # the day goes along
    page.wait_for_url(re.compile(r"/report/\?as_of=2015-09-29$"))
    page.get_by_role("link", name="Back to today").click()
    page.wait_for_url(re.compile(r"/report/$"))

    page.goto("/?as_of=2015-13-01")
    assert page.get_by_role("alert").filter(has_text="That is not a date").is_visible()
    assert describe([v for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]) == []
