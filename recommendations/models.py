from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cvetracker.datasets import dataset_field
from events.models import LONG_TEXT_LIMIT, Actor, Event, SourceDocument, limited_text
from recommendations.choices import (
    CLOSED_STATUSES,
    NO_THEME,
    AssignmentRole,
    RecommendationKind,
    ReportedBy,
    Status,
    UpdateKind,
)


class Theme(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.slug == NO_THEME:
            raise ValidationError({"slug": f"“{NO_THEME}” is kept for the figures of recommendations without a theme."})


class Recommendation(models.Model):
    """An agreed step, proposal or recommendation of an event, quoted from its source."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="recommendations")
    code = models.CharField(max_length=40, unique=True, help_text="e.g. CSACVE-2015-3")
    sequence = models.PositiveIntegerField(help_text="Order within the event, as in the document.")
    kind = models.CharField(max_length=20, choices=RecommendationKind.choices, db_index=True)
    title = models.CharField(max_length=200, help_text="A short label.")
    text = limited_text("The text", LONG_TEXT_LIMIT, help_text="The commitment in full.")
    source_document = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="recommendations")
    source_quote = limited_text(
        "The source quote", LONG_TEXT_LIMIT, help_text="Its exact wording in the source document."
    )
    source_note = limited_text("The note on the source", blank=True, help_text="What the source does and does not say.")
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    due_date = models.DateField(null=True, blank=True, db_index=True)
    milestone = models.CharField(max_length=300, blank=True, help_text="e.g. the summit it must precede.")
    due_date_note = limited_text("The note on the due date", blank=True, help_text="How the due date was established.")
    restates = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="restated_by",
        help_text="An earlier event's recommendation that this one repeats.",
    )
    dataset = dataset_field()

    class Meta:
        ordering = ["event__start_date", "event_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["event", "sequence"], name="recommendation_sequence_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=RecommendationKind.values), name="recommendation_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("recommendation-detail", args=[self.pk])

    def clean(self):
        if self.source_document_id and self.event_id and self.source_document.event_id != self.event_id:
            raise ValidationError({"source_document": "The source document must belong to the same event."})
        if (
            self.source_document_id
            and self.source_document.text
            and not self.source_document.contains(self.source_quote)
        ):
            raise ValidationError({"source_quote": "This wording does not appear in the source document."})
        if self.event_id:
            check_due_date(self.due_date, self.event)


def check_due_date(due_date, event):
    """A due date cannot come before the event that made the commitment (recommendations and assignments alike)."""
    if due_date is not None and due_date < event.start_date:
        raise ValidationError(
            {
                "due_date": ValidationError(
                    f"The due date cannot be before the event began ({event.start_date:%d %B %Y}).",
                    code="due_before_event",
                )
            }
        )


def open_q(status_field="status"):
    """The open rule as a query condition: neither implemented nor not applicable (CLOSED_STATUSES).
    Assignment.is_open is the same rule for one row in memory."""
    return ~models.Q(**{f"{status_field}__in": CLOSED_STATUSES})


def overdue_q(status_field="status", today=None):
    """The overdue rule as a query condition: open and past its due date. Assignment.is_overdue is
    the same rule for one row in memory."""
    return models.Q(due_date__lt=today or timezone.localdate()) & open_q(status_field)


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(open_q())

    def overdue(self, today=None):
        return self.filter(overdue_q(today=today))

    def reportable_by(self, user):
        """Assignments this user may record status updates on (see permissions.py)."""
        from recommendations.permissions import reportable_assignments

        return reportable_assignments(user, self)

    def with_related(self):
        return self.select_related("recommendation__event", "actor", "last_update")


class Assignment(models.Model):
    """One actor's responsibility for one recommendation.

    `status`, `status_date` and `last_update` mirror the latest status update; only
    recommendations.workflow writes them, in the same transaction as the update.
    """

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="assignments")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=20, choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    # Stored with the date (rather than a null due date meaning "the recommendation's") so that the
    # overdue query reads one indexed column; recommendations.workflow keeps the two in step.
    own_due_date = models.BooleanField(
        default=False,
        editable=False,
        help_text="Whether the due date is the assignment's own; otherwise it follows the recommendation's.",
    )
    note = limited_text("The note", blank=True)
    status = models.CharField(
        max_length=32,
        choices=Status.choices,
        blank=True,
        db_index=True,
        editable=False,
        help_text="Latest reported status; empty means no report yet.",
    )
    status_date = models.DateField(null=True, blank=True, editable=False)
    last_update = models.ForeignKey(
        "StatusUpdate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    assessed_status = models.CharField(
        max_length=32,
        choices=Status.choices,
        blank=True,
        editable=False,
        help_text="Latest independent assessment; empty means not assessed.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # Defaults rather than auto_now*, so fixtures loaded raw get them too; save() keeps updated_at.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    dataset = dataset_field()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation__code", "actor__name"]
        permissions = [("manage_assignments", "Can manage assignments (a coordinator)")]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "actor"], name="assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(status="") | models.Q(status__in=Status.values), name="assignment_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(assessed_status="") | models.Q(assessed_status__in=Status.values),
                name="assignment_assessed_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(role__in=AssignmentRole.values), name="assignment_role_valid"),
        ]
        indexes = [
            models.Index(fields=["actor", "status"]),
            models.Index(fields=["status", "due_date"]),
            # "Recommendations with an assignment in this status" (list filter) reads only the index.
            models.Index(fields=["status", "recommendation"]),
        ]

    def __str__(self):
        return f"{self.recommendation.code} — {self.actor}"

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("assignment-detail", args=[self.pk])

    def clean(self):
        if self.recommendation_id:
            check_due_date(self.due_date, self.recommendation.event)

    @property
    def is_open(self):
        return self.status not in CLOSED_STATUSES

    @property
    def is_overdue(self):
        return bool(self.due_date and self.due_date < timezone.localdate() and self.is_open)


# The update that stands, of each kind, is the first in this order among those not corrected:
# the latest by date, then by recording time, then by id.
STANDING_ORDER = ["-date", "-created_at", "-id"]


class StatusUpdateQuerySet(models.QuerySet):
    """Bulk changes bypass save() and delete(), so they are refused here too (and on PostgreSQL
    by a trigger, migration 0004)."""

    def standing(self, kind=None):
        """The updates not corrected by another (of `kind`, if given), the one that stands first."""
        updates = self.filter(corrections__isnull=True).order_by(*STANDING_ORDER)
        return updates if kind is None else updates.filter(kind=kind)

    def update(self, **kwargs):
        raise ValidationError("Status updates are append-only: record a correction instead.")

    def delete(self):
        raise ValidationError("Status updates are append-only and cannot be deleted.")


class StatusUpdate(models.Model):
    """A dated report on an assignment. Append-only: a correction is a new update."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="updates")
    kind = models.CharField(max_length=20, choices=UpdateKind.choices, default=UpdateKind.REPORT)
    status = models.CharField(max_length=32, choices=Status.choices)
    date = models.DateField(help_text="The day the status refers to.")
    note = limited_text("The note", blank=True, help_text="Public.")
    internal_note = limited_text(
        "The internal note",
        blank=True,
        help_text="For coordinators, viewers and the focal points of this actor and the bodies above and below it.",
    )
    evidence_url = models.URLField(max_length=500, blank=True)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text="The earlier update this one corrects.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="status_updates"
    )
    # Set by the workflow when the update is recorded: a fact of that moment, which later changes to
    # who is whose focal point (or a deleted author) must not rewrite.
    reported_by = models.CharField(
        max_length=20, choices=ReportedBy.choices, help_text="The actor's own focal point, or a coordinator."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    dataset = dataset_field()

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = STANDING_ORDER
        get_latest_by = [name.removeprefix("-") for name in STANDING_ORDER]
        permissions = [
            ("report_any_assignment", "Can record status updates on any assignment"),
            ("read_all_internal_notes", "Can read the internal notes of every assignment"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="update_status_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=UpdateKind.values), name="update_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(reported_by__in=ReportedBy.values), name="update_reported_by_valid"
            ),
            models.CheckConstraint(condition=~models.Q(corrects=models.F("id")), name="update_cannot_correct_itself"),
        ]
        indexes = [
            models.Index(fields=["assignment", "-date", "-created_at"]),
            # The lists' order (newest first): a page of updates reads the index until it has enough.
            models.Index(fields=STANDING_ORDER),
        ]

    def __str__(self):
        return f"{self.assignment} — {self.get_status_display()} ({self.date})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Status updates are append-only: record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Status updates are append-only and cannot be deleted.")

    def standing_key(self):
        """STANDING_ORDER for one update in memory: of two updates, the greater key stands."""
        return tuple(getattr(self, name.removeprefix("-")) for name in STANDING_ORDER)

    @property
    def on_behalf(self):
        """A report a coordinator recorded for the actor, not one from the actor itself."""
        return self.kind == UpdateKind.REPORT and self.reported_by == ReportedBy.COORDINATOR

    @property
    def kind_label(self):
        """How the pages name it: an independent assessment, a self-report or a report on the actor's behalf."""
        if self.kind == UpdateKind.ASSESSMENT:
            return self.get_kind_display()
        return "Report recorded by a coordinator on the actor's behalf" if self.on_behalf else "Self-report"


class RunningTotal(models.Model):
    """A count kept by PostgreSQL triggers (migrations 0009 and 0018 create the tables; there are none on
    SQLite), read by recommendations.reads.progress: for the whole database (scope '', key 0), an event
    (scope 'event', key its id) or an actor's own assignments (scope 'actor')."""

    scope = models.CharField(max_length=8)
    key = models.BigIntegerField()
    n = models.BigIntegerField()

    class Meta:
        abstract = True
        managed = False
        default_permissions = ()  # nobody edits them

    def __str__(self):
        return f"{self.pk}: {self.n}"


class StatusTally(RunningTotal):
    """How many assignments of a scope have each current status ('' = no report yet)."""

    pk = models.CompositePrimaryKey("scope", "key", "status")
    status = models.CharField(max_length=32)

    class Meta(RunningTotal.Meta):
        db_table = "cvetracker_status_tally"


class OpenDueTally(RunningTotal):
    """How many open assignments (neither implemented nor not applicable) of a scope are due on each date:
    "overdue today" is the sum before today."""

    pk = models.CompositePrimaryKey("scope", "key", "due_date")
    due_date = models.DateField()

    class Meta(RunningTotal.Meta):
        db_table = "cvetracker_open_due_tally"
