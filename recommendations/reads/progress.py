"""Progress figures, aggregated in the database.

Every figure starts from a queryset of assignments (already filtered by the caller,
typically through AssignmentFilterSet) and is computed with one aggregate query:
counts per status, "no report yet", overdue, and the share implemented (`share`: of the
assignments that apply, the one definition of every share shown). The
dashboard, the scorecards, the admin and the API all read from here.
Figures of every assignment — of the whole database, of each event, of each actor — are read on
PostgreSQL from the running totals the triggers keep instead (`summary_of_all`, `figures_per`,
`breakdown_of_every`): a few rows per group, however many assignments it has.
"""

import calendar
import datetime
import math

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Lead, Least, NullIf
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events.models import Actor, Event
from events.translation import in_active_language
from recommendations.choices import (
    CLOSED_STATUSES,
    CURRENT_STATUS_LABELS,
    NO_THEME,
    NO_THEME_LABEL,
    NOT_REPORTED,
    Status,
    UpdateKind,
    status_slug,
    stored_status,
)
from recommendations.models import (
    STANDING_ORDER,
    Assignment,
    OpenDueTally,
    Recommendation,
    StatusTally,
    StatusUpdate,
    overdue_q,
)

STATUS_KEYS = list(CURRENT_STATUS_LABELS)

# Each dimension: the fields that identify a group, and how to label it.
DIMENSIONS = {
    "event": ("recommendation__event_id", "recommendation__event__title"),
    "recommendation": ("recommendation_id", "recommendation__code"),
    "actor": ("actor_id", "actor__name"),
    "theme": ("recommendation__themes__slug", "recommendation__themes__name"),
    "status": ("current_status", None),
}
TRANSLATED = {"event", "actor", "theme"}  # their labels are read in the reader's language
# The groups of the dimensions that can have many, from their own table: (model, path from an
# assignment, the label that DIMENSIONS reads there). Every assignment has one of each.
# Themes are few, and a recommendation may have none (a group of its own), so they are not here.
GROUPS = {
    "event": (Event, "recommendation__event", "title"),
    "recommendation": (Recommendation, "recommendation", "code"),
    "actor": (Actor, "actor", "name"),
}


def held_by(as_of, path=""):
    """The condition of an event held (begun) by `as_of`, on the event at `path` (e.g. "event__"). What an
    event agreed, its recommendations, exists from that day."""
    return Q(**{f"{path}start_date__lte": as_of})


def was_held(event, as_of):
    """`held_by` for one event in memory; any event is, today (`as_of` None)."""
    return as_of is None or event.start_date <= as_of


def existing_on(assignments, as_of):
    """The assignments that existed on `as_of`: of an event begun by then, and made by then (recorded
    by that day, or with an update dated by then, which shows that it stood even if it was recorded
    later, as when past reports are entered afterwards)."""
    dated = StatusUpdate.objects.filter(assignment=OuterRef("pk"), date__lte=as_of)
    return assignments.filter(held_by(as_of, "recommendation__event__")).filter(
        Q(created_at__date__lte=as_of) | Exists(dated)
    )


def standing_on(as_of, kind=UpdateKind.REPORT):
    """The report (or assessment) that stood on `as_of` for the assignment of the outer query, first: of
    the updates of that kind dated by then, the one that stands (corrected ones give way to their
    corrections)."""
    return StatusUpdate.objects.filter(assignment=OuterRef("pk"), date__lte=as_of).standing(kind)


def assessed_on(as_of):
    """The status of the independent assessment that stood on `as_of` ("" if none had been made): what
    `assessed_status` was then."""
    assessment = standing_on(as_of, UpdateKind.ASSESSMENT).values("status")[:1]
    return Coalesce(Subquery(assessment, output_field=CharField()), Value(""))


# The basis of the figures: each assignment counted with its self-reported status (the default), or
# with a coordinator's independent assessment where it has one and its self-report otherwise, so the
# two differ by exactly the assignments whose assessment disagrees (models.disagrees).
REPORTED, ASSESSED = "reported", "assessed"
BASES = (REPORTED, ASSESSED)


