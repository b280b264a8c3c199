"""Small helpers that build domain rows through the workflow, as users would."""

import datetime

from events.models import Actor
from recommendations import workflow
from recommendations.models import Assignment, Recommendation


def assignment(code, iso, by):
    """The assignment of recommendation `code` to country `iso`, created through the workflow if missing."""
    existing = Assignment.objects.filter(recommendation__code=code, actor__iso_code=iso).first()
    if existing:
        return existing
    result = workflow.assign(
        recommendation=Recommendation.objects.get(code=code), actors=[Actor.objects.get(iso_code=iso)], by=by
    )
    return result.created[0]


def report(assignment, author, status="in_progress", date=datetime.date(2016, 1, 15), **extra):
    return workflow.record_status_update(
        workflow.Report(assignment=assignment, status=status, date=date, author=author, **extra)
    )
