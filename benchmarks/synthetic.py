"""A synthetic data set for benchmarks, every row marked dataset="synthetic".

This module writes rows directly — COPY on PostgreSQL, batched INSERTs elsewhere — and does
NOT go through recommendations.workflow: two million workflow calls would take hours. It keeps
the workflow's invariant itself: each assignment's `status`, `status_date`, `last_update` and
`assessed_status` are those of its latest standing update (not corrected, latest by date,
created_at, id), worked out while the updates are generated. The updates also follow the
workflow's rules (dated between the event and today, evidence for "implemented", a correction
corrects the standing update of the same assignment and kind). tests/test_generate_synthetic.py
checks the invariant against workflow.latest_update.

Ids are allocated after each table's current maximum, so run it on a database nobody else is
writing to (the benchmark's own database, a test database).
"""

import datetime
import random
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Q

from cvetracker.datasets import Dataset
from events.choices import ActorKind, EventKind, ParticipationRole
from events.models import Actor, Event, EventParticipation, SourceDocument
from notifications.models import Follow, Notification
from recommendations.choices import AssignmentRole, RecommendationKind, ReportedBy, Status, UpdateKind
from recommendations.models import Assignment, Recommendation, StatusUpdate, Theme

SYNTHETIC = Dataset.SYNTHETIC

# ISO 3166-1 reserves these alpha-2 codes for user assignment: no real country will ever
# have one, so synthetic countries never collide with the documents' fixture or real data.
# XK is left out: it is widely used for Kosovo.
USER_ASSIGNED_CODES = [
    "AA",
    *(f"Q{c}" for c in "MNOPQRSTUVWXYZ"),
    *(f"X{c}" for c in "ABCDEFGHIJLMNOPQRSTUVWXYZ"),
    "ZZ",
]

# Fixed dates keep a seed's data set identical from one day to the next (capped at today,
# because the workflow forbids status dates in the future).
FIRST_EVENT = datetime.date(2000, 1, 1)
LAST_DATE = datetime.date(2025, 12, 31)

BODY_KINDS = [ActorKind.GOVERNMENT_BODY] * 6 + [
    ActorKind.PARLIAMENT,
    ActorKind.NGO,
    ActorKind.NGO,
    ActorKind.PRIVATE_SECTOR,
]
RECOMMENDATION_KINDS = (
    [RecommendationKind.RECOMMENDATION] * 5 + [RecommendationKind.AGREED_STEP] * 4 + [RecommendationKind.PROPOSAL]
)
STATUSES = (
    [Status.NOT_STARTED] * 2
    + [Status.IN_PROGRESS] * 7
    + [Status.PARTIALLY_IMPLEMENTED] * 4
    + [Status.IMPLEMENTED] * 4
    + [Status.STALLED] * 2
    + [Status.NOT_APPLICABLE]
)
VERBS = ["Strengthen", "Develop", "Support", "Train", "Establish", "Review", "Fund", "Expand", "Evaluate", "Coordinate"]
SUBJECTS = [
    "national coordination",
    "community policing",
    "prison rehabilitation programmes",
    "counter-messaging online",
    "civil society partnerships",
    "youth outreach",
    "teacher training",
    "research on radicalisation",
    "regional information exchange",
    "victim support",
]
QUALIFIERS = ["with civil society", "in border regions", "with a gender perspective", "across ministries", "by 2030"]

ASSIGNMENT_SHARE_REPORTING = 0.8  # the rest have no report yet
ASSESSMENT_SHARE = 0.1
CORRECTION_SHARE = 0.05


@dataclass(frozen=True)
class Counts:
    events: int
    recommendations: int
    actors: int
    assignments: int
    updates: int


SCALES = {
    "small": Counts(events=10, recommendations=500, actors=100, assignments=5_000, updates=20_000),
    "L": Counts(events=1_000, recommendations=50_000, actors=2_000, assignments=500_000, updates=2_000_000),
}


