from django.db import models


class Status(models.TextChoices):
    """The status vocabulary. Slugs are part of the API; "no report yet" is derived."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    PARTIALLY_IMPLEMENTED = "partially_implemented", "Partially implemented"
    IMPLEMENTED = "implemented", "Implemented"
    STALLED = "stalled", "Stalled"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# Derived, never stored: an assignment without any update.
NO_REPORT = "no_report"
NO_REPORT_LABEL = "No report yet"
# The group of recommendations without a theme in the figures by theme (no theme may take this slug).
NO_THEME = "none"
NO_THEME_LABEL = "No theme"

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
