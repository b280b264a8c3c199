"""Every rule about assignments and status updates, in one place.

The admin, the pages, the API and the management commands call these functions;
nothing else writes assignments or status updates (nor enters a meeting: enter_meeting; nor
changes an event or a recommendation: change_event, change_recommendation; nor invites or unlinks
a focal point: invite_focal_point, unlink_focal_point; nor adds or changes a country, body or region:
save_actor, save_group); recommendations.bulk changes many assignments at once by the same rules.
Rule violations raise Django's ValidationError with a message per field; a missing right raises
PermissionDenied.

Each write of an assignment or a status update also writes its webhook deliveries
(webhooks.outbox.enqueue), inside its own transaction: one query when no endpoint is subscribed;
each new status update its notifications to followers and focal points (notifications.notices.tell),
in the same transaction: two queries when nobody is told.
"""

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.invitations import invitation_link, send_invitation
from accounts.models import Profile
from cvetracker.datasets import Dataset
from events.models import Actor
from notifications import notices
from recommendations import evidence, permissions
from recommendations.choices import (
    EVIDENCE_REQUIRED,
    AssignmentRole,
    RecommendationKind,
    ReportedBy,
    Status,
    UpdateKind,
)
from recommendations.models import Assignment, Recommendation, StatusUpdate
from security.throttling import InvitationAddressThrottle, InvitationCoordinatorThrottle
from webhooks import outbox, payloads
from webhooks.models import EventType


@dataclass
class AssignResult:
    created: list = field(default_factory=list)
    existing: list = field(default_factory=list)

    def add(self, other):
        self.created += other.created
        self.existing += other.existing
        return self

    def summary(self):
        """What was done, in a sentence for the person who asked."""
        made = ngettext("Created %(count)d assignment", "Created %(count)d assignments", len(self.created)) % {
            "count": len(self.created)
        }
        kept = ngettext(
            "%(count)d already existed and was left as it was.",
            "%(count)d already existed and were left as they were.",
            len(self.existing),
        ) % {"count": len(self.existing)}
        # Translators: joins "Created 3 assignments" and "2 already existed and were left as they were."
        return _("%(created)s; %(existing)s") % {"created": made, "existing": kept}


def _error(message, code):
    """A rule's message with its stable code (the message may be reworded or translated; the code stays)."""
    return ValidationError(message, code=code)


def require_coordinator(user):
    if not permissions.is_coordinator(user):
        raise PermissionDenied(_("Only coordinators can manage assignments."))


def assign(*, recommendation, actors, by, role=AssignmentRole.LEAD, due_date=None, note="", dataset=Dataset.RECORD):
    """Make each actor responsible for the recommendation. Existing assignments are kept as they are.

    Without a due date (or with the recommendation's) the assignments follow the recommendation's.
    """
    require_coordinator(by)
    if role not in AssignmentRole.values:
        raise ValidationError(
            {
                "role": _error(
                    _("Unknown role “%(role)s”; use one of: %(roles)s.")
                    % {"role": role, "roles": ", ".join(AssignmentRole.values)},
                    "unknown_role",
                )
            }
        )
    actors = list(actors)
    if not actors:
        raise ValidationError({"actors": _error(_("Choose at least one actor to assign."), "no_actors")})
    result = AssignResult()
    with transaction.atomic():
        taken = set(
            Assignment.objects.filter(recommendation=recommendation, actor__in=actors).values_list(
                "actor_id", flat=True
            )
        )
        for actor in actors:
            if actor.pk in taken:
                result.existing.append(actor)
                continue
            assignment = Assignment(recommendation=recommendation, actor=actor, role=role, note=note, dataset=dataset)
            _set_due_date(assignment, due_date)
            assignment.full_clean()
            assignment.save()
            result.created.append(assignment)
        outbox.enqueue(EventType.ASSIGNMENT_CREATED, lambda: [payloads.assignment(one) for one in result.created])
    return result


def assign_to_group(*, recommendation, group, by, role=AssignmentRole.LEAD, due_date=None, dataset=Dataset.RECORD):
    """Assign the recommendation to every country of a region or group."""
    countries = list(group.members.countries())
    if not countries:
        raise ValidationError(
            {"group": _error(_("%(group)s has no member countries.") % {"group": group}, "empty_group")}
        )
    return assign(recommendation=recommendation, actors=countries, by=by, role=role, due_date=due_date, dataset=dataset)


def assign_all_to_group(*, recommendations, group, by, role=AssignmentRole.LEAD, due_date=None):
    """Assign each of several recommendations to every country of a region or group: all or none."""
    result = AssignResult()
    with transaction.atomic():
        for recommendation in recommendations:
            result.add(assign_to_group(recommendation=recommendation, group=group, by=by, role=role, due_date=due_date))
    return result


def suggest_code(event_code, kind, number):
    """The code of an event's `number`-th recommendation of its `kind`, as the documents number them:
    CSACVE-2015-3 for the third agreed step (or recommendation), CSACVE-2015-P1 for the first proposal."""
    prefix = "P" if kind == RecommendationKind.PROPOSAL else ""
    return f"{event_code}-{prefix}{number}"