def check(counts):
    """A one-line message if these counts cannot make a data set, else None."""
    if counts.recommendations and not counts.events:
        return "Recommendations need at least one event (--events)."
    actors = counts.actors + Actor.objects.count()
    if counts.assignments:
        if not counts.recommendations:
            return "Assignments need at least one recommendation (--recommendations)."
        if counts.assignments > counts.recommendations * actors:
            return (
                f"{counts.assignments} assignments cannot be unique per recommendation × actor with "
                f"{counts.recommendations} recommendations and {actors} actors."
            )
    if counts.updates and not counts.assignments:
        return "Status updates need at least one assignment (--assignments)."
    return None


def clear():
    """Delete every synthetic row, dependents first. Returns how many rows went."""
    recommendations = Recommendation.objects.filter(dataset=SYNTHETIC)
    events = Event.objects.filter(dataset=SYNTHETIC)
    actors = Actor.objects.filter(dataset=SYNTHETIC)
    steps = [
        # Users' notifications of synthetic updates and follows of synthetic rows go with them.
        Notification.objects.filter(update__dataset=SYNTHETIC),
        Follow.objects.filter(Q(event__in=events) | Q(actor__in=actors) | Q(recommendation__in=recommendations)),
        StatusUpdate.objects.filter(dataset=SYNTHETIC),
        Assignment.objects.filter(dataset=SYNTHETIC),
        Recommendation.themes.through.objects.filter(recommendation__in=recommendations),
        recommendations,
        EventParticipation.objects.filter(Q(event__in=events) | Q(actor__in=actors)),
        SourceDocument.objects.filter(event__in=events),
        events,
        Actor.focal_points.through.objects.filter(actor__in=actors),
        Actor.groups.through.objects.filter(actor__in=actors),
        actors,
    ]
    deleted = sum(_delete(queryset) for queryset in steps)
    # Rows outside the synthetic set that point at synthetic ones make this raise IntegrityError.
    connection.check_constraints()
    return deleted


def _delete(queryset):
    """One DELETE statement. QuerySet.delete() would load two million status updates to run
    their append-only guard and cascades; the database's constraints still apply."""
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # The table name is quoted; the filter comes from the ORM with its values as parameters.
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({sql})", params)  # noqa: S608
        return cursor.rowcount


def generate(counts, seed):
    """Write the data set; return the number of rows per model name."""
    return _Generator(counts, random.Random(seed)).run()  # noqa: S311 (reproducible, not secret)


# One NamedTuple per table written: its fields are the columns, in order (see _write).
class ActorRow(NamedTuple):
    id: int
    name: str
    kind: str
    iso_code: str
    code: str  # a body's (events.codes), unique
    parent_id: int | None
    dataset: str = SYNTHETIC


class EventRow(NamedTuple):
    id: int
    title: str
    code: str
    kind: str
    start_date: datetime.date
    end_date: datetime.date
    host_country_id: int | None
    dataset: str = SYNTHETIC


class SourceDocumentRow(NamedTuple):
    id: int
    event_id: int
    title: str
    publisher: str
    published_on: datetime.date


class ParticipationRow(NamedTuple):
    event_id: int
    actor_id: int
    role: str


class RecommendationRow(NamedTuple):
    id: int
    event_id: int
    code: str
    sequence: int
    kind: str
    title: str
    text: str
    source_document_id: int
    source_quote: str
    due_date: datetime.date | None
    dataset: str = SYNTHETIC


class ThemeLinkRow(NamedTuple):
    id: int
    recommendation_id: int
    theme_id: int


class StatusUpdateRow(NamedTuple):
    id: int
    assignment_id: int
    kind: str
    status: str
    date: datetime.date
    created_at: datetime.datetime
    corrects_id: int | None
    evidence_url: str
    note: str
    reported_by: str
    dataset: str = SYNTHETIC


class AssignmentRow(NamedTuple):
    id: int
    recommendation_id: int
    actor_id: int
    role: str
    due_date: datetime.date | None
    status: str
    status_date: datetime.date | None
    last_update_id: int | None
    assessed_status: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    dataset: str = SYNTHETIC


