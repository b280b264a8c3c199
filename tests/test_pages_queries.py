"""Every page costs the same number of queries for N rows and for ten times as many.

The data grows along every axis a page shows: events, the recommendations of one event (the
dashboard's matrix and the event page), a recommendation's assignments, an actor's sub-bodies
(the scorecard), an assignment's updates (its timeline), and the updates on the dashboard.
Rows are bulk-created and marked synthetic; the pages only read them.
"""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cvetracker.datasets import Dataset
from events.choices import ActorKind, EventKind, ParticipationRole
from events.models import Actor, Event, EventParticipation, SourceDocument
from recommendations.choices import Status
from recommendations.models import Assignment, Recommendation, StatusUpdate

N = 4
STATUSES = itertools.cycle(["", *Status.values])
SYNTHETIC = {"dataset": Dataset.SYNTHETIC}


class World:
    """Fixed objects the pages look at, and a counter so every grown row is new."""

    def __init__(self, author):
        self.author = author
        self.made = 0
        self.kazakhstan = Actor.objects.get(iso_code="KZ")
        self.countries = list(Actor.objects.countries().order_by("pk")[:5])
        self.event = Event.objects.create(
            title="Growing meeting",
            code="GROW",
            kind=EventKind.MEETING,
            start_date=datetime.date(2016, 6, 1),
            **SYNTHETIC,
        )
        self.document = SourceDocument.objects.create(event=self.event, title="Minutes", publisher="Secretariat")
        self.recommendation = self._recommendations(self.event, 1)[0]
        self.assignment = Assignment.objects.create(
            recommendation=self.recommendation, actor=self.kazakhstan, due_date=datetime.date(2016, 9, 1), **SYNTHETIC
        )

    def _recommendations(self, event, count, document=None):
        start = self.made
        self.made += count
        return Recommendation.objects.bulk_create(
            Recommendation(
                event=event,
                code=f"{event.code}-{start + i}",
                sequence=start + i + 1,
                kind="agreed_step",
                title=f"Step {start + i}",
                text="Do it.",
                source_document=document or self.document,
                source_quote="Do it.",
                due_date=datetime.date(2016, 9, 1),
                **SYNTHETIC,
            )
            for i in range(count)
        )

    def _assign(self, pairs):
        assignments = Assignment.objects.bulk_create(
            Assignment(recommendation=r, actor=a, due_date=datetime.date(2016, 9, 1), **SYNTHETIC) for r, a in pairs
        )
        self._report(assignments)
        return assignments

    def _report(self, assignments, per_assignment=1):
        updates = StatusUpdate.objects.bulk_create(
            StatusUpdate(
                assignment=a,
                status=status,
                date=datetime.date(2016, 7, 1) + datetime.timedelta(days=n),
                note="Synthetic.",
                internal_note="Synthetic internal.",
                evidence_url="https://example.org/e",
                author=self.author,
                reported_by="coordinator",
                **SYNTHETIC,
            )
            for a in assignments
            for n in range(per_assignment)
            if (status := next(STATUSES) or Status.IN_PROGRESS)
        )
        latest = {update.assignment_id: update for update in updates}
        for assignment in assignments:
            assignment.last_update = latest[assignment.pk]
            assignment.status, assignment.status_date = latest[assignment.pk].status, latest[assignment.pk].date
        Assignment.objects.bulk_update(assignments, ["last_update", "status", "status_date"])

    def grow(self, n):
        # n more events with a recommendation each, assigned to every country.
        events = Event.objects.bulk_create(
            Event(
                title=f"Meeting {self.made + i}",
                code=f"M-{self.made + i}",
                kind=EventKind.MEETING,
                start_date=datetime.date(2015, 1, 1) + datetime.timedelta(days=self.made + i),
                **SYNTHETIC,
            )
            for i in range(n)
        )
        EventParticipation.objects.bulk_create(
            EventParticipation(event=event, actor=self.kazakhstan, role=ParticipationRole.PARTICIPANT)
            for event in events
        )
        for event in events:
            document = SourceDocument.objects.create(event=event, title="Notes", publisher="Office")
            self._assign((r, c) for r in self._recommendations(event, 1, document) for c in self.countries)
        # n more steps of the growing event, for every country: the matrix grows both ways.
        self._assign((r, c) for r in self._recommendations(self.event, n) for c in self.countries)
        # n more sub-bodies of Kazakhstan, each responsible for the fixed recommendation.
        bodies = Actor.objects.bulk_create(
            Actor(name=f"Body {self.made + i}", kind=ActorKind.GOVERNMENT_BODY, parent=self.kazakhstan, **SYNTHETIC)
            for i in range(n)
        )
        self.made += n
        self._assign((self.recommendation, body) for body in bodies)
        # n more updates on the fixed assignment's timeline.
        self._report([self.assignment], per_assignment=n)


def pages(world):
    return [
        "/",
        "/events/",
        "/events/?search=meeting&ordering=-start_date",
        f"/events/{world.event.pk}/",
        f"/events/{world.event.pk}/report/",
        "/recommendations/",
        f"/recommendations/?event={world.event.pk}&ordering=-due_date",
        f"/recommendations/{world.recommendation.pk}/",
        "/actors/",
        "/actors/?kind=government_body",
        f"/actors/{world.kazakhstan.pk}/",
        "/assignments/",
        "/assignments/?country=KZ&status=in_progress&status=no_report&overdue=true",
        f"/assignments/{world.assignment.pk}/",
    ]


def queries(client, url):
    client.get(url)  # warm up per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("role", ["anonymous", "focal_kz", "coordinator"])
def test_no_page_costs_more_queries_for_ten_times_the_rows(client, request, documents, role):
    world = World(author=request.getfixturevalue("coordinator"))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    world.grow(N)
    small = {url: queries(client, url) for url in pages(world)}
    world.grow(9 * N)
    large = {url: queries(client, url) for url in pages(world)}
    assert large == small
    # The figures the report quotes (anonymous reader, N vs 10 N rows).
    print(f"\nqueries per page ({role}):", small)


def test_the_growing_pages_really_show_the_grown_rows(client, documents, coordinator):
    world = World(author=coordinator)
    world.grow(9 * N)
    matrix = client.get("/").context["matrix"]
    assert len(matrix.columns) == 1 + 9 * N and len(matrix.rows) == len(world.countries)
    scorecard = client.get(f"/actors/{world.kazakhstan.pk}/").context
    assert scorecard["summary"]["total"] >= 9 * N + 1
    timeline = client.get(f"/assignments/{world.assignment.pk}/").context["updates"]
    assert len(timeline) == 9 * N