class MeetingRefused(ValidationError):
    """Why a meeting was not entered, part by part: `parts` maps "event" and "document" to a
    ValidationError, "participations" and "recommendations" to {row index: ValidationError}."""

    def __init__(self, parts):
        self.parts = parts
        errors = [parts[name] for name in ("event", "document") if name in parts]
        errors += [error for name in ("participations", "recommendations") for error in parts.get(name, {}).values()]
        super().__init__(errors)


def enter_meeting(*, by, event, document, participations=(), recommendations=()):
    """Enter a new event with its source document, organisers and participants, and its recommendations,
    all or nothing: every row is checked by its model's own rules (Model.full_clean, so a quote not in
    the document's text is refused) once the rows it refers to are written, in one transaction.

    The rows come unsaved: `participations` without their event, `recommendations` as
    (Recommendation, themes) pairs in the document's order, without event, document or sequence;
    one without a code gets suggest_code's. On any error MeetingRefused says which row and field,
    and nothing is written."""
    require_coordinator(by)
    parts = {"participations": {}, "recommendations": {}}
    numbers = {}
    with transaction.atomic():
        if error := _checked_save(event):
            raise MeetingRefused({"event": error})
        document.event = event
        if error := _checked_save(document):
            raise MeetingRefused({"document": error})
        for index, participation in enumerate(participations):
            participation.event = event
            if error := _checked_save(participation):
                parts["participations"][index] = error
        for index, (recommendation, themes) in enumerate(recommendations):
            recommendation.event, recommendation.source_document = event, document
            recommendation.sequence = index + 1
            family = recommendation.kind == RecommendationKind.PROPOSAL
            numbers[family] = numbers.get(family, 0) + 1
            recommendation.code = recommendation.code or suggest_code(event.code, recommendation.kind, numbers[family])
            if error := _checked_save(recommendation):
                parts["recommendations"][index] = error
            else:
                recommendation.themes.set(themes)
        if parts["participations"] or parts["recommendations"]:
            raise MeetingRefused(parts)  # leaving the block rolls back what was written
    return event


def _checked_save(row):
    """Save `row` if its model's rules allow; else return their ValidationError."""
    try:
        row.full_clean()
    except ValidationError as error:
        return error
    row.save()
    return None


STALE = gettext_lazy(
    "Someone else changed this assignment while you were editing it. "
    "Reload it to see their changes, then apply yours again."
)


def check_version(assignment, expected_version):
    """Raise the lost-update error (code "stale") unless `assignment` is still at the version the
    caller read. Forms call it to show the error on the form; change_assignment calls it again
    under the row lock, which is the guarantee."""
    if expected_version is None or int(expected_version) != assignment.version:
        raise ValidationError(STALE, code="stale")


def change_assignment(*, assignment, by, expected_version, **changes):
    """Change role, due date or note. `expected_version` (required) is the version the caller read:
    if someone else saved the assignment since, nothing is written.

    An empty due date, or the recommendation's own, means "follow the recommendation's" (it then
    moves with it, see carry_due_date); any other date is the assignment's own."""
    require_coordinator(by)
    allowed = {"role", "due_date", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="unchangeable_fields",
        )
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("recommendation__event")
            .get(pk=assignment.pk)
        )
        check_version(locked, expected_version)
        if "due_date" in changes:
            _set_due_date(locked, changes.pop("due_date"))
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.full_clean()
        locked.save()
        outbox.enqueue(EventType.ASSIGNMENT_CHANGED, lambda: [payloads.assignment(locked)])
    return locked


def _set_due_date(assignment, due_date):
    """Give the assignment `due_date`, or the recommendation's if empty, and note which it is."""
    recommendation_date = assignment.recommendation.due_date
    assignment.due_date = recommendation_date if due_date is None else due_date
    assignment.own_due_date = assignment.due_date != recommendation_date


def carry_due_date(recommendation):
    """After a recommendation is saved: its assignments that follow its due date move to the new one
    (those with a date of their own keep it). Every door that saves a recommendation calls this,
    in the same transaction. Each moved assignment is saved (audit trail) with a new version, so a
    form read before the move is refused rather than putting the old date back."""
    moving = list(
        Assignment.objects.select_for_update()
        .filter(recommendation=recommendation, own_due_date=False)
        .exclude(due_date=recommendation.due_date)
    )
    for assignment in moving:
        assignment.due_date = recommendation.due_date
        assignment.version += 1
        assignment.save(update_fields=["due_date", "version", "updated_at"])
    if moving:
        outbox.enqueue(EventType.ASSIGNMENT_CHANGED, lambda: [payloads.assignment(one) for one in moving])


def change_event(*, event, by, **changes):
    """Change an event's fields (`changes`: field name → value; a form or serializer may have set
    them on `event` already) by the model's own rules (Model.full_clean), in one transaction."""
    require_coordinator(by)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(event, name, value)
        event.full_clean()
        event.save()
    return event


