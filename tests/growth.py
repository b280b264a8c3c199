"""Data that grows, for the tests that check a request costs as many queries on more rows.

Three shapes, one per test module, because each grows what its requests read:
- `World` (tests/test_pages_queries.py): bulk-created rows along every axis a page shows;
- `add_rows` (tests/test_api_queries.py): rows made through the workflow, each carrying everything
  a list row can show (participants, documents, themes, a parent body, a region, a correction);
- `generate_synthetic` (tests/test_scale_queries.py): the benchmark's own data set, in proportion.
"""

import datetime
import io
import itertools

from django.core.management import call_command

from cvetracker.datasets import Dataset
from events.choices import ActorKind, EventKind, ParticipationRole
from events.models import Actor, ActorGroup, Event, EventParticipation, SourceDocument
from recommendations import workflow
from recommendations.choices import Status
from recommendations.models import Assignment, Recommendation, StatusUpdate, Theme

SYNTHETIC = {"dataset": Dataset.SYNTHETIC}
STATUSES = itertools.cycle(["", *Status.values])


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


# The benchmark's shape at its smallest; generate_synthetic(scale) makes `scale` times as many rows.
SMALL = {"events": 4, "recommendations": 20, "actors": 40, "assignments": 120, "updates": 400}


def generate_synthetic(scale):
    arguments = [f"--{name}={count * scale}" for name, count in SMALL.items()]
    call_command("generate_synthetic", *arguments, "--seed", str(scale), stdout=io.StringIO())
