from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_language

from cvetracker.datasets import dataset_field
from events.models import LONG_TEXT_LIMIT, Actor, Event, SourceDocument, limited_text
from recommendations import evidence
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
    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    slug = models.SlugField(unique=True, verbose_name=_("slug"))

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.slug == NO_THEME:
            raise ValidationError(
                {
                    "slug": gettext("“%(slug)s” is kept for the figures of recommendations without a theme.")
                    % {"slug": NO_THEME}
                }
            )


class Recommendation(models.Model):
    """An agreed step, proposal or recommendation of an event, quoted from its source."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("event"))
    code = models.CharField(max_length=40, unique=True, help_text=_("e.g. CSACVE-2015-3"), verbose_name=_("code"))
    sequence = models.PositiveIntegerField(
        help_text=_("Order within the event, as in the document."), verbose_name=_("sequence")
    )
    kind = models.CharField(max_length=20, choices=RecommendationKind.choices, db_index=True, verbose_name=_("kind"))
    title = models.CharField(max_length=200, help_text=_("A short label."), verbose_name=_("title"))
    text = limited_text(_("The text"), LONG_TEXT_LIMIT, help_text=_("The commitment in full."), verbose_name=_("text"))
    source_document = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("source document")
    )
    source_quote = limited_text(
        _("The source quote"),
        LONG_TEXT_LIMIT,
        help_text=_("Its exact wording in the source document."),
        verbose_name=_("source quote"),
    )
    source_note = limited_text(
        _("The note on the source"),
        blank=True,
        help_text=_("What the source does and does not say."),
        verbose_name=_("source note"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations", verbose_name=_("themes"))
    due_date = models.DateField(null=True, blank=True, db_index=True, verbose_name=_("due date"))
    milestone = models.CharField(
        max_length=300, blank=True, help_text=_("e.g. the summit it must precede."), verbose_name=_("milestone")
    )
    due_date_note = limited_text(
        _("The note on the due date"),
        blank=True,
        help_text=_("How the due date was established."),
        verbose_name=_("due date note"),
    )
    restates = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="restated_by",
        help_text=_("An earlier event's recommendation that this one repeats."),
        verbose_name=_("restates"),
    )
    dataset = dataset_field()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
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

    @property
    def shown_in_translation(self):
        """Whether its title shown now is the tracker's translation: the active language is not its
        document's and has a title of its own (without one, the English, the source's, is shown)."""
        language = get_language()
        return language != self.source_document.language and bool(getattr(self, f"title_{language}", None))

    def clean(self):
        if self.source_document_id and self.event_id and self.source_document.event_id != self.event_id:
            raise ValidationError({"source_document": gettext("The source document must belong to the same event.")})
        if (
            self.source_document_id
            and self.source_document.text
            and not self.source_document.contains(self.source_quote)
        ):
            raise ValidationError({"source_quote": gettext("This wording does not appear in the source document.")})
        if self.event_id:
            check_due_date(self.due_date, self.event)


def check_due_date(due_date, event):
    """A due date cannot come before the event that made the commitment (recommendations and assignments alike)."""
    if due_date is not None and due_date < event.start_date:
        raise ValidationError(
            {
                "due_date": ValidationError(
                    gettext("The due date cannot be before the event began (%(date)s).")
                    % {"date": date_format(event.start_date, "DATE_FORMAT")},
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


def disagrees(status, assessed_status):
    """The disagreement rule for one row in memory: an independent assessment exists and differs from
    the self-reported status (an assessment of an assignment without a report yet differs too)."""
    return bool(assessed_status) and assessed_status != status


def disagrees_q(status_field="status", assessed_field="assessed_status"):
    """`disagrees` as a query condition, on the given fields (annotations as of a day, too)."""
    return ~models.Q(**{assessed_field: ""}) & ~models.Q(**{assessed_field: models.F(status_field)})


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(open_q())

    def disagreeing(self):
        return self.filter(disagrees_q())

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

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("recommendation")
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=pgettext_lazy("a country or body", "actor"),
    )
    role = models.CharField(
        max_length=20, choices=AssignmentRole.choices, default=AssignmentRole.LEAD, verbose_name=_("role")
    )
    due_date = models.DateField(null=True, blank=True, db_index=True, verbose_name=_("due date"))
    # Stored with the date (rather than a null due date meaning "the recommendation's") so that the
    # overdue query reads one indexed column; recommendations.workflow keeps the two in step.
    own_due_date = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Whether the due date is the assignment's own; otherwise it follows the recommendation's."),
        verbose_name=_("own due date"),
    )
    note = limited_text(_("The note"), blank=True, verbose_name=_("note"))
    status = models.CharField(
        max_length=32,
        choices=Status.choices,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("Latest reported status; empty means no report yet."),
        verbose_name=_("status"),
    )
    status_date = models.DateField(null=True, blank=True, editable=False, verbose_name=_("status date"))
    last_update = models.ForeignKey(
        "StatusUpdate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("last update"),
    )
    assessed_status = models.CharField(
        max_length=32,
        choices=Status.choices,
        blank=True,
        editable=False,
        help_text=_("Latest independent assessment; empty means not assessed."),
        verbose_name=_("assessed status"),
    )
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    # Defaults rather than auto_now*, so fixtures loaded raw get them too; save() keeps updated_at.
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True, verbose_name=_("updated at"))
    dataset = dataset_field()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
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
    def disagrees(self):
        return disagrees(self.status, self.assessed_status)

    as_of = None  # the day a row is read as of (recommendations.reads.figures.as_they_stood): overdue then

    @property
    def is_overdue(self):
        return bool(self.due_date and self.due_date < (self.as_of or timezone.localdate()) and self.is_open)


# The update that stands, of each kind, is the first in this order among those not corrected:
# the latest by date, then by recording time, then by id.
STANDING_ORDER = ["-date", "-created_at", "-id"]


class StatusUpdateQuerySet(models.QuerySet):
    """Bulk changes bypass save() and delete(), so they are refused here too (and on PostgreSQL
    by a trigger, migration 0004)."""

    def standing(self, kind=None):
        """The updates not corrected by another (of `kind`, if given), the one that stands first."""
        # NOT EXISTS rather than a join to the corrections: the planner sees an anti-join and sizes it.
        corrected = StatusUpdate.objects.filter(corrects=models.OuterRef("pk"))
        updates = self.exclude(models.Exists(corrected)).order_by(*STANDING_ORDER)
        return updates if kind is None else updates.filter(kind=kind)

    def update(self, **kwargs):
        raise ValidationError(gettext("Status updates are append-only: record a correction instead."))

    def delete(self):
        raise ValidationError(gettext("Status updates are append-only and cannot be deleted."))


class StatusUpdate(models.Model):
    """A dated report on an assignment. Append-only: a correction is a new update."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="updates", verbose_name=_("assignment")
    )
    kind = models.CharField(
        max_length=20, choices=UpdateKind.choices, default=UpdateKind.REPORT, verbose_name=_("kind")
    )
    status = models.CharField(max_length=32, choices=Status.choices, verbose_name=_("status"))
    date = models.DateField(help_text=_("The day the status refers to."), verbose_name=_("date"))
    note = limited_text(_("The note"), blank=True, help_text=_("Public."), verbose_name=_("note"))
    internal_note = limited_text(
        _("The internal note"),
        blank=True,
        help_text=_("For coordinators, viewers and the focal points of this actor and the bodies above and below it."),
        verbose_name=_("internal note"),
    )
    evidence_url = models.URLField(max_length=500, blank=True, verbose_name=_("evidence url"))
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text=_("The earlier update this one corrects."),
        verbose_name=_("corrects"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="status_updates",
        verbose_name=_("author"),
    )
    # Set by the workflow when the update is recorded: a fact of that moment, which later changes to
    # who is whose focal point (or a deleted author) must not rewrite.
    reported_by = models.CharField(
        max_length=20,
        choices=ReportedBy.choices,
        help_text=_("The actor's own focal point, or a coordinator."),
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))
    dataset = dataset_field()

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
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
            raise ValidationError(gettext("Status updates are append-only: record a correction instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("Status updates are append-only and cannot be deleted."))

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
        if self.on_behalf:
            return gettext("Report recorded by a coordinator on the actor's behalf")
        return gettext("Self-report")


class EvidenceFileQuerySet(models.QuerySet):
    """Part of the status update's record: append-only like it (and on PostgreSQL by a trigger, migration 0021)."""

    def update(self, **kwargs):
        raise ValidationError(gettext("Evidence files are part of their status update's record and cannot be changed."))

    def delete(self):
        raise ValidationError(gettext("Evidence files are part of their status update's record and cannot be deleted."))


class EvidenceFile(models.Model):
    """A file a status update carries as evidence (recommendations.evidence checks and stores it), written
    in the update's transaction and kept with it for good, whatever becomes of the update later."""

    update = models.ForeignKey(
        StatusUpdate, on_delete=models.PROTECT, related_name="files", verbose_name=_("status update")
    )
    # A generated name in the "evidence" storage, never the user's.
    file = models.FileField(storage=evidence.storage, max_length=200, verbose_name=_("file"))
    name = models.CharField(
        max_length=evidence.NAME_LIMIT, help_text=_("The file's name as it was uploaded."), verbose_name=_("name")
    )
    content_type = models.CharField(
        max_length=100, help_text=_("What its content was found to be."), verbose_name=_("content type")
    )
    size = models.PositiveBigIntegerField(help_text=_("In bytes."), verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, help_text=_("A digest of its content."), verbose_name=_("SHA-256"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["update", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                gettext("Evidence files are part of their status update's record and cannot be changed.")
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("evidence-file", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("Evidence files are part of their status update's record and cannot be deleted."))


class RunningTotal(models.Model):
    """A count kept by PostgreSQL triggers (migrations 0009 and 0020 create the tables; there are none on
    SQLite), read by recommendations.reads.progress: for the whole database (scope '', key 0), an event
    (scope 'event', key its id) or an actor's own assignments (scope 'actor')."""

    scope = models.CharField(max_length=8, verbose_name=_("scope"))
    key = models.BigIntegerField(verbose_name=_("key"))
    n = models.BigIntegerField(verbose_name=_("n"))

    class Meta:
        abstract = True
        managed = False
        default_permissions = ()  # nobody edits them

    def __str__(self):
        return f"{self.pk}: {self.n}"


class StatusTally(RunningTotal):
    """How many assignments of a scope have each current status ('' = no report yet)."""

    pk = models.CompositePrimaryKey("scope", "key", "status", verbose_name=_("scope, key and status"))
    status = models.CharField(max_length=32, verbose_name=_("status"))

    class Meta(RunningTotal.Meta):
        verbose_name = _("status tally")
        verbose_name_plural = _("status tallies")
        db_table = "cvetracker_status_tally"


class OpenDueTally(RunningTotal):
    """How many open assignments (neither implemented nor not applicable) of a scope are due on each date:
    "overdue today" is the sum before today."""

    pk = models.CompositePrimaryKey("scope", "key", "due_date", verbose_name=_("scope, key and due date"))
    due_date = models.DateField(verbose_name=_("due date"))

    class Meta(RunningTotal.Meta):
        verbose_name = _("open due tally")
        verbose_name_plural = _("open due tallies")
        db_table = "cvetracker_open_due_tally"