def change_recommendation(*, recommendation, by, themes=None, carry=True, **changes):
    """Change a recommendation's fields (as change_event does) and, when given, its themes; its
    assignments that follow its due date move with it (carry_due_date), in the same transaction.

    `carry=False` is for a caller that also changes some of its assignments, at the versions it
    read, in the same transaction (the admin's inline rows): it calls carry_due_date after them."""
    require_coordinator(by)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(recommendation, name, value)
        recommendation.full_clean()
        recommendation.save()
        if themes is not None:
            recommendation.themes.set(themes)
        if carry:
            carry_due_date(recommendation)
    return recommendation


def check_unassign(assignment, expected_version):
    """Raise unless the assignment may be removed: still at the version read, and nobody has
    reported on it (history is never lost). Forms call it to show the error on the form."""
    check_version(assignment, expected_version)
    if assignment.updates.exists():
        raise reported_on(assignment)


def reported_on(assignment):
    """The error of removing an assignment someone has reported on."""
    return ValidationError(
        _("%(actor)s has status updates on this recommendation, so its assignment is kept as part of the record.")
        % {"actor": assignment.actor},
        code="has_updates",
    )


def unassign(*, assignment, by, expected_version):
    """Remove an assignment made in error, if it is still at `expected_version` (the version the
    caller read) and has no status updates."""
    require_coordinator(by)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update(of=("self",)).select_related("actor").get(pk=assignment.pk)
        check_unassign(locked, expected_version)
        outbox.enqueue(EventType.ASSIGNMENT_REMOVED, lambda: [payloads.assignment(locked)])  # as it was
        locked.delete()


@dataclass(frozen=True, kw_only=True)
class Report:
    """A status update as its writer gives it (the admin, the pages, the API, the demo loader):
    what check_status_update judges and record_status_update records."""

    assignment: Assignment
    status: str
    date: datetime.date | None
    author: Any  # the user recording it
    note: str = ""
    internal_note: str = ""
    evidence_url: str = ""
    files: tuple = ()  # uploaded evidence files (recommendations.evidence judges and stores them)
    corrects: StatusUpdate | None = None
    kind: str = UpdateKind.REPORT
    dataset: str = Dataset.RECORD


STATUSES, KINDS = frozenset(Status.values), frozenset(UpdateKind.values)  # Choices.values is built at each call


def check_status_update(report):
    """Raise PermissionDenied or ValidationError if this Report may not be recorded."""
    if not permissions.can_report(report.author, report.assignment, report.kind):
        if report.kind == UpdateKind.ASSESSMENT:
            raise PermissionDenied(_("Only coordinators can record an independent assessment."))
        raise PermissionDenied(
            _("You cannot report on the assignments of %(actor)s.") % {"actor": report.assignment.actor}
        )
    errors = {}
    if report.status not in STATUSES:
        errors["status"] = _error(
            _("Unknown status “%(status)s”; use one of: %(statuses)s.")
            % {"status": report.status, "statuses": ", ".join(Status.values)},
            "unknown_status",
        )
    elif report.status in EVIDENCE_REQUIRED and not (report.evidence_url or report.files):
        errors["evidence_url"] = _error(
            _("A status of “%(status)s” needs evidence: a link or a file.") % {"status": Status(report.status).label},
            "evidence_required",
        )
    if file_errors := evidence.check_files(report.files):
        errors["files"] = file_errors
    if report.kind not in KINDS:
        errors["kind"] = _error(
            _("Unknown kind “%(kind)s”; use one of: %(kinds)s.")
            % {"kind": report.kind, "kinds": ", ".join(UpdateKind.values)},
            "unknown_kind",
        )
    if report.date is None:
        errors["date"] = _error(_("Give the date the status refers to."), "date_required")
    else:
        event = report.assignment.recommendation.event
        if report.date > timezone.localdate():
            errors["date"] = _error(_("The date cannot be in the future."), "date_in_future")
        elif report.date < event.start_date:
            errors["date"] = _error(
                _("The date cannot be before the event began (%(date)s).")
                % {"date": date_format(event.start_date, "DATE_FORMAT")},
                "date_before_event",
            )
    if report.corrects is not None:
        if report.corrects.assignment_id != report.assignment.pk:
            errors["corrects"] = _error(
                _("A correction must correct an update of the same assignment."), "other_assignment"
            )
        elif report.corrects.kind != report.kind:
            errors["corrects"] = _error(
                _("A correction must be of the same kind as the update it corrects."), "other_kind"
            )
        elif report.corrects.corrections.exists():
            errors["corrects"] = _error(
                _("That update has already been corrected; correct the latest correction instead."),
                "already_corrected",
            )
    if errors:
        raise ValidationError(errors)


