"""Every list costs the same number of queries for 5 rows as for 50: nothing is fetched per row.

Each row carries everything a row can show (participants, documents, themes, a parent body, a
region, a report and its correction), and the lists are read as JSON, with every expansion, and as CSV and XLSX.
"""

import pytest

from tests.growth import add_rows
from tests.helpers import count_queries, expected_query_counts

# Each list filtered to the synthetic rows, so the documents' own rows do not blur the count.
LISTS = [
    "/api/events/?search=SYN",
    "/api/actors/?search=Synthetic",
    "/api/recommendations/?search=SYN",
    "/api/assignments/?search=SYN",
    "/api/assignments/?search=SYN&expand=recommendation,actor",
    "/api/status-updates/?search=Synthetic",
    "/api/status-updates/?search=Synthetic&expand=assignment",
    "/api/regions/",
    "/api/themes/",
    "/api/progress/?search=SYN&by=event",
    "/api/progress/?search=SYN&by=month",
]


@pytest.mark.parametrize("export", [None, "csv", "xlsx"], ids=["json", "csv", "xlsx"])
@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_lists_cost_the_same_for_5_rows_as_for_50(role, export, request, api, coordinator):
    client = api(None if role == "anonymous" else coordinator)
    urls = [f"{url}{'&' if '?' in url else '?'}format={export}" for url in LISTS] if export else LISTS
    add_rows(0, 5, coordinator)
    small = {url: count_queries(client, url) for url in urls}

    add_rows(5, 50, coordinator)
    large = {url: count_queries(client, url) for url in urls}

    assert large == small
    expected_query_counts("api_lists", f"{role}, {export or 'json'}", small)
    listed = client.get("/api/status-updates/?search=Synthetic&page_size=100").json()["count"]
    assert listed == 100  # the 50 rows really are there: a report and a correction each


def test_the_figures_are_the_same_whatever_the_page(api, coordinator):
    add_rows(0, 12, coordinator)

    first = api().get("/api/events/?search=SYN&page_size=5&ordering=code").json()["results"]
    one = api().get(f"/api/events/{first[0]['id']}/").json()

    assert first[0]["progress"] == one["progress"]
    assert (one["progress"]["total"], one["progress"]["stalled"]) == (1, 1)  # the correction stands
