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

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Q

from events.choices import ActorKind, Dataset, EventKind, ParticipationRole
from events.models import Actor, Event, EventParticipation, SourceDocument
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

    def _write(self, model, fields, rows):
        self.written[model._meta.verbose_name_plural] = _write(model, fields, rows)

    def _actors(self):
        """(ids of all countries, ids of all actors), synthetic ones included."""
        taken = set(Actor.objects.exclude(iso_code="").values_list("iso_code", flat=True))
        free_codes = [code for code in USER_ASSIGNED_CODES if code not in taken]
        # Most synthetic actors are bodies: countries are few (ISO codes are), bodies many.
        new_countries = min(len(free_codes), max(1, self.counts.actors // 40)) if self.counts.actors else 0
        next_id = _next_id(Actor)
        rows = []
        for code in free_codes[:new_countries]:
            rows.append((next_id, f"Synthetic country {code}", ActorKind.COUNTRY, code, None))
            next_id += 1
        countries = list(Actor.objects.countries().order_by("id").values_list("id", flat=True)) + [
            row[0] for row in rows
        ]
        bodies = []
        for _ in range(self.counts.actors - new_countries):
            nested = bodies and self.rng.random() < 0.25
            parent = self.rng.choice(bodies) if nested else (self.rng.choice(countries) if countries else None)
            kind = self.rng.choice(BODY_KINDS)
            rows.append((next_id, f"Synthetic {ActorKind(kind).label.lower()} {next_id}", kind, "", parent))
            bodies.append(next_id)
            next_id += 1
        rows = [(*row, SYNTHETIC) for row in rows]
        self._write(Actor, ["id", "name", "kind", "iso_code", "parent_id", "dataset"], rows)
        return countries, list(Actor.objects.order_by("id").values_list("id", flat=True))

    def _events(self, countries):
        """{event id: (code, start date, source document id)}"""
        event_id, document_id = _next_id(Event), _next_id(SourceDocument)
        span = (self.last_date - FIRST_EVENT).days - 365
        events, event_rows, document_rows, participation_rows = {}, [], [], []
        for _ in range(self.counts.events):
            code = f"SYN-{event_id}"
            start = FIRST_EVENT + datetime.timedelta(days=self.rng.randint(0, span))
            host = self.rng.choice(countries) if countries else None
            kind = self.rng.choice(EventKind.values)
            title = f"Synthetic {EventKind(kind).label.lower()} {event_id}"
            event_rows.append((event_id, title, code, kind, start, start, host, SYNTHETIC))
            document_rows.append((document_id, event_id, f"Outcome document of {title}", "generate_synthetic", start))
            if host:
                participation_rows.append((event_id, host, ParticipationRole.ORGANISER))
            events[event_id] = (code, start, document_id)
            event_id += 1
            document_id += 1
        self._write(
            Event, ["id", "title", "code", "kind", "start_date", "end_date", "host_country_id", "dataset"], event_rows
        )
        self._write(SourceDocument, ["id", "event_id", "title", "publisher", "published_on"], document_rows)
        self._write(EventParticipation, ["event_id", "actor_id", "role"], participation_rows)
        return events

    def _recommendations(self, events):
        """[(id, event start, due date)] in id order."""
        rec_id, link_id = _next_id(Recommendation), _next_id(Recommendation.themes.through)
        themes = list(Theme.objects.order_by("id").values_list("id", flat=True))
        event_ids = list(events)
        sequences = dict.fromkeys(event_ids, 0)
        recommendations, rows, links = [], [], []
        for index in range(self.counts.recommendations):
            event_id = event_ids[index % len(event_ids)]
            code, start, document_id = events[event_id]
            sequences[event_id] += 1
            sequence = sequences[event_id]
            title = f"{self.rng.choice(VERBS)} {self.rng.choice(SUBJECTS)}"
            text = f"{title} {self.rng.choice(QUALIFIERS)}."
            due = start + datetime.timedelta(days=self.rng.randint(180, 1460)) if self.rng.random() < 0.8 else None
            kind = self.rng.choice(RECOMMENDATION_KINDS)
            rows.append(
                (rec_id, event_id, f"{code}-{sequence}", sequence, kind, title, text, document_id, text, due, SYNTHETIC)
            )
            for theme in self.rng.sample(themes, min(len(themes), self.rng.randint(0, 2))):
                links.append((link_id, rec_id, theme))
                link_id += 1
            recommendations.append((rec_id, start, due))
            rec_id += 1
        fields = ["id", "event_id", "code", "sequence", "kind", "title", "text", "source_document_id", "source_quote"]
        self._write(Recommendation, [*fields, "due_date", "dataset"], rows)
        self._write(Recommendation.themes.through, ["id", "recommendation_id", "theme_id"], links)
        return recommendations

    def _assignment_pairs(self, recommendations, actors):
        """[(recommendation index, actor id)], unique pairs, spread evenly over the recommendations."""
        if not self.counts.assignments:
            return []
        per_recommendation, extra = divmod(self.counts.assignments, len(recommendations))
        pairs = []
        for index in range(len(recommendations)):
            for actor in self.rng.sample(actors, per_recommendation + (index < extra)):
                pairs.append((index, actor))
        return pairs

    def _updates(self, pairs, recommendations):
        """Write the updates; return each assignment's current fields, as the workflow would set them."""
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
            for index, (rec_index, _) in enumerate(pairs):
                start = recommendations[rec_index][1]
                made = self._updates_of(start, per_assignment[index], update_id)
                update_id += len(made)
                current[index] = _standing(made)
                for row in made:
                    yield (row[0], first_assignment_id + index, *row[1:])

        fields = ["id", "assignment_id", "kind", "status", "date", "created_at", "corrects_id", "evidence_url", "note"]
        self._write(
            StatusUpdate,
            [*fields, "reported_by", "dataset"],
            ((*row, _reported_by(row[2]), SYNTHETIC) for row in rows()),
        )
        return current

    def _updates_of(self, start, count, first_id):
        """One assignment's updates: (id, kind, status, date, created_at, corrects_id, evidence_url, note)."""
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
                date = made[corrects - first_id][3]  # a correction refers to the same day
            evidence = f"https://example.org/synthetic-evidence/{update_id}" if status == Status.IMPLEMENTED else ""
            made.append(
                (update_id, kind, status, date, created_at, corrects, evidence, f"Synthetic report {offset + 1}.")
            )
            standing[kind] = update_id
        return made

    def _assignments(self, pairs, recommendations, current):
        first_id = _next_id(Assignment)
        rows = []
        for index, (rec_index, actor) in enumerate(pairs):
            _, start, due = recommendations[rec_index]
            created = datetime.datetime.combine(start, datetime.time(9), datetime.UTC)
            report, assessment, updated = current[index]
            role = AssignmentRole.LEAD if self.rng.random() < 0.7 else AssignmentRole.SUPPORTING
            rows.append(
                (
                    first_id + index,
                    recommendations[rec_index][0],
                    actor,
                    role,
                    due,
                    report[2] if report else "",
                    report[3] if report else None,
                    report[0] if report else None,
                    assessment[2] if assessment else "",
                    created,
                    updated or created,
                    SYNTHETIC,
                )
            )
        fields = ["id", "recommendation_id", "actor_id", "role", "due_date", "status", "status_date", "last_update_id"]
        self._write(Assignment, [*fields, "assessed_status", "created_at", "updated_at", "dataset"], rows)


def _reported_by(kind):
    """Synthetic reports stand for the actors' own, assessments for the coordinators' (workflow.reported_by)."""
    return ReportedBy.FOCAL_POINT if kind == UpdateKind.REPORT else ReportedBy.COORDINATOR


def _standing(made):
    """(latest standing report, latest standing assessment, time of the last update): the
    workflow's rule — among updates nobody corrected, the latest by date, created_at, id."""
    corrected = {row[5] for row in made if row[5]}
    latest = {}
    for row in made:
        if row[0] in corrected:
            continue
        key = (row[3], row[4], row[0])
        if row[1] not in latest or key > latest[row[1]][0]:
            latest[row[1]] = (key, row)
    report, assessment = (latest[kind][1] if kind in latest else None for kind in UpdateKind.values)
    return report, assessment, made[-1][4] if made else None


def _next_id(model):
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _write(model, fields, rows):
    """Insert `rows` (tuples in the order of `fields`) into `model`'s table; the model's other
    columns get their defaults. Returns the number of rows written."""
    meta = model._meta
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


def _reset_sequences():
    """Move PostgreSQL's id sequences past the ids written here (other databases need nothing)."""
    models = [Actor, Event, SourceDocument, EventParticipation, Recommendation, Recommendation.themes.through]
    statements = connection.ops.sequence_reset_sql(no_style(), [*models, Assignment, StatusUpdate])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