def record_status_update(report):
    """Append the Report as a status update and bring the assignment's current status in step, atomically.

    The assignment row is locked first, so concurrent reports on it are applied one at a time
    and the current status always ends equal to the latest update. The caller's `assignment`
    gets the new current status (CURRENT_FIELDS); its other fields are left as they were.
    """
    assignment = report.assignment
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update(of=("self",))  # the assignment row, not the joined ones
            .select_related("recommendation__event", "actor")
            .get(pk=assignment.pk)
        )
        update = _vetted_update(replace(report, assignment=locked))
        update.save()
        # Part of the record, so in its transaction. Should the transaction fail later, the stored
        # files stay behind unreferenced: harmless, since a file is served only through its row.
        evidence.store_files(update, report.files)
        _refresh_current_status(locked, update)
        outbox.enqueue(EventType.STATUS_UPDATE_RECORDED, lambda: [payloads.status_update(update)])
        notices.tell([update])
    # The caller's copy too, as saved (no need to read it back).
    for name in CURRENT_FIELDS:
        setattr(assignment, name, getattr(locked, name))
    return update


def _vetted_update(report):
    """The Report as an unsaved StatusUpdate, once every rule has passed (else the rule's error)."""
    check_status_update(report)
    fields = {name: value for name, value in vars(report).items() if name != "files"}  # stored apart
    update = StatusUpdate(**fields, reported_by=reported_by(report.author, report.assignment, report.kind))
    # check_status_update has vetted the related rows and the choices, and the check constraints
    # hold in the database; validating them again here would cost a query (or a scan) each.
    vetted = ["assignment", "author", "corrects", "status", "kind", "date", "reported_by"]
    update.full_clean(exclude=vetted, validate_constraints=False)
    return update


@dataclass(frozen=True)
class Refusal:
    """Why one row of a batch may not be recorded: the Report's field the rule names ("" for the
    whole row, "assignment" for a missing right), the rule's message and its stable code."""

    row: int
    field: str
    message: str
    code: str


@dataclass
class BatchResult:
    """What check_status_updates found, or record_status_updates did, row by row: `created` holds
    (row, StatusUpdate) pairs (saved once recorded), `left` the rows already recorded."""

    created: list = field(default_factory=list)
    left: list = field(default_factory=list)
    refused: list = field(default_factory=list)


BATCH = 500  # rows a statement of record_status_updates writes


def report_key(report):
    """What makes two reports the same: a row whose key an update of its assignment already has
    (or an earlier row of the batch) is left, so a file uploaded twice is recorded once."""
    return (report.assignment.pk, report.status, report.date, report.note, report.evidence_url, report.internal_note)


def _recorded_keys(assignment_ids):
    recorded = StatusUpdate.objects.filter(assignment_id__in=assignment_ids, kind=UpdateKind.REPORT)
    fields = ["assignment_id", "status", "date", "note", "evidence_url", "internal_note"]
    return set(recorded.values_list(*fields))


def assignments_by_id(ids, *, lock=False):
    """The assignments of `ids` by id, each with its recommendation's event and its actor, as a batch
    needs them: four queries, with each recommendation and actor one object however many rows share
    it (a join would build four objects a row). `lock`: the assignments' rows locked, in id order."""
    assignments = Assignment.objects.order_by("pk")
    assignments = (assignments.select_for_update() if lock else assignments).in_bulk(sorted(ids))
    rows = assignments.values()
    recommendations = Recommendation.objects.select_related("event").in_bulk({a.recommendation_id for a in rows})
    actors = Actor.objects.in_bulk({a.actor_id for a in rows})
    for assignment in rows:
        assignment.recommendation = recommendations[assignment.recommendation_id]
        assignment.actor = actors[assignment.actor_id]
    return assignments


def check_status_updates(rows):
    """Judge a batch of plain reports (no corrections, no assessments), given as (row, Report)
    pairs whose assignments have their recommendation's event and actor loaded: the same rules as
    check_status_update, row by row, without writing (a preview). Two queries however many rows."""
    result = BatchResult()
    seen = _recorded_keys({report.assignment.pk for _, report in rows})
    for row, report in rows:
        if report.kind != UpdateKind.REPORT or report.corrects is not None or report.files:
            raise ValueError("A batch holds plain reports only (no files).")
        try:
            update = _vetted_update(report)
        except PermissionDenied as denied:
            result.refused.append(Refusal(row, "assignment", str(denied), "permission_denied"))
            continue
        except ValidationError as error:
            result.refused += [
                Refusal(row, "" if name == NON_FIELD_ERRORS else name, message, problem.code or "invalid")
                for name, problems in error.error_dict.items()
                for problem in problems
                for message in problem.messages
            ]
            continue
        key = report_key(report)
        if key in seen:
            result.left.append(row)
        else:
            seen.add(key)
            result.created.append((row, update))
    return result


