"""One definition of a share (recommendations.reads.progress.share: of the assignments that apply), used by
every figure on the pages and in the admin, and said where the figure is shown."""

import re

import pytest
from django.urls import reverse

from recommendations.choices import Status
from tests.factories import assignment, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(coordinator):
    """10 assignments (the documents'): Kazakhstan implemented step 1, Kyrgyzstan's is not applicable."""
    report(assignment("CSACVE-2015-1", "KZ", None), coordinator, Status.IMPLEMENTED, evidence_url="https://e.org/1")
    report(assignment("CSACVE-2015-1", "KG", None), coordinator, Status.NOT_APPLICABLE)


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_dashboards_headline_and_its_status_table_give_the_same_share(client, reported):
    page = _text(client.get(reverse("dashboard")).content.decode())

    assert "11% implemented 1 of 9 assignments that apply (1 not applicable left out)" in page
    assert "Implemented 1 11%" in page  # the status table's row: count, share
    assert "Not applicable 1 –" in page  # left out of every share
    assert "Shares are of the assignments that apply (those marked not applicable are left out)." in page


def test_the_admins_progress_column_uses_the_same_share(client, superuser, reported):
    client.force_login(superuser)

    page = _text(client.get(reverse("admin:recommendations_recommendation_changelist")).content.decode())

    assert "12% (1 of 8 that apply)" in page
