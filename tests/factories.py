"""Small helpers that build domain rows through the workflow, as users would."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from events.models import Actor
from recommendations import workflow
from recommendations.models import Assignment, Recommendation


def actor(key):
    """The actor a spreadsheet names by `key`: a country's ISO code, or a body's code."""
    return Actor.objects.get(Q(iso_code=key) | Q(code=key))


def assignment(code, key, by):
    """The assignment of recommendation `code` to the actor `key` names (a country's ISO code or a
    body's code), created through the workflow if missing."""
    existing = Assignment.objects.filter(recommendation__code=code, actor=actor(key)).first()
    if existing:
        return existing
    result = workflow.assign(recommendation=Recommendation.objects.get(code=code), actors=[actor(key)], by=by)
    return result.created[0]


def report(assignment, author, status="in_progress", date=datetime.date(2016, 1, 15), **extra):
    return workflow.record_status_update(
        workflow.Report(assignment=assignment, status=status, date=date, author=author, **extra)
    )


def pdf(name="evidence.pdf", content=b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"):
    """An uploaded PDF (a file the evidence rules accept, by its content)."""
    return SimpleUploadedFile(name, content, content_type="application/pdf")