def _with_current_status(assignments, as_of=None, basis=REPORTED):
    """Annotate `current_status`: the stored status, or the one that stood on `as_of`, rebuilt from
    the updates dated by then, over the assignments that existed on that day; on the ASSESSED basis,
    the assessment (that stood then) where there is one."""
    if as_of is None:
        reported, assessed = Coalesce(F("status"), Value(NOT_REPORTED)), F("assessed_status")
    else:
        assignments = existing_on(assignments, as_of)
        standing = standing_on(as_of).values("status")[:1]
        reported = Coalesce(Subquery(standing, output_field=CharField()), Value(NOT_REPORTED))
        assessed = assessed_on(as_of)
    if basis == ASSESSED:
        return assignments.annotate(current_status=Coalesce(NullIf(assessed, Value("")), reported))
    return assignments.annotate(current_status=reported)


def _counted(as_of, basis):
    """Whether figures of every assignment are counted rather than read from the running totals, which
    hold today's self-reported statuses only (and only PostgreSQL keeps them)."""
    return as_of is not None or basis == ASSESSED or connection.vendor != "postgresql"


def as_it_stood(assignments, as_of):
    """The assignments that existed on `as_of`, each with `current_status`, `standing_update` (the
    id of the report that stood then, None if none had) and `assessed_then` (`assessed_on`): the rows
    that pages list as of a day."""
    standing = Subquery(standing_on(as_of).values("pk")[:1])
    return _with_current_status(assignments, as_of).annotate(standing_update=standing, assessed_then=assessed_on(as_of))


def overdue_on(assignments, as_of):
    """`as_it_stood`, narrowed to the assignments overdue on `as_of`."""
    return as_it_stood(assignments, as_of).filter(overdue_q("current_status", as_of))


def _aggregates(as_of):
    today = as_of or timezone.localdate()
    counts = {slug: Count("id", filter=Q(current_status=stored_status(slug))) for slug in STATUS_KEYS}
    counts["total"] = Count("id")
    counts["overdue"] = Count("id", filter=overdue_q("current_status", today))
    return counts


# What every share of assignments is of, wherever one is shown (pages, admin): whole sentences, as
# translations cannot put a phrase into another sentence in its English place.
SHARES_NOTE = _("Shares are of the assignments that apply (those marked not applicable are left out).")
SHARE_HEADING = _("Share of the assignments that apply (those marked not applicable are left out)")
IMPLEMENTED_SHARE_HEADING = _(
    "Implemented (share of the assignments that apply; those marked not applicable are left out)"
)


def share(count, row):
    """`count`'s share of the row's assignments that apply: the one definition of a share (0–1,
    rounded to four places; None when none apply). A share of "not applicable" itself is None."""
    return round(count / row["applicable"], 4) if row["applicable"] else None


def _finish(row):
    row["applicable"] = row["total"] - row[Status.NOT_APPLICABLE]
    row["share_implemented"] = share(row[Status.IMPLEMENTED], row)
    return row


def summary(assignments, as_of=None, basis=REPORTED):
    """One row of figures for all the given assignments (for every assignment, summary_of_all)."""
    return _finish(_with_current_status(assignments, as_of, basis).aggregate(**_aggregates(as_of)))


COUNTED = [*STATUS_KEYS, "total", "overdue"]


def from_counts(**counts):
    """A row of figures from the counts given (the others 0), with its shares, e.g. from an annotation."""
    return _finish({**dict.fromkeys(COUNTED, 0), **counts})


def summary_of_all(as_of=None, basis=REPORTED):
    """`summary` of every assignment. On PostgreSQL, today's self-reported figures are read from the
    running totals that the triggers of migrations 0009 and 0020 keep (a few rows however many
    assignments there are)."""
    if _counted(as_of, basis):
        return summary(Assignment.objects.all(), as_of, basis)
    return _tallied("", [0])[0]


def figures_per(by, keys, as_of=None, basis=REPORTED):
    """{key: a row of figures} for each event or actor id in `keys` (an actor's own assignments, not its
    sub-bodies'), of all their assignments today or as of a day. Today's self-reported figures on
    PostgreSQL from the running totals (one query of a few rows per key, however many assignments each
    has), else counted (one query)."""
    keys = list(keys)
    if _counted(as_of, basis):
        assignments = Assignment.objects.filter(**{f"{DIMENSIONS[by][0]}__in": keys})
        rows = {
            row["key"]: from_counts(**{name: row[name] for name in COUNTED})
            for row in breakdown(assignments, by, as_of, basis)
        }
        return {key: rows.get(key) or from_counts() for key in keys}
    return _tallied(by, keys)