def record_status_updates(rows):
    """Record a batch of plain reports, all or none: check_status_updates under the assignments'
    row locks; if any row is refused nothing is written (the result says why), else every new
    update is inserted and each assignment's current status brought in step, in one transaction.

    The bulk path of record_status_update: a lock of every assignment, an insert per 500 updates
    and one UPDATE of the current statuses (computed in the database, as latest_update would),
    instead of a lock, a read and two writes per row. The assignments are locked in id order, so
    two batches (or a batch and single reports) touching the same ones queue rather than deadlock;
    the running totals and the data version follow from the database's triggers on these statements.
    """
    with transaction.atomic():
        locked = assignments_by_id({report.assignment.pk for _, report in rows}, lock=True)
        present = [(row, report) for row, report in rows if report.assignment.pk in locked]
        result = check_status_updates(
            [(row, replace(report, assignment=locked[report.assignment.pk])) for row, report in present]
        )
        gone = _("This assignment has been removed since the file was read.")
        result.refused += [
            Refusal(row, "assignment", gone, "unknown_assignment")
            for row, report in rows
            if report.assignment.pk not in locked
        ]
        if result.refused or not result.created:
            return result
        StatusUpdate.objects.bulk_create([update for _, update in result.created], batch_size=BATCH)
        # Each assignment's current status as latest_update gives it, in one statement for them all.
        standing = StatusUpdate.objects.standing(UpdateKind.REPORT).filter(assignment=OuterRef("pk"))
        reported = {update.assignment_id for _, update in result.created}  # not those whose rows were all left
        Assignment.objects.filter(pk__in=reported).update(
            status=Subquery(standing.values("status")[:1]),
            status_date=Subquery(standing.values("date")[:1]),
            last_update=Subquery(standing.values("pk")[:1]),
            updated_at=timezone.now(),
        )
        recorded = [update for _, update in result.created]
        outbox.enqueue(EventType.STATUS_UPDATE_RECORDED, lambda: [payloads.status_update(one) for one in recorded])
        notices.tell(recorded)
    return result


def reported_by(author, assignment, kind):
    """Who is recording this update: the actor's focal point (a self-report) when the author reports
    for that actor, else a coordinator (on the actor's behalf, or an independent assessment).

    Worked out once, as the update is recorded, and stored with it: the update says who reported
    even after focal points change or the author's account is gone, and reading it costs nothing."""
    if kind == UpdateKind.REPORT and assignment.actor_id in permissions.reportable_actor_ids(author):
        return ReportedBy.FOCAL_POINT
    return ReportedBy.COORDINATOR


def latest_update(assignment, kind=UpdateKind.REPORT):
    """The update of `kind` that stands (StatusUpdateQuerySet.standing), or None."""
    return assignment.updates.standing(kind).first()


# What an assignment keeps of its updates, in step with them.
CURRENT_FIELDS = ["status", "status_date", "last_update", "assessed_status", "updated_at"]


def _refresh_current_status(assignment, new):
    """Bring the locked assignment's current status in step after `new` was added to its updates.

    An assessment or a correction is looked up again; a plain new report is compared with the
    report that stood so far (`last_update`), which spares a query on the common path. This relies
    on the invariant that only this module (and generate_synthetic, which keeps it) writes the
    current status. `last_update` is read only now, once the row is locked: a join in the locking
    query could give the report that stood before a writer we waited for."""
    report = assignment.last_update
    if new.kind == UpdateKind.ASSESSMENT:  # corrections stay within their kind: reports are unchanged
        assessment = latest_update(assignment, UpdateKind.ASSESSMENT)
        assignment.assessed_status = assessment.status if assessment else ""
    elif new.corrects_id is not None:
        report = latest_update(assignment, UpdateKind.REPORT)
    elif report is None or new.standing_key() >= report.standing_key():
        report = new
    assignment.status = report.status if report else ""
    assignment.status_date = report.date if report else None
    assignment.last_update = report
    assignment.save(update_fields=CURRENT_FIELDS)


# Focal points ----------------------------------------------------------------------------------


@dataclass
class Invitation:
    """What invite_focal_point did: `user` made (`created`) or found, and linked to the actor; `link`
    the one-time link to set a password when the person has none yet (else None), `mailed` whether
    the mail server took it."""

    user: Any
    created: bool
    already_linked: bool = False
    link: str | None = None
    mailed: bool = False

    def summary(self, actor):
        """What was done, in a sentence for the coordinator."""
        values = {"person": self.user.get_full_name() or self.user.get_username(), "actor": actor}
        if self.created:
            done = _("Invited %(person)s as a focal point of %(actor)s.")
        elif self.already_linked:
            done = _("%(person)s already had an account and was already a focal point of %(actor)s.")
        else:
            done = _("%(person)s already had a focal point's account: it is now linked to %(actor)s too.")
        if self.link and self.mailed:
            sent = _("The invitation was mailed to %(email)s.")
        elif self.link:
            sent = _("The mail to %(email)s could not be sent: pass the link on yourself.")
        else:
            sent = ""
        return " ".join(part for part in (done % values, sent % {"email": self.user.email}) if part)


