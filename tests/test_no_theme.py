"""Assignments whose recommendation has no theme make a group of their own in the figures by theme:
key `none`, label "No theme" (a slug no theme may take)."""

import pytest
from django.core.exceptions import ValidationError

from recommendations.models import Recommendation, Theme

pytestmark = pytest.mark.django_db


def test_the_breakdown_by_theme_names_the_group_without_one(api, documents):
    Recommendation.objects.get(code="CTRT-2016-1").themes.clear()

    body = api().get("/api/progress/", {"by": "theme"}).json()
    csv = b"".join(api().get("/api/progress/", {"by": "theme", "format": "csv"}).streaming_content).decode()

    (row,) = [row for row in body["breakdown"] if row["key"] == "none"]
    assert (row["label"], row["total"]) == ("No theme", 1)
    assert all(row["key"] is not None and row["label"] is not None for row in body["breakdown"])
    assert "none,No theme," in csv


def test_no_theme_may_take_the_slug_of_the_group_without_one(documents):
    with pytest.raises(ValidationError) as refused:
        Theme(name="None at all", slug="none").full_clean()
    assert "slug" in refused.value.message_dict