def _tallied(scope, keys):
    """Figures per key of a scope of the running totals: counts per status, and the open ones due before
    today (one query)."""
    overdue = (
        OpenDueTally.objects.filter(scope=scope, key__in=keys, due_date__lt=timezone.localdate())
        .values("key", name=Value("overdue"))
        .annotate(n=Cast(Sum("n"), BigIntegerField()))  # a bigint like StatusTally.n, not numeric
        .values_list("key", "name", "n")
    )
    found = {key: {} for key in keys}
    statuses = StatusTally.objects.filter(scope=scope, key__in=keys).values_list("key", "status", "n")
    for key, name, n in statuses.union(overdue, all=True):
        found[key][name] = n
    rows = {}
    for key, counts in found.items():
        per_status = {slug: counts.get(stored_status(slug), 0) for slug in STATUS_KEYS}
        rows[key] = from_counts(**per_status, total=sum(per_status.values()), overdue=counts.get("overdue", 0))
    return rows


def combine(rows):
    """Add up rows of figures into one, e.g. an actor's own and its sub-bodies' (no query)."""
    return from_counts(**{name: sum(row[name] for row in rows) for name in COUNTED})


def breakdown(assignments, by, as_of=None, basis=REPORTED):
    """A row of figures per event, recommendation, actor, theme or status."""
    key, label = DIMENSIONS[by]
    named = {"group_label": in_active_language(label) if by in TRANSLATED else F(label)} if label else {}
    rows = (
        _with_current_status(assignments, as_of, basis)
        .annotate(**named)
        .values(key, *named)
        .annotate(**_aggregates(as_of))
        .order_by(*named, key)
    )
    result = []
    for row in rows:
        group = row.pop(key)
        name = row.pop("group_label") if label else None
        if by == "status":
            group = status_slug(group)
            name = CURRENT_STATUS_LABELS[group]
        elif group is None:  # a recommendation without a theme (every assignment has the others)
            group, name = NO_THEME, NO_THEME_LABEL
        result.append(_finish({"key": group, "label": name, **row}))
    return result


def groups(assignments, by, as_of=None):
    """The keys and labels of the rows `breakdown` gives, in its order, as a query: a page of them can be
    taken (and its rows computed with `breakdown_of`) without aggregating every assignment."""
    model, path, label = GROUPS[by]
    if as_of is not None:
        assignments = existing_on(assignments, as_of)
    present = Exists(assignments.filter(**{path: OuterRef("pk")}))
    return model.objects.filter(present).order_by(label, "pk").values_list("pk", label)


def breakdown_of(assignments, by, groups, as_of=None, basis=REPORTED):
    """The rows of `breakdown` for the given groups (pairs of key and label from `groups`) only."""
    chosen = assignments.filter(**{f"{DIMENSIONS[by][0]}__in": [key for key, _ in groups]})
    return breakdown(chosen, by, as_of, basis)


MONTH = "month"  # a row per month, as it stood at the month's end: not a dimension of DIMENSIONS


def month_ends(assignments, until=None, most=None):
    """The days a row per month stands on: the last day of each month from that of the assignments'
    first dated report to that of `until` (today if not given), which stands for its own month. None
    before the first report (one query). With `most`, at most that many: every n-th month counting
    back from `until`'s, n as small as will do."""
    until = until or timezone.localdate()
    reports = StatusUpdate.objects.filter(assignment__in=assignments.values("pk"), kind=UpdateKind.REPORT)
    first = reports.aggregate(first=Min("date"))["first"]
    days = []
    year, month = (first.year, first.month) if first else (until.year, until.month + 1)
    while (year, month) <= (until.year, until.month):
        days.append(min(datetime.date(year, month, calendar.monthrange(year, month)[1]), until))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if most and len(days) > most:
        days = days[::-1][:: math.ceil(len(days) / most)][::-1]
    return days


