"""Every page costs the same number of queries for N rows and for ten times as many.

The data grows along every axis a page shows: events, the recommendations of one event (the
dashboard's matrix and the event page), a recommendation's assignments, an actor's sub-bodies
(the scorecard), an assignment's updates (its timeline), and the updates on the dashboard.
Rows are bulk-created and marked synthetic; the pages only read them.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.growth import World
from tests.helpers import QUERY_COUNTS, count_queries, expected_query_counts

N = 4
ROLES = ["anonymous", "focal_kz", "coordinator"]


PAGES = [
    "/",
    "/events/",
    "/events/?search=meeting&ordering=-start_date",
    "/events/{event}/",
    "/events/{event}/report/",
    "/recommendations/",
    "/recommendations/?event={event}&ordering=-due_date",
    "/recommendations/{recommendation}/",
    "/actors/",
    "/actors/?kind=government_body",
    "/actors/{kazakhstan}/",
    "/assignments/",
    "/assignments/?country=KZ&status=in_progress&status=no_report&overdue=true",
    "/assignments/{assignment}/",
    # As of a past day (the grown updates are dated from 1 July 2016 on, day after day).
    "/?as_of=2016-07-15",
    "/events/{event}/?as_of=2016-07-15",
    "/events/{event}/report/?as_of=2016-07-15",
    "/recommendations/{recommendation}/?as_of=2016-07-15",
    "/actors/{kazakhstan}/?as_of=2016-07-15",
]


def pages(world):
    """Each page's address, by the name tests/query_counts.json and docs/pages.md give it (ids as <id>)."""
    names = ("event", "recommendation", "kazakhstan", "assignment")
    ids = {name: getattr(world, name).pk for name in names}
    return {page.format(**dict.fromkeys(names, "<id>")): page.format(**ids) for page in PAGES}


@pytest.mark.parametrize("role", ROLES)
def test_no_page_costs_more_queries_for_ten_times_the_rows(client, request, documents, role):
    world = World(author=request.getfixturevalue("coordinator"))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    world.grow(N)
    small = {name: count_queries(client, url, warm_up=True) for name, url in pages(world).items()}
    world.grow(9 * N)
    large = {name: count_queries(client, url, warm_up=True) for name, url in pages(world).items()}
    assert large == small
    expected_query_counts("pages", role, small)


def test_the_growing_pages_really_show_the_grown_rows(client, documents, coordinator):
    world = World(author=coordinator)
    world.grow(9 * N)
    matrix = client.get("/").context["matrix"]
    assert len(matrix.columns) == 1 + 9 * N and len(matrix.rows) == len(world.countries)
    scorecard = client.get(f"/actors/{world.kazakhstan.pk}/").context
    assert scorecard["summary"]["total"] >= 9 * N + 1
    timeline = client.get(f"/assignments/{world.assignment.pk}/").context["updates"]
    assert len(timeline) == 9 * N


def test_docs_pages_quotes_the_counts_of_tests_query_counts_json():
    counts = json.loads(QUERY_COUNTS.read_text())["pages"]["sqlite"]
    rows = [f"| `{page}` | {' | '.join(str(counts[role][page]) for role in ROLES)} |" for page in counts["anonymous"]]
    table = "\n".join(["| page | anonymous | focal point | coordinator |", "| --- | --- | --- | --- |", *rows])
    assert table in (Path(settings.BASE_DIR) / "docs" / "pages.md").read_text(), f"docs/pages.md should quote:\n{table}"
