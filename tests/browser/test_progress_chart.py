"""The progress chart (web/includes/progress_chart.html) in a browser: axe finds nothing serious at
desktop and phone width with its table open, it names itself to screen readers, and fits a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from events.models import Actor
from tests.browser.test_accessibility import BLOCKING, demo, describe  # noqa: F401 (demo: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_chart_and_its_table_pass_axe_and_name_themselves(page, demo, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    for url in ["/", Actor.objects.get(iso_code="KZ").get_absolute_url()]:
        page.goto(url)
        page.get_by_text("The figures of the chart", exact=True).click()  # opens the table
        chart = page.get_by_role("img", name="Implemented share and assignments by status, month by month")
        assert chart.is_visible()
        assert "the implemented share went from" in chart.evaluate("svg => svg.querySelector('desc').textContent")
        assert page.get_by_role("table").filter(has_text="December 2015").is_visible()
        violations = Axe().run(page).response["violations"]  # on the page as it is, with the table open
        assert describe([v for v in violations if v["impact"] in BLOCKING]) == []
        # The open table scrolls inside its region; the page never gets wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