def by_month(assignments, days):
    """A row of figures per day of `days` (from `month_ends`, in order), each the `summary` as of that
    day, keyed by its month ("2015-06"). The rules of `as_it_stood`, in two queries however many days
    and assignments, each a single pass: the assignments grouped by the first of `days` each exists
    on, and the reports that stand grouped by the days each stands on (until the assignment's next
    report takes over). The days are then added up here."""
    if not days:
        return []
    counts = [dict.fromkeys(COUNTED, 0) for _ in days]
    existing, existing_past_due, reported_past_due = [0] * len(days), [0] * len(days), [0] * len(days)
    for row in _existing_from(assignments, days):
        for index in range(row["exists_from"], len(days)):
            existing[index] += row["n"]
            existing_past_due[index] += row["n"] if index >= row["due_from"] else 0
    for status, since, until, held, due, n in _report_spans(assignments, days):
        for index in range(max(since, held), until):
            counts[index][status_slug(status)] += n
            if index >= due:
                reported_past_due[index] += n
                counts[index]["overdue"] += n if status not in CLOSED_STATUSES else 0
    for index, found in enumerate(counts):
        # Those without a standing report are open: overdue once past their due date.
        found[status_slug(NOT_REPORTED)] = existing[index] - sum(found[key] for key in STATUS_KEYS)
        found["total"] = existing[index]
        found["overdue"] += existing_past_due[index] - reported_past_due[index]
    return [
        {"key": f"{day:%Y-%m}", "label": date_format(day, "YEAR_MONTH_FORMAT"), "day": day, **from_counts(**found)}
        for day, found in zip(days, counts, strict=True)
    ]


def _first_day(field, days, lookup="lte"):
    """The index of the first of `days` (ascending) that `field` (a date) is on or before ("lte") or
    before ("lt"); len(days) if none is, or the field is NULL."""
    whens = [When(**{f"{field}__{lookup}": day}, then=Value(index)) for index, day in enumerate(days)]
    return Case(*whens, default=Value(len(days)))


def _existing_from(assignments, days):
    """The assignments per first of `days` they exist on (`existing_on`: their event begun, and made
    or reported on by then) and first of `days` they are past due on."""
    # The first update's day found in the subquery, so that it is looked up once, not once per day.
    first_update = StatusUpdate.objects.filter(assignment=OuterRef("pk")).order_by("date")
    first_reported = Coalesce(Subquery(first_update.values(day=_first_day("date", days))[:1]), len(days))
    made_or_reported = Least(_first_day("created_at__date", days), first_reported)
    return (
        assignments.annotate(
            exists_from=Greatest(_first_day("recommendation__event__start_date", days), made_or_reported),
            due_from=_first_day("due_date", days, "lt"),
        )
        .order_by()
        .values("exists_from", "due_from")
        .annotate(n=Count("id"))
    )


def _report_spans(assignments, days):
    """(status, since, until, held, due, n): the reports that stand (`standing_on`), n of them per
    status, first of `days` on which each stands and first on which the next report of its assignment
    does, first on which its event is held and first on which its assignment is past due."""
    next_report = Window(
        Lead("date"),
        partition_by=[F("assignment_id")],
        order_by=[F(name.removeprefix("-")).asc() for name in STANDING_ORDER],
    )
    reports = (
        StatusUpdate.objects.filter(assignment__in=assignments.values("pk"))
        .standing(UpdateKind.REPORT)
        .order_by()
        .annotate(until=next_report, held=F("assignment__recommendation__event__start_date"))
        .annotate(due=F("assignment__due_date"))
        .values("status", "date", "until", "held", "due")
    )
    inner, inner_params = reports.query.sql_with_params()
    day_params = [connection.ops.adapt_datefield_value(day) for day in days]

    def first_day(column, operator):
        whens = " ".join(f"WHEN {column} {operator} %s THEN {index}" for index in range(len(days)))
        return f"CASE {whens} ELSE {len(days)} END"

    spans = [("since", "date", "<="), ("until", "until", "<="), ("held", "held", "<="), ("due", "due", "<")]
    columns = ", ".join(f"{first_day(f'reports.{column}', operator)} AS {name}" for name, column, operator in spans)
    # Only constants go into the text; the days and the inner query's values are parameters.
    sql = (
        f"SELECT status, since, until, held, due, COUNT(*) FROM (SELECT reports.status, {columns} "  # noqa: S608
        f"FROM ({inner}) reports) spans GROUP BY status, since, until, held, due"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*day_params * 4, *inner_params])
        return cursor.fetchall()


def every_month(assignments, until=None, most=None):
    """`by_month` for each of `month_ends` (three queries); the pages chart `most` of them."""
    return by_month(assignments, month_ends(assignments, until, most))


TALLIED = ("event", "actor")  # the dimensions with running totals per group (figures_per)


def breakdown_of_every(by, groups, basis=REPORTED):
    """`breakdown_of` every assignment today, for groups of events or actors: one query of the running
    totals on PostgreSQL (self-reported), however many assignments the groups have."""
    rows = figures_per(by, [key for key, _ in groups], basis=basis)
    return [{"key": key, "label": label, **rows[key]} for key, label in groups]
