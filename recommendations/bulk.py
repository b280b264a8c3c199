"""Changes of many assignments at once, the assignment list's bulk actions: a new due date, a new
role, the removal of those nobody has reported on. The rules are those of the single-row doors
(workflow.change_assignment, workflow.unassign); each row they refuse says why, and the others
are changed.

The cost does not grow row by row: the rows are locked and read in one statement (in id order, as
every writer locks them), the change is one UPDATE or DELETE per BATCH rows, and the audit entries
(security.audit.log_bulk) and webhook deliveries are inserted 500 a statement, so the
statement-level tally and data-version triggers see a few statements, not one per row. Rows a
coordinator ticked carry the version they were shown at: one changed since is refused as stale,
as on the assignment's own form; "every row matching the filter" takes the rows as they are."""

import copy
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from recommendations import workflow
from recommendations.choices import AssignmentRole
from recommendations.models import Assignment, Recommendation, StatusUpdate, check_due_date
from security import audit
from webhooks import outbox, payloads
from webhooks.models import EventType

BATCH = 500  # rows per UPDATE or DELETE: well under every database's limit of parameters


@dataclass(frozen=True)
class Refused:
    assignment: Assignment
    message: str
    code: str


@dataclass
class BulkResult:
    """What a bulk action did: the assignments `done` (changed, or removed), those `unchanged`
    (already so), and those `refused` (Refused: the row, why, the rule's stable code)."""

    done: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def change_due_dates(*, assignments, by, due_date, versions=None):
    """Give `assignments` (a queryset) `due_date`; None: each follows its recommendation's again, as
    workflow.change_assignment does. `versions` maps the id of each row the caller showed to the
    version shown (None: the rows as they are)."""
    recommendation = Recommendation.objects.filter(pk=OuterRef("recommendation_id"))
    if due_date is None:
        in_sql = {"due_date": Subquery(recommendation.values("due_date")[:1]), "own_due_date": Value(False)}

        def apply(row):
            row.due_date, row.own_due_date = row.recommendation.due_date, False
    else:
        in_sql = {"due_date": Value(due_date), "own_due_date": ~Exists(recommendation.filter(due_date=due_date))}

        def apply(row):
            row.due_date, row.own_due_date = due_date, due_date != row.recommendation.due_date

    def refusal(row):  # the recommendation's own due date is never before its event
        try:
            check_due_date(due_date, row.recommendation.event)
        except ValidationError as error:
            return Refused(row, " ".join(error.messages), "due_before_event")
        return None

    return _change(assignments, by, versions, apply, in_sql, refusal)


def change_roles(*, assignments, by, role, versions=None):
    """Give `assignments` the role `role` (lead or supporting)."""
    if role not in AssignmentRole.values:
        message = _("Unknown role “%(role)s”; use one of: %(roles)s.") % {
            "role": role,
            "roles": ", ".join(AssignmentRole.values),
        }
        raise ValidationError({"role": ValidationError(message, code="unknown_role")})

    def apply(row):
        row.role = role

    return _change(assignments, by, versions, apply, {"role": Value(role)}, lambda row: None)


def remove_unreported(*, assignments, by, versions=None):
    """Remove those of `assignments` nobody has reported on (made in error); the others are kept, as
    workflow.unassign keeps them, each said so."""
    workflow.require_coordinator(by)
    result = BulkResult()
    with transaction.atomic():
        rows = _locked(assignments)
        # Read once the rows are locked, in a statement of its own: one that waited for a lock does
        # not see the reports committed meanwhile, and no report can be added to a locked row.
        locked_ids = [row.pk for row in rows]
        reported = set(StatusUpdate.objects.filter(assignment__in=locked_ids).values_list("assignment_id", flat=True))
        for row in rows:
            refused = _stale(row, versions)
            if refused is None and row.pk in reported:
                refused = Refused(row, workflow.reported_on(row).messages[0], "has_updates")
            if refused:
                result.refused.append(refused)
            else:
                result.done.append(row)
        outbox.enqueue(EventType.ASSIGNMENT_REMOVED, lambda: [payloads.assignment(row) for row in result.done])
        audit.log_bulk(LogEntry.Action.DELETE, [(row, None) for row in result.done], by)
        with disable_auditlog():  # logged above, 500 entries a statement rather than one each
            for ids in _batches(result.done):
                Assignment.objects.filter(pk__in=ids).delete()
    return result


def _change(assignments, by, versions, apply, in_sql, refusal):
    """Change the rows of `assignments` that the version guard and `refusal` (a function of the row
    giving a Refused or None) allow: `apply` changes a row in memory, `in_sql` says the same of
    every row as the UPDATE's values (field name → expression)."""
    workflow.require_coordinator(by)
    result = BulkResult()
    with transaction.atomic():
        pairs = []
        for row in _locked(assignments):
            if refused := _stale(row, versions) or refusal(row):
                result.refused.append(refused)
                continue
            changed = copy.copy(row)
            apply(changed)
            if all(getattr(changed, name) == getattr(row, name) for name in in_sql):
                result.unchanged.append(row)
                continue
            changed.version += 1
            pairs.append((row, changed))
            result.done.append(changed)
        now = timezone.now()
        for ids in _batches(result.done):
            Assignment.objects.filter(pk__in=ids).update(**in_sql, version=F("version") + 1, updated_at=now)
        audit.log_bulk(LogEntry.Action.UPDATE, pairs, by)
        outbox.enqueue(EventType.ASSIGNMENT_CHANGED, lambda: _as_saved(result.done))
    return result


def _locked(assignments):
    """The rows of `assignments`, locked in id order, with what the rules, the audit trail and the
    result page read: one query."""
    return list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(pk__in=assignments.values("pk"))
        .select_related("recommendation__event", "actor")
        .order_by("pk")
    )


def _stale(row, versions):
    if versions is not None and row.pk in versions and versions[row.pk] != row.version:
        return Refused(row, str(workflow.STALE), "stale")
    return None


def _batches(rows):
    ids = [row.pk for row in rows]
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]


def _as_saved(rows):
    """The webhook payloads of the changed rows, read back as the API shows them (BATCH a query)."""
    shown = Assignment.objects.select_related("recommendation__event", "actor", "last_update__author")
    return [payloads.assignment(row) for ids in _batches(rows) for row in shown.filter(pk__in=ids).order_by("pk")]
