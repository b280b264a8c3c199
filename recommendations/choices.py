from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    """The status vocabulary. Slugs are part of the API; "no report yet" is derived."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    STALLED = "stalled", _("Stalled")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# "No report yet", the current status of an assignment without any update: stored as
# NOT_REPORTED, named NO_REPORT in the filters, the API and the figures (status_slug, stored_status).
NOT_REPORTED = ""
NO_REPORT = "no_report"
NO_REPORT_LABEL = _("No report yet")
# The group of recommendations without a theme in the figures by theme (no theme may take this slug).
NO_THEME = "none"
NO_THEME_LABEL = _("No theme")

# The current-status vocabulary. (slug, label) in the order of the filters' choices, the API's
# enum and the figures' keys: the stored statuses, then "no report yet".
CURRENT_STATUS_CHOICES = [*Status.choices, (NO_REPORT, NO_REPORT_LABEL)]
CURRENT_STATUS_LABELS = dict(CURRENT_STATUS_CHOICES)
# Most advanced first: the order of bar segments, legends and tables.
CURRENT_STATUS_ORDER = [
    Status.IMPLEMENTED,
    Status.PARTIALLY_IMPLEMENTED,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.STALLED,
    Status.NOT_APPLICABLE,
    NO_REPORT,
]
# Short text for cells too small for the label, so status never rests on colour alone; each
# language has its own (the context names the status for the translator). Each slug's
# colour is the CSS class status-<slug> (recommendations.badges.status_class, static/css/cvetracker.css).
CURRENT_STATUS_ABBREVIATIONS = {
    Status.IMPLEMENTED: pgettext_lazy("status abbreviation: Implemented", "IM"),
    Status.PARTIALLY_IMPLEMENTED: pgettext_lazy("status abbreviation: Partially implemented", "PI"),
    Status.IN_PROGRESS: pgettext_lazy("status abbreviation: In progress", "IP"),
    Status.NOT_STARTED: pgettext_lazy("status abbreviation: Not started", "NS"),
    Status.STALLED: pgettext_lazy("status abbreviation: Stalled", "ST"),
    Status.NOT_APPLICABLE: pgettext_lazy("status abbreviation: Not applicable", "NA"),
    NO_REPORT: pgettext_lazy("status abbreviation: No report yet", "NR"),
}


def status_slug(stored):
    """The slug of a stored current status: NOT_REPORTED reads NO_REPORT."""
    return stored or NO_REPORT


def stored_status(slug):
    """The stored form of a current-status slug: NO_REPORT is stored as NOT_REPORTED."""
    return NOT_REPORTED if slug == NO_REPORT else slug


# Statuses after which an assignment is no longer "open", so it cannot be overdue.
CLOSED_STATUSES = (Status.IMPLEMENTED, Status.NOT_APPLICABLE)
# Statuses that must point at evidence.
EVIDENCE_REQUIRED = (Status.IMPLEMENTED,)


class RecommendationKind(models.TextChoices):
    AGREED_STEP = "agreed_step", _("Agreed step")
    PROPOSAL = "proposal", _("Proposal")
    RECOMMENDATION = "recommendation", _("Recommendation")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    SUPPORTING = "supporting", _("Supporting")


class UpdateKind(models.TextChoices):
    """A report for the responsible actor, or a coordinator's independent assessment."""

    REPORT = "report", _("Report")
    ASSESSMENT = "assessment", _("Independent assessment")


class ReportedBy(models.TextChoices):
    """Who recorded an update, as the workflow established it when the update was recorded."""

    FOCAL_POINT = "focal_point", _("The actor's focal point")
    COORDINATOR = "coordinator", _("A coordinator, on the actor's behalf")
