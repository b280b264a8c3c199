"""axe-core on the pages that show an independent assessment beside the self-report, and a
disagreement flag, at desktop and phone width; and on the figures as assessed."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from events.models import Event
from recommendations import workflow
from recommendations.models import Assignment
from tests.browser.test_accessibility import audit, demo, describe  # noqa: F401 (demo is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def assessed(demo):  # noqa: F811
    """Two assessments of the demo's step 1: Kazakhstan's disagrees with its report, Kyrgyzstan's agrees."""
    coordinator = get_user_model().objects.get(username="coordinator")
    for iso, status in (("KZ", "in_progress"), ("KG", "partially_implemented")):
        row = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code=iso)
        workflow.record_status_update(
            workflow.Report(
                assignment=row, status=status, date=datetime.date(2016, 1, 10), author=coordinator, kind="assessment"
            )
        )
    return Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ")


def test_both_statuses_and_the_flag_have_no_serious_or_critical_violations(page, assessed):
    event = Event.objects.get(code="CSACVE-2015").get_absolute_url()
    pages = [
        f"{event}?basis=assessed",
        f"{event}report/",
        assessed.actor.get_absolute_url(),
        "/assignments/?disagrees=true",
        assessed.get_absolute_url(),
        "/?basis=assessed&as_of=2016-02-01",
    ]
    page.goto(event)
    assert "disagrees with the self-report" in page.content()
    blocking = {url: describe(found) for url in pages if (found := audit(page, url))}
    page.set_viewport_size({"width": 390, "height": 800})
    blocking |= {f"{url} (phone)": describe(found) for url in pages[:4] if (found := audit(page, url))}
    assert blocking == {}
