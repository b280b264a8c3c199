"""Which assignments are due a reminder, and to whom (docs/operations.md#reminders).

The overdue and open rules are recommendations.models' (overdue_q, AssignmentQuerySet.open); who
is a focal point or coordinator of what is recommendations.permissions'. Here only what reminders
add: lead times, silence and repeats.

- an open assignment falling due within a lead time (REMINDER_LEAD_DAYS, e.g. 30 and 7 days):
  once per lead time and due date, to the focal points of its actor, unless a report came in since
  that lead time began;
- an overdue one with no report recorded since it fell due: to those focal points and to every
  coordinator, again every REMINDER_REPEAT_DAYS until a report comes (a report after the due date
  stops it; silence, below, then takes over);
- an open one without a report for REMINDER_SILENT_DAYS (counted from the last report, else from
  its assignment): to the focal points, again every REMINDER_REPEAT_DAYS until a report comes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, ExpressionWrapper, Max, OuterRef, Q, Subquery
from django.utils import timezone

from cvetracker.datasets import Dataset
from recommendations import permissions
from recommendations.choices import UpdateKind
from recommendations.models import Assignment, StatusUpdate, overdue_q
from reminders.models import OVERDUE, SILENT, Preference, Reminder, lead


class Reached(NamedTuple):
    """A threshold an assignment reached, the date it counts from, and (in a digest) the sequence
    number of the reminder to claim."""

    threshold: str
    counted_from: datetime.date
    sequence: int = 0


@dataclass
class Item:
    """An assignment in a digest, with the thresholds it reached (Reached, the most urgent first)."""

    assignment: Assignment
    thresholds: list

    @property
    def threshold(self):
        return self.thresholds[0].threshold


@dataclass
class Digest:
    recipient: object
    coordinator: bool
    items: list = field(default_factory=list)


def _thresholds(assignment, today):
    """[Reached] an open assignment has reached today, the most urgent first."""
    reached = []
    due = assignment.due_date
    reported = timezone.localdate(assignment.last_reported) if assignment.last_reported else None
    if assignment.overdue and (reported is None or reported < due):
        reached.append(Reached(OVERDUE, due))
    if due and not assignment.overdue:
        leads = [days for days in settings.REMINDER_LEAD_DAYS if (due - today).days <= days]
        if leads and not (reported and reported >= due - datetime.timedelta(days=min(leads))):
            reached.append(Reached(lead(min(leads)), due))
    silent_since = reported or timezone.localdate(assignment.created_at)
    if (today - silent_since).days >= settings.REMINDER_SILENT_DAYS:
        reached.append(Reached(SILENT, silent_since))
    return reached


def _open(datasets):
    return Assignment.objects.open().filter(dataset__in=datasets)


def candidates(today, datasets):
    """Every open assignment of `datasets` that reached a threshold today, as Items. The database
    leaves out those that cannot have (due later than every lead time, reported lately); _thresholds
    judges the rest."""
    last_reported = StatusUpdate.objects.filter(assignment=OuterRef("pk"), kind=UpdateKind.REPORT)
    # A report or an assignment from before this moment is REMINDER_SILENT_DAYS days old today or more.
    silent_before = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=settings.REMINDER_SILENT_DAYS - 1), datetime.time())
    )
    may_be_reached = (
        Q(due_date__lte=today + datetime.timedelta(days=max(settings.REMINDER_LEAD_DAYS, default=0)))
        | Q(last_reported__lt=silent_before)
        | Q(last_reported__isnull=True, created_at__lt=silent_before)
    )
    assignments = (
        _open(datasets)
        .with_related()
        .annotate(
            overdue=ExpressionWrapper(overdue_q(today=today), output_field=BooleanField()),
            last_reported=Subquery(last_reported.values("assignment").annotate(at=Max("created_at")).values("at")),
        )
        .filter(may_be_reached)
        .order_by("recommendation__event__start_date", "recommendation__code", "actor__name")
    )
    items = []
    for assignment in assignments:
        reached = _thresholds(assignment, today)
        if reached:
            items.append(Item(assignment, reached))
    return items


def _recipients():
    """Active users with an address who did not turn reminders off."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.exclude(pk__in=Preference.objects.filter(send_reminders=False).values("user"))


def _coordinators():
    users = (
        get_user_model()
        .objects.with_perm(permissions.MANAGE, backend="django.contrib.auth.backends.ModelBackend")
        .filter(pk__in=_recipients().values("pk"))
    )
    return [user for user in users.order_by("username") if permissions.is_coordinator(user)]


def _focal_points(coordinators):
    """Users linked to actors (coordinators have a digest of their own)."""
    users = _recipients().filter(reporting_actors__isnull=False).exclude(pk__in=[user.pk for user in coordinators])
    return list(users.distinct().order_by("username"))


def _sent(datasets):
    """{(recipient, assignment, threshold, counted_from): (latest sequence, when it was sent)} of the
    open assignments of `datasets` (a subquery: no list of ids, however many there are)."""
    rows = (
        Reminder.objects.filter(assignment__in=_open(datasets).values("pk"))
        .values("recipient", "assignment", "threshold", "counted_from")
        .annotate(sequence=Max("sequence"), sent_at=Max("sent_at"))
    )
    return {
        (row["recipient"], row["assignment"], row["threshold"], row["counted_from"]): (row["sequence"], row["sent_at"])
        for row in rows
    }


def _next_sequence(sent, key, today):
    """The sequence number of the reminder due for `key`, or None when none is due yet. Repeats count
    in days, not hours, so a daily run repeats on the day it should, whatever time it runs."""
    if key not in sent:
        return 1
    sequence, sent_at = sent[key]
    repeats = key[2] in (OVERDUE, SILENT)
    if repeats and timezone.localdate(sent_at) <= today - datetime.timedelta(days=settings.REMINDER_REPEAT_DAYS):
        return sequence + 1
    return None


def digests(today=None, datasets=(Dataset.RECORD,)):
    """The digests due now: one per focal point and per coordinator with anything in it, each item's
    thresholds with the sequence number to claim."""
    today = today or timezone.localdate()
    items = candidates(today, datasets)
    sent = _sent(datasets)
    by_actor = defaultdict(list)  # actor id → [(position in the digest order, item)]
    for position, item in enumerate(items):
        by_actor[item.assignment.actor_id].append((position, item))
    coordinators = _coordinators()
    result = [Digest(user, coordinator=False) for user in _focal_points(coordinators)]
    result += [Digest(user, coordinator=True) for user in coordinators]
    for digest in result:
        user = digest.recipient
        if digest.coordinator:
            reachable = items
        else:  # the assignments the focal point may report on (permissions.can_report), in digest order
            scope = permissions.report_scope(user)
            mine = sorted(pair for actor_id in scope or () for pair in by_actor.get(actor_id, ()))
            reachable = items if scope is None else [item for _, item in mine]
        for item in reachable:
            reached = item.thresholds
            if digest.coordinator:
                reached = [pair for pair in reached if pair.threshold == OVERDUE]
            due = []
            for pair in reached:
                sequence = _next_sequence(sent, (user.pk, item.assignment.pk, pair.threshold, pair.counted_from), today)
                if sequence:
                    due.append(pair._replace(sequence=sequence))
            if due:
                digest.items.append(Item(item.assignment, due))
    return [digest for digest in result if digest.items]
