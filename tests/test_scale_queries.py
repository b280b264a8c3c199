"""The benchmark's pages and endpoints cost the same number of queries on a small and a five
times larger synthetic data set (benchmarks/run.py measures their time; this checks the queries).

The data comes from `generate_synthetic`, so it has the shape the benchmark measures: countries
with nested sub-bodies, many events, corrected reports and independent assessments. On PostgreSQL
a repeated read is answered from the cache (cvetracker/read_cache.py), so the queries are counted
both ways: as served, and computed each time (the cache off, as READ_CACHE=off does).
"""

import datetime
import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from events.models import Actor, Event
from recommendations.models import Assignment
from tests.growth import SMALL, generate_synthetic
from tests.helpers import count_queries, expected_query_counts

GROWTH = 5  # the larger data set has this many times the rows on every axis

READS = [
    "/",
    "/recommendations/?status=in_progress",
    "/assignments/?country=KZ&status=in_progress",
    "/actors/{kz}/",
    "/api/assignments/?country=KZ&status=in_progress",
    "/api/recommendations/?kind=agreed_step",
    "/api/status-updates/?country=KZ",
    "/api/progress/?by=event",
]


def costs(client, token, kz, assignment):
    measured = {url: count_queries(client, url.format(kz=kz), warm_up=True) for url in READS}
    body = {"assignment": assignment, "status": "in_progress", "date": datetime.date.today().isoformat()}
    measured["POST /api/status-updates/"] = count_queries(
        client,
        "/api/status-updates/",
        "post",
        warm_up=True,
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )
    return measured


@pytest.mark.parametrize("mode", ["served", "computed"])
@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_the_benchmarks_endpoints_cost_the_same_queries_at_five_times_the_size(
    client, coordinator, settings, role, mode
):
    if mode == "computed":
        settings.CACHES = {**settings.CACHES, "answers": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    token = f"Token {Token.objects.create(user=coordinator).key}"
    if role == "coordinator":
        client.force_login(coordinator)
        client.get("/")  # the CSRF cookie a browser keeps from its first page
    kz = Actor.objects.get(iso_code="KZ").pk
    assignment = Assignment.objects.filter(actor_id=kz).first().pk

    generate_synthetic(1)
    small = costs(client, token, kz, assignment)
    generate_synthetic(GROWTH)
    large = costs(client, token, kz, assignment)

    assert large == small
    expected_query_counts("benchmark", f"{role}, {mode}", small)
    # The larger data set really is larger where the endpoints look.
    assert Event.objects.filter(dataset="synthetic").count() == SMALL["events"] * (1 + GROWTH)
    kazakh = Assignment.objects.filter(actor__in=Actor.objects.subtree_of([kz]))
    assert kazakh.filter(dataset="synthetic").count() > SMALL["assignments"] * GROWTH / SMALL["actors"]


def test_the_progress_breakdown_is_paged(client, documents):
    call_command(
        "generate_synthetic",
        *("--events=60", "--recommendations=60", "--actors=5", "--assignments=60", "--updates=0"),
        stdout=io.StringIO(),
    )
    body = client.get("/api/progress/?by=event&page_size=25&page=2").json()
    assert (body["count"], len(body["breakdown"])) == (62, 25)
    assert "page=3" in body["next"] and "page_size=25" in body["next"]
    assert body["summary"]["total"] == Assignment.objects.count()
    csv = b"".join(client.get("/api/progress/?by=event&format=csv").streaming_content)
    rows = csv.decode().strip().splitlines()
    assert len(rows) == 1 + 62, "the CSV export has every row"
