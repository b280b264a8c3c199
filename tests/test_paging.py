"""A long list is counted up to a cap (cvetracker/paging.py): the pages say "more than", the API's
`count` is null, and a page past the cap is still there, with the exact total."""

import pytest

from cvetracker.paging import CappedCountPaginator
from recommendations.models import Recommendation
from web import views

pytestmark = pytest.mark.django_db
CAP = 4  # the documents have 12 recommendations: 7 agreed steps, 4 proposals, 1 recommendation


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", CAP)
    monkeypatch.setattr(views.RecommendationListView, "paginate_by", 2)


def test_a_list_longer_than_the_cap_says_more_than_and_has_no_last_page(client, documents):
    first = client.get("/recommendations/").text
    assert "More than 4 recommendations" in first
    assert "Page 1 of more than 2" in first and 'rel="next"' in first and "Last »" not in first
    short = client.get("/recommendations/?kind=proposal").text
    assert "4 recommendations match the filters" in short and "Page 1 of 2" in short and "Last »" in short


def test_a_page_at_or_past_the_cap_is_served_with_the_exact_total(client, documents):
    html = client.get("/recommendations/?page=3").text  # rows 5 and 6: past what was counted
    assert "12 recommendations" in html and "Page 3 of 6" in html and "Last »" in html
    assert "Page 6 of 6" in client.get("/recommendations/?page=6").text
    assert client.get("/recommendations/?page=7").status_code == 404


def test_the_api_count_is_null_past_the_cap_and_exact_below_it(client, documents):
    body = client.get("/api/recommendations/?page_size=2").json()
    assert body["count"] is None and "page=2" in body["next"] and len(body["results"]) == 2
    assert client.get("/api/recommendations/?kind=proposal").json()["count"] == 4
    deep = client.get("/api/recommendations/?page_size=2&page=6").json()
    assert deep["count"] == Recommendation.objects.count() == 12 and deep["next"] is None