def _invitation_limits(by, email):
    """The rate limits of invitation mails (security/throttling.py), judged without counting."""
    by_you, to_address = InvitationCoordinatorThrottle(by), InvitationAddressThrottle(email)
    for limit in (by_you, to_address):
        if limit.allow_request(None, None):
            continue
        minutes = max(1, -(-int(limit.wait() or 0) // 60))
        wait = ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}
        if limit is by_you:
            refusal = _error(
                _("You have sent as many invitations as allowed for now; try again in %(wait)s.") % {"wait": wait},
                "too_many_invitations",
            )
            raise ValidationError({NON_FIELD_ERRORS: refusal})
        refusal = _error(
            _("This address has been sent as many invitations as allowed for now; try again in %(wait)s.")
            % {"wait": wait},
            "too_many_invitations",
        )
        raise ValidationError({"email": refusal})
    return [by_you, to_address]


def _account_for(email):
    """The one account with this address (or this address as its username), None if there is none;
    a refusal if it cannot be a focal point."""
    found = list(
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .prefetch_related("groups")[:2]
    )
    if not found:
        return None
    if len(found) > 1:
        message = _("Several accounts use this address: link the right one to the actor in the admin.")
        raise ValidationError({"email": _error(message, "ambiguous_address")})
    (user,) = found
    if not permissions.is_focal_point(user):
        message = _("This address belongs to an account with another role: it cannot be made a focal point here.")
        raise ValidationError({"email": _error(message, "other_role")})
    if not user.is_active:
        message = _("This address belongs to a deactivated account: an administrator can reactivate it.")
        raise ValidationError({"email": _error(message, "inactive_account")})
    return user


def _link_invited(actor, user, name, email, language):
    """Link `user` (None: a new account in the focal-point role) to `actor`, all or nothing."""
    with transaction.atomic():
        if user is None:
            # The whole name in first_name: names do not always split into first and last.
            user = get_user_model().objects.create_user(email.lower(), email, None, first_name=name)
            user.groups.add(Group.objects.get(name=permissions.FOCAL_POINTS))
            Profile.objects.create(user=user, language=language)
            invitation = Invitation(user, created=True)
        else:
            Profile.objects.get_or_create(user=user, defaults={"language": language})  # theirs, if chosen
            invitation = Invitation(user, created=False, already_linked=actor.focal_points.filter(pk=user.pk).exists())
        actor.focal_points.add(user)
    return invitation


def invite_focal_point(*, by, actor, name, email, language, base_url=None):
    """Make the person at `email` a focal point of `actor`: a new account in the focal-point role
    (signed in as the address, with `language` stored as the language switch stores it), or the
    existing focal point's account with that address; never a second account. Someone without a
    password yet is mailed a one-time link to set it (accounts/invitations.py), within the rate
    limits per coordinator and per address; the link is also returned, for the coordinator to pass
    on should the mail not arrive. A refusal writes nothing and counts no invitation."""
    require_coordinator(by)
    name, email = name.strip(), email.strip()
    errors = {}
    if not name:
        errors["name"] = _error(_("Give the person's name."), "required")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _error(_("Enter a valid e-mail address."), "invalid_email")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _error(_("Choose one of the site's languages."), "unknown_language")
    if errors:
        raise ValidationError(errors)
    user = _account_for(email)
    sends_mail = user is None or not user.has_usable_password()
    limits = _invitation_limits(by, email) if sends_mail else []
    try:
        invitation = _link_invited(actor, user, name, email, language)
    except IntegrityError:
        # Another invitation of this address created the account (or the link) meanwhile: use it.
        invitation = _link_invited(actor, _account_for(email), name, email, language)
    user = invitation.user
    if sends_mail:
        for limit in limits:
            limit.record()
        invitation.link = invitation_link(user, settings.SITE_URL if base_url is None else base_url)
        invitation.mailed = send_invitation(user, actor, invitation.link, by)
    return invitation


def unlink_focal_point(*, by, actor, user):
    """`user` no longer reports for `actor`. The account and everything it recorded stay."""
    require_coordinator(by)
    if not actor.focal_points.filter(pk=user.pk).exists():
        message = _("%(person)s is not a focal point of %(actor)s.") % {"person": user, "actor": actor}
        raise ValidationError({"user": _error(message, "not_linked")})
    actor.focal_points.remove(user)


# Countries, bodies, regions and groups ----------------------------------------------------------


def _require_actor_manager(user):
    if not permissions.can_manage_actors(user):
        raise PermissionDenied(_("Only coordinators can add and change countries, bodies and regions."))


def save_actor(*, by, actor):
    """Add or change a country or body. Its rules are the model's (Actor.clean: no body above itself;
    the constraints: a country's ISO code, a body's code), checked here under a lock on the actor and
    every body above its new parent: two coordinators each putting one body under the other cannot
    both pass the check (the second waits, then sees the first's change). Raises ValidationError per
    field; writes nothing then."""
    _require_actor_manager(by)
    with transaction.atomic():
        if actor.pk is not None and actor.parent_id is not None:
            chain = [actor.pk, *Actor.objects.ancestor_ids([actor.parent_id])]
            list(Actor.objects.filter(pk__in=chain).order_by("pk").select_for_update().values_list("pk"))
        actor.full_clean()
        actor.save()
    return actor


def save_group(*, by, group, members):
    """Add or change a region or group of actors, with exactly `members` (countries and bodies)."""
    _require_actor_manager(by)
    with transaction.atomic():
        group.full_clean(exclude=["members"])
        group.save()
        group.members.set(members)
    return group


# An event's recommendations and assignments from a spreadsheet (imports.recommendations) -------------


@dataclass(frozen=True, kw_only=True)
class RecommendationRow:
    """One row of a file of an event's recommendations and assignments, as imports.recommendations
    reads it: the recommendation its `code` names with the fields the row gives (model field →
    value; `themes` a set of Themes, or None when the file has no themes column), and, when the
    row names an actor, that actor's assignment with the fields it gives (role, due_date, note)
    and the `version` of it the file was made from (None: not given)."""

    row: int
    code: str
    fields: dict
    themes: frozenset | None = None
    actor: Actor | None = None
    assignment_fields: dict = field(default_factory=dict)
    version: int | None = None


@dataclass(frozen=True)
class Change:
    """A recommendation or assignment a row creates (`fields` empty) or changes (the fields changed)."""

    row: int
    object: Any
    fields: tuple = ()


@dataclass
class ImportResult:
    """What import_recommendations did, or would do: `created` and `changed` hold Changes, `left`
    the rows that change nothing, `refused` Refusals (field `recommendation.<name>` for the
    recommendation's fields, the assignment's field name otherwise)."""

    created: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    left: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def import_recommendations(*, event, rows, by, dry_run):
    """Create or change `event`'s recommendations and their assignments as `rows`
    (RecommendationRows) give them, all or none, by the rules of the other doors: each object's
    full_clean, a new assignment as `assign` makes it, a changed one as `change_assignment` changes
    it (refused as stale when the file was made from an older version), the due date carried to
    the assignments that follow it. A recommendation is found by its code and an assignment by
    its recommendation and actor, so an unchanged row changes nothing; nothing absent from the
    rows is removed; a code of another event's recommendation is refused.

    Everything runs in one transaction, rolled back when a row is refused or `dry_run` is true:
    a preview applies exactly the rules of the import itself. Once written, the assignments
    created and changed are announced to the webhooks as `assign` and `change_assignment` do."""
    require_coordinator(by)
    run = _Import(event, by)
    with transaction.atomic():
        run.load(rows)  # and merges what each recommendation's rows say of it
        for row in rows:
            run.apply(row)
        if dry_run or run.result.refused:
            transaction.set_rollback(True)
        else:
            for event_type, changes in (
                (EventType.ASSIGNMENT_CREATED, run.result.created),
                (EventType.ASSIGNMENT_CHANGED, run.result.changed),
            ):
                assignments = [change.object for change in changes if isinstance(change.object, Assignment)]
                outbox.enqueue(
                    event_type, lambda assignments=assignments: [payloads.assignment(a) for a in assignments]
                )
    if dry_run or run.result.refused:
        for change in run.result.created:
            change.object.pk = None  # rolled back
    return run.result


# Blank and null are the same to a spreadsheet (the translated fields hold null for "none").
def _same(current, new):
    return (current or None) == (new or None) if isinstance(current or new, str) else current == new


class _Import:
    def __init__(self, event, by):
        self.event, self.by = event, by
        self.result = ImportResult()

    def load(self, rows):
        codes = {row.code for row in rows}
        found = Recommendation.objects.select_for_update(of=("self",)).select_related("event", "source_document")
        self.recommendations = {rec.code: rec for rec in found.filter(code__in=codes).prefetch_related("themes")}
        mine = [rec.pk for rec in self.recommendations.values() if rec.event_id == self.event.pk]
        assignments = Assignment.objects.select_for_update().filter(recommendation__in=mine)
        self.assignments = {(a.recommendation_id, a.actor_id): a for a in assignments}
        self.document = self.event.documents.order_by("pk").first()
        self.sequence = max(Recommendation.objects.filter(event=self.event).values_list("sequence", flat=True) or [0])
        self.merged = {}  # code → [fields, themes, first row]: what the rows say of the recommendation
        for row in rows:
            self.merge(row)
        self.assigned_rows = {}  # (recommendation id, actor id) → the row giving that assignment

    def merge(self, row):
        """What a recommendation's rows say of it: its first row, with any later row's change of a
        field the earlier rows leave as stored (one cell changed among a recommendation's rows is
        a change, not a disagreement); two different changes of a field are refused."""
        if row.code not in self.merged:
            self.merged[row.code] = [dict(row.fields), row.themes, row.row]
            return
        fields, themes, first = self.merged[row.code]
        stored = self.recommendations.get(row.code)
        stored_themes = set(stored.themes.all()) if stored is not None else None
        given = {**row.fields, **({"themes": row.themes} if row.themes is not None else {})}
        for name, value in given.items():
            merged = themes if name == "themes" else fields.get(name)
            current = stored_themes if name == "themes" else getattr(stored, name, None)
            if _same(merged, value) or (stored is not None and _same(current, value)):
                continue
            if stored is not None and _same(current, merged):
                if name == "themes":
                    self.merged[row.code][1] = value
                else:
                    fields[name] = value
                continue
            message = _("Row %(row)d says otherwise of %(code)s: give the recommendation the same in each of its rows.")
            self._refuse(row, f"recommendation.{name}", message % {"row": first, "code": row.code}, "disagrees")

    def apply(self, row):
        if any(refusal.row == row.row for refusal in self.result.refused):
            return
        if self.merged[row.code][2] == row.row:
            recommendation, change = self._recommendation(row)
        else:
            recommendation, change = self.recommendations.get(row.code), None
        if recommendation is None or recommendation.pk is None:
            return  # refused
        if row.actor is not None:
            assignment_change = self._assignment(row, recommendation)
            change = change or assignment_change
        if change is None and not any(refusal.row == row.row for refusal in self.result.refused):
            self.result.left.append(row.row)

    def _refuse(self, row, name, message, code):
        self.result.refused.append(Refusal(row.row, name, str(message), code))

    def _refuse_all(self, row, error, prefix=""):
        for name, problems in error.error_dict.items():
            for problem in problems:
                label = "" if name == NON_FIELD_ERRORS else prefix + name
                for message in problem.messages:
                    self._refuse(row, label, message, problem.code or "invalid")

    def _recommendation(self, row):
        """The row's recommendation, created or changed as it says, and the Change (None: unchanged)."""
        recommendation = self.recommendations.get(row.code)
        if recommendation is not None and recommendation.event_id != self.event.pk:
            message = _("%(code)s is a recommendation of another event, %(event)s: import it with that event.")
            self._refuse(
                row, "recommendation.code", message % {"code": row.code, "event": recommendation.event}, "other_event"
            )
            return None, None
        fields, themes, _first = self.merged[row.code]
        if recommendation is None:
            return self._new_recommendation(row, fields, themes)
        changed = [name for name, value in fields.items() if not _same(getattr(recommendation, name), value)]
        themes_changed = themes is not None and set(recommendation.themes.all()) != set(themes)
        if not changed and not themes_changed:
            return recommendation, None
        due_date = recommendation.due_date
        for name in changed:
            setattr(recommendation, name, fields[name])
        if not self._saved(row, recommendation):
            return None, None
        if recommendation.due_date != due_date:
            carry_due_date(recommendation)
        if themes_changed:
            recommendation.themes.set(themes)
            changed.append("themes")
        change = Change(row.row, recommendation, tuple(changed))
        self.result.changed.append(change)
        return recommendation, change

    def _new_recommendation(self, row, fields, themes):
        if self.document is None:
            message = _("%(event)s has no source document to quote: add it before its recommendations.")
            self._refuse(row, "recommendation.code", message % {"event": self.event}, "no_document")
            return None, None
        self.sequence += 1
        recommendation = Recommendation(
            event=self.event, source_document=self.document, code=row.code, sequence=self.sequence, **fields
        )
        if not self._saved(row, recommendation):
            return None, None
        recommendation.themes.set(themes or ())
        self.recommendations[row.code] = recommendation
        change = Change(row.row, recommendation)
        self.result.created.append(change)
        return recommendation, change

    def _saved(self, row, obj, prefix="recommendation."):
        try:
            obj.full_clean()
        except ValidationError as error:
            self._refuse_all(row, error, prefix)
            return False
        obj.save()
        return True

    def _assignment(self, row, recommendation):
        """The row's assignment, made as `assign` makes it or changed as `change_assignment` changes it."""
        fields, key = row.assignment_fields, (recommendation.pk, row.actor.pk)
        if key in self.assigned_rows:
            message = _("Row %(row)d gives this assignment already: give each one row.")
            self._refuse(row, "actor", message % {"row": self.assigned_rows[key]}, "duplicate")
            return None
        self.assigned_rows[key] = row.row
        assignment = self.assignments.get(key)
        if assignment is None:
            assignment = Assignment(
                recommendation=recommendation,
                actor=row.actor,
                role=fields.get("role", AssignmentRole.LEAD),
                note=fields.get("note", ""),
            )
            _set_due_date(assignment, fields.get("due_date"))
            if not self._saved(row, assignment, prefix=""):
                return None
            change = Change(row.row, assignment)
            self.result.created.append(change)
            return change
        changed = [
            name for name in ("role", "note") if name in fields and not _same(getattr(assignment, name), fields[name])
        ]
        if "due_date" in fields:
            # An empty cell follows the recommendation; a date is the assignment's own, unless it
            # is the one the file was made with (which the recommendation may have moved since).
            following = fields["due_date"] is None and not assignment.own_due_date
            if not following and fields["due_date"] != assignment.due_date:
                changed.append("due_date")
        if not changed:
            return None
        if row.version is not None and row.version != assignment.version:
            self._refuse(row, "version", STALE, "stale")
            return None
        locked = Assignment.objects.get(pk=assignment.pk)  # as carry_due_date may have left it
        locked.recommendation = recommendation
        for name in changed:
            if name == "due_date":
                _set_due_date(locked, fields["due_date"])
            else:
                setattr(locked, name, fields[name])
        locked.version += 1
        if not self._saved(row, locked, prefix=""):
            return None
        change = Change(row.row, locked, tuple(changed))
        self.result.changed.append(change)
        return change