# What later steps need of the rows already made.
class EventMade(NamedTuple):
    code: str
    start: datetime.date
    document_id: int


class RecommendationMade(NamedTuple):
    id: int
    start: datetime.date  # its event's
    due: datetime.date | None


class Pair(NamedTuple):
    """An assignment to be: which recommendation (an index into the list made) and which actor."""

    recommendation: int
    actor_id: int


class Standing(NamedTuple):
    """An assignment's current fields, as the workflow would set them."""

    report: StatusUpdateRow | None
    assessment: StatusUpdateRow | None
    updated: datetime.datetime | None  # when its last update was recorded


class _Generator:
    def __init__(self, counts, rng):
        self.counts = counts
        self.rng = rng
        self.last_date = min(LAST_DATE, datetime.date.today())
        self.written = {}

    def run(self):
        countries, actors = self._actors()
        events = self._events(countries)
        recommendations = self._recommendations(events)
        pairs = self._assignment_pairs(recommendations, actors)
        current = self._updates(pairs, recommendations)
        self._assignments(pairs, recommendations, current)
        _reset_sequences()
        return self.written

    def _write(self, model, row_type, rows):
        self.written[model._meta.verbose_name_plural] = _write(model, row_type._fields, rows)

    def _actors(self):
        """(ids of all countries, ids of all actors), synthetic ones included."""
        taken = set(Actor.objects.exclude(iso_code="").values_list("iso_code", flat=True))
        free_codes = [code for code in USER_ASSIGNED_CODES if code not in taken]
        # Most synthetic actors are bodies: countries are few (ISO codes are), bodies many.
        new_countries = min(len(free_codes), max(1, self.counts.actors // 40)) if self.counts.actors else 0
        next_id = _next_id(Actor)
        rows = []
        for code in free_codes[:new_countries]:
            rows.append(ActorRow(next_id, f"Synthetic country {code}", ActorKind.COUNTRY, code, "", None))
            next_id += 1
        countries = list(Actor.objects.countries().order_by("id").values_list("id", flat=True)) + [
            row.id for row in rows
        ]
        bodies = []
        for _ in range(self.counts.actors - new_countries):
            nested = bodies and self.rng.random() < 0.25
            parent = self.rng.choice(bodies) if nested else (self.rng.choice(countries) if countries else None)
            kind = self.rng.choice(BODY_KINDS)
            name = f"Synthetic {ActorKind(kind).label.lower()} {next_id}"
            rows.append(ActorRow(next_id, name, kind, "", f"synthetic-{next_id}", parent))
            bodies.append(next_id)
            next_id += 1
        self._write(Actor, ActorRow, rows)
        return countries, list(Actor.objects.order_by("id").values_list("id", flat=True))

    def _events(self, countries):
        """{event id: EventMade}"""
        event_id, document_id = _next_id(Event), _next_id(SourceDocument)
        span = (self.last_date - FIRST_EVENT).days - 365
        events, event_rows, document_rows, participation_rows = {}, [], [], []
        for _ in range(self.counts.events):
            code = f"SYN-{event_id}"
            start = FIRST_EVENT + datetime.timedelta(days=self.rng.randint(0, span))
            host = self.rng.choice(countries) if countries else None
            kind = self.rng.choice(EventKind.values)
            title = f"Synthetic {EventKind(kind).label.lower()} {event_id}"
            event_rows.append(EventRow(event_id, title, code, kind, start, start, host))
            document_rows.append(
                SourceDocumentRow(document_id, event_id, f"Outcome document of {title}", "generate_synthetic", start)
            )
            if host:
                participation_rows.append(ParticipationRow(event_id, host, ParticipationRole.ORGANISER))
            events[event_id] = EventMade(code, start, document_id)
            event_id += 1
            document_id += 1
        self._write(Event, EventRow, event_rows)
        self._write(SourceDocument, SourceDocumentRow, document_rows)
        self._write(EventParticipation, ParticipationRow, participation_rows)
        return events

    def _recommendations(self, events):
        """[RecommendationMade] in id order."""
        rec_id, link_id = _next_id(Recommendation), _next_id(Recommendation.themes.through)
        themes = list(Theme.objects.order_by("id").values_list("id", flat=True))
        event_ids = list(events)
        sequences = dict.fromkeys(event_ids, 0)
        recommendations, rows, links = [], [], []
        for index in range(self.counts.recommendations):
            event_id = event_ids[index % len(event_ids)]
            event = events[event_id]
            sequences[event_id] += 1
            sequence = sequences[event_id]
            title = f"{self.rng.choice(VERBS)} {self.rng.choice(SUBJECTS)}"
            text = f"{title} {self.rng.choice(QUALIFIERS)}."
            due = (
                event.start + datetime.timedelta(days=self.rng.randint(180, 1460)) if self.rng.random() < 0.8 else None
            )
            kind = self.rng.choice(RECOMMENDATION_KINDS)
            rows.append(
                RecommendationRow(
                    id=rec_id,
                    event_id=event_id,
                    code=f"{event.code}-{sequence}",
                    sequence=sequence,
                    kind=kind,
                    title=title,
                    text=text,
                    source_document_id=event.document_id,
                    source_quote=text,
                    due_date=due,
                )
            )
            for theme in self.rng.sample(themes, min(len(themes), self.rng.randint(0, 2))):
                links.append(ThemeLinkRow(link_id, rec_id, theme))
                link_id += 1
            recommendations.append(RecommendationMade(rec_id, event.start, due))
            rec_id += 1
        self._write(Recommendation, RecommendationRow, rows)
        self._write(Recommendation.themes.through, ThemeLinkRow, links)
        return recommendations

    def _assignment_pairs(self, recommendations, actors):
        """[Pair], unique, spread evenly over the recommendations."""
        if not self.counts.assignments:
            return []
        per_recommendation, extra = divmod(self.counts.assignments, len(recommendations))
        pairs = []
        for index in range(len(recommendations)):
            for actor in self.rng.sample(actors, per_recommendation + (index < extra)):
                pairs.append(Pair(index, actor))
        return pairs

    def _updates(self, pairs, recommendations):
        """Write the updates; return each assignment's Standing."""
        per_assignment = [0] * len(pairs)
        reporting = [index for index in range(len(pairs)) if self.rng.random() < ASSIGNMENT_SHARE_REPORTING]
        reporting = reporting or list(range(len(pairs)))
        for _ in range(self.counts.updates):
            per_assignment[reporting[self.rng.randrange(len(reporting))]] += 1
        first_id = _next_id(StatusUpdate)
        first_assignment_id = _next_id(Assignment)
        current = [None] * len(pairs)

        def rows():
            update_id = first_id
            for index, pair in enumerate(pairs):
                start = recommendations[pair.recommendation].start
                made = self._updates_of(first_assignment_id + index, start, per_assignment[index], update_id)
                update_id += len(made)
                current[index] = _standing(made)
                yield from made

        self._write(StatusUpdate, StatusUpdateRow, rows())
        return current

    def _updates_of(self, assignment_id, start, count, first_id):
        """One assignment's updates: [StatusUpdateRow] in id order."""
        span = (self.last_date - start).days
        recorded_on = sorted(start + datetime.timedelta(days=self.rng.randint(0, span)) for _ in range(count))
        made, standing = [], {}
        for offset, day in enumerate(recorded_on):
            update_id = first_id + offset
            kind = UpdateKind.ASSESSMENT if self.rng.random() < ASSESSMENT_SHARE else UpdateKind.REPORT
            status = self.rng.choice(STATUSES)
            created_at = datetime.datetime.combine(day, datetime.time(9), datetime.UTC) + datetime.timedelta(
                seconds=offset
            )
            corrects, date = None, day
            if kind in standing and self.rng.random() < CORRECTION_SHARE:
                corrects = standing[kind]
                date = made[corrects - first_id].date  # a correction refers to the same day
            evidence = f"https://example.org/synthetic-evidence/{update_id}" if status == Status.IMPLEMENTED else ""
            made.append(
                StatusUpdateRow(
                    id=update_id,
                    assignment_id=assignment_id,
                    kind=kind,
                    status=status,
                    date=date,
                    created_at=created_at,
                    corrects_id=corrects,
                    evidence_url=evidence,
                    note=f"Synthetic report {offset + 1}.",
                    reported_by=_reported_by(kind),
                )
            )
            standing[kind] = update_id
        return made

    def _assignments(self, pairs, recommendations, current):
        first_id = _next_id(Assignment)
        rows = []
        for index, pair in enumerate(pairs):
            recommendation = recommendations[pair.recommendation]
            created = datetime.datetime.combine(recommendation.start, datetime.time(9), datetime.UTC)
            report, assessment, updated = current[index]
            role = AssignmentRole.LEAD if self.rng.random() < 0.7 else AssignmentRole.SUPPORTING
            rows.append(
                AssignmentRow(
                    id=first_id + index,
                    recommendation_id=recommendation.id,
                    actor_id=pair.actor_id,
                    role=role,
                    due_date=recommendation.due,
                    status=report.status if report else "",
                    status_date=report.date if report else None,
                    last_update_id=report.id if report else None,
                    assessed_status=assessment.status if assessment else "",
                    created_at=created,
                    updated_at=updated or created,
                )
            )
        self._write(Assignment, AssignmentRow, rows)


def _reported_by(kind):
    """Synthetic reports stand for the actors' own, assessments for the coordinators' (workflow.reported_by)."""
    return ReportedBy.FOCAL_POINT if kind == UpdateKind.REPORT else ReportedBy.COORDINATOR


def _standing(made):
    """The Standing of one assignment's updates: the workflow's rule — among updates nobody
    corrected, the greatest by STANDING_ORDER (StatusUpdate.standing_key, on these rows)."""
    corrected = {row.corrects_id for row in made if row.corrects_id}
    latest = {}
    for row in made:
        if row.id in corrected:
            continue
        key = StatusUpdate.standing_key(row)
        if row.kind not in latest or key > latest[row.kind][0]:
            latest[row.kind] = (key, row)
    report, assessment = (latest[kind][1] if kind in latest else None for kind in UpdateKind.values)
    return Standing(report, assessment, made[-1].created_at if made else None)


def _next_id(model):
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _write(model, fields, rows):
    """Insert `rows` (tuples in the order of `fields`) into `model`'s table; the model's other
    columns get their defaults. Returns the number of rows written."""
    meta = model._meta
    # Synthetic content is English: a translated field's value goes into its English column too
    # (title_en…), which pages read; the other languages stay empty and fall back to it.
    english = [index for index, name in enumerate(fields) if f"{name}_en" in _column_names(meta)]
    fields = [*fields, *(f"{fields[index]}_en" for index in english)]
    rows = (row + tuple(row[index] for index in english) for row in rows)
    given = [meta.get_field(name) for name in fields]
    # Columns not given take the field's default; an id not given comes from the database.
    rest = [field for field in meta.concrete_fields if field not in given and not field.primary_key]
    defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in rest)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in given + rest)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + defaults)
                    written += 1
        else:
            # Other databases take Python values through each field's own conversion.
            placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 (quoted names)
            rows = iter(rows)
            while batch := list(islice(rows, 10_000)):
                prepared = [
                    tuple(field.get_db_prep_save(value, connection) for field, value in zip(given, row, strict=True))
                    + defaults
                    for row in batch
                ]
                cursor.executemany(sql, prepared)
                written += len(batch)
    return written


def _column_names(meta):
    return {field.name for field in meta.concrete_fields}


def _reset_sequences():
    """Move PostgreSQL's id sequences past the ids written here (other databases need nothing)."""
    models = [Actor, Event, SourceDocument, EventParticipation, Recommendation, Recommendation.themes.through]
    statements = connection.ops.sequence_reset_sql(no_style(), [*models, Assignment, StatusUpdate])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
