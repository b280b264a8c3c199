"""Every list costs the same number of queries for 5 rows as for 50: nothing is fetched per row.

Each row carries everything a row can show (participants, documents, themes, a parent body, a
region, a report and its correction), and the lists are read as JSON, with every expansion, and as CSV.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Actor, ActorGroup, Event, EventParticipation, SourceDocument
from recommendations import workflow
from recommendations.models import Recommendation, Theme

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
]


def add_rows(start, stop, coordinator):
    """Synthetic rows numbered start…stop-1: an event with a participant, a document and a recommendation
    assigned to a new body (in a new region) that has reported and then corrected its report."""
    kazakhstan = Actor.objects.get(iso_code="KZ")
    for n in range(start, stop):
        event = Event.objects.create(
            code=f"SYN-{n}", title=f"Synthetic meeting {n}", kind="meeting", start_date=datetime.date(2015, 1, 1)
        )
        EventParticipation.objects.create(event=event, actor=kazakhstan, role="organiser")
        document = SourceDocument.objects.create(event=event, title=f"Synthetic record {n}", publisher="Test")
        recommendation = Recommendation.objects.create(
            event=event,
            code=f"SYN-{n}-1",
            sequence=1,
            kind="recommendation",
            title=f"Synthetic step {n}",
            text="Do it.",
            source_document=document,
            source_quote="Do it.",
            due_date=datetime.date(2016, 1, 1),
        )
        recommendation.themes.set(Theme.objects.all()[:2])
        body = Actor.objects.create(name=f"Synthetic body {n}", kind="ngo", parent=kazakhstan)
        ActorGroup.objects.create(name=f"Synthetic region {n}", slug=f"synthetic-{n}").members.set([body, kazakhstan])
        assignment = workflow.assign(recommendation=recommendation, actors=[body], by=coordinator).created[0]
        first = workflow.record_status_update(
            workflow.Report(
                assignment=assignment,
                status="in_progress",
                date=datetime.date(2015, 6, 1),
                note="Synthetic report.",
                author=coordinator,
            )
        )
        workflow.record_status_update(
            workflow.Report(
                assignment=assignment,
                status="stalled",
                date=datetime.date(2015, 6, 1),
                note="Synthetic correction.",
                corrects=first,
                author=coordinator,
            )
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("as_csv", [False, True], ids=["json", "csv"])
@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_lists_cost_the_same_for_5_rows_as_for_50(role, as_csv, request, api, coordinator):
    client = api(None if role == "anonymous" else coordinator)
    urls = [f"{url}&format=csv" if "?" in url else f"{url}?format=csv" for url in LISTS] if as_csv else LISTS
    add_rows(0, 5, coordinator)
    small = {url: queries(client, url) for url in urls}

    add_rows(5, 50, coordinator)
    large = {url: queries(client, url) for url in urls}

    assert large == small
    listed = client.get("/api/status-updates/?search=Synthetic&page_size=100").json()["count"]
    assert listed == 100  # the 50 rows really are there: a report and a correction each


def test_the_figures_are_the_same_whatever_the_page(api, coordinator):
    add_rows(0, 12, coordinator)

    first = api().get("/api/events/?search=SYN&page_size=5&ordering=code").json()["results"]
    one = api().get(f"/api/events/{first[0]['id']}/").json()

    assert first[0]["progress"] == one["progress"]
    assert (one["progress"]["total"], one["progress"]["stalled"]) == (1, 1)  # the correction stands
