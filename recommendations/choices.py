from django.db import models


class Status(models.TextChoices):
    """The status vocabulary. Slugs are part of the API; "no report yet" is derived."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    PARTIALLY_IMPLEMENTED = "partially_implemented", "Partially implemented"
    IMPLEMENTED = "implemented", "Implemented"
    STALLED = "stalled", "Stalled"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# "No report yet", the current status of an assignment without any update: stored as
# NOT_REPORTED, named NO_REPORT in the filters, the API and the figures (status_slug, stored_status).
NOT_REPORTED = ""
NO_REPORT = "no_report"
NO_REPORT_LABEL = "No report yet"
# The group of recommendations without a theme in the figures by theme (no theme may take this slug).
NO_THEME = "none"
NO_THEME_LABEL = "No theme"

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
# Short text for cells too small for the label, so status never rests on colour alone. Each slug's
# colour is the CSS class status-<slug> (recommendations.badges.status_class, static/css/cvetracker.css).
CURRENT_STATUS_ABBREVIATIONS = {
    Status.IMPLEMENTED: "IM",
    Status.PARTIALLY_IMPLEMENTED: "PI",
    Status.IN_PROGRESS: "IP",
    Status.NOT_STARTED: "NS",
    Status.STALLED: "ST",
    Status.NOT_APPLICABLE: "NA",
    NO_REPORT: "NR",
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
    AGREED_STEP = "agreed_step", "Agreed step"
    PROPOSAL = "proposal", "Proposal"
    RECOMMENDATION = "recommendation", "Recommendation"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Lead"
    SUPPORTING = "supporting", "Supporting"


class UpdateKind(models.TextChoices):
    """A report for the responsible actor, or a coordinator's independent assessment."""

    REPORT = "report", "Report"
    ASSESSMENT = "assessment", "Independent assessment"


class ReportedBy(models.TextChoices):
    """Who recorded an update, as the workflow established it when the update was recorded."""

    FOCAL_POINT = "focal_point", "The actor's focal point"
    COORDINATOR = "coordinator", "A coordinator, on the actor's behalf"
