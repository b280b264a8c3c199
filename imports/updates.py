"""Status updates from a spreadsheet: the template, its rows as workflow Reports, preview and commit.

The template is the assignment export (api.export: the same columns, CSV or XLSX) of the
assignments the user may report on, followed by the columns to fill (FILL). Each filled row becomes
a workflow.Report, which the workflow judges and records with the rules of the reporting form
(check_status_updates for the preview, record_status_updates for the commit: all rows or none).
A row already recorded is left (workflow.report_key), so a file uploaded twice is recorded once.
What cannot even become a Report (a formula, an id or a date that is not one) is refused here,
in the reader's language, as the workflow's refusals are.
"""

from functools import cache

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import serializers

from api import export
from api.serializers import AssignmentSerializer
from cvetracker.ids import NOT_AN_ID, as_id
from imports import spreadsheet
from recommendations import workflow
from recommendations.choices import Status

ID = "id"  # the assignment's id, the export's first column
# The columns a focal point fills → the Report's fields.
FILL = {
    "update_status": "status",
    "update_date": "date",
    "update_note": "note",
    "update_evidence_url": "evidence_url",
    "update_internal_note": "internal_note",
}
REQUIRED = [ID, "update_status", "update_date"]
COLUMN_OF_FIELD = {name: column for column, name in FILL.items()} | {"assignment": ID}


def template_columns(serializer):
    """The template's columns: the assignment export's (an AssignmentSerializer's), then the ones to fill."""
    filled = [export.Column(name, name, None, serializers.CharField()) for name in FILL]
    return export.columns(serializer) + filled


@cache
def _known_columns():
    return frozenset(
        column.header for column in template_columns(AssignmentSerializer(context={"expand": frozenset()}))
    )


def read(file):
    """The (binary) file's rows as JSON-able lists [number, cells, formulas] (only the id and the filled
    columns are kept), or spreadsheet.FileRefused."""
    rows = spreadsheet.read(file, columns=_known_columns(), keep={ID, *FILL}, required=REQUIRED)
    return [[row.number, row.cells, row.formulas] for row in rows]


def preview(rows, user, event=None):
    """What recording `rows` (as `read` gives them) would do, without writing: a workflow.BatchResult.
    (`event`, which the recommendations' import needs, is not: each row names its assignment.)"""
    reports, refused, unfilled = _reports(rows, user)
    return _merged(workflow.check_status_updates(reports), refused, unfilled)


def commit(rows, user, event=None):
    """Record `rows` through the workflow, all or none: nothing is written if any row is refused."""
    reports, refused, unfilled = _reports(rows, user)
    if refused:
        return _merged(workflow.check_status_updates(reports), refused, unfilled)
    return _merged(workflow.record_status_updates(reports), [], unfilled)


def shown(result, rows):
    """What the preview page lists: the first `rows` updates to record."""
    return {"created": result.created[:rows]}


def summary(result, dry_run):
    """What the command says it did (or, in a dry run, would do)."""
    counts = {"created": len(result.created), "left": len(result.left)}
    if dry_run:
        return _("%(created)d to record, %(left)d left (already recorded or not filled in); nothing written.") % counts
    return _("%(created)d recorded, %(left)d left (already recorded or not filled in).") % counts


def recorded_message(result):
    count = len(result.created)
    return ngettext("%(count)d status update recorded.", "%(count)d status updates recorded.", count) % {"count": count}


def column(refusal):
    """The template column a refusal names ("" for the row as a whole)."""
    return COLUMN_OF_FIELD.get(refusal.field, refusal.field)


def _merged(result, refused, unfilled):
    """The workflow's result with the rows refused or left before it saw them, in row order."""
    result.refused = sorted(result.refused + refused, key=lambda refusal: refusal.row)
    result.left = sorted(result.left + unfilled)
    return result


def _reports(rows, user):
    """(row number, Report) for each row that can be read as one, a Refusal for each cell that
    cannot, and the numbers of the rows with nothing filled in (the template's other assignments)."""
    ids = {as_id(cells.get(ID, "")) for _number, cells, _formulas in rows} - {None}
    assignments = workflow.assignments_by_id(ids)
    statuses = spreadsheet.slugs(Status)
    reports, refused, unfilled = [], [], []
    for number, cells, formulas in rows:
        if not formulas and not any(cells.get(name, "").strip() for name in FILL):
            unfilled.append(number)
            continue
        problems = [
            workflow.Refusal(
                number,
                name,
                spreadsheet.formula_message(),
                "formula",
            )
            for name in formulas
        ]
        assignment = assignments.get(as_id(cells.get(ID, "")))
        if assignment is None and ID not in formulas:
            problems.append(_id_refusal(number, cells.get(ID, "")))
        date, date_problem = spreadsheet.date(cells.get("update_date", ""))
        if date_problem:
            problems.append(workflow.Refusal(number, "update_date", date_problem, "not_a_date"))
        if problems:
            refused += problems
            continue
        status = cells.get("update_status", "").strip()
        report = workflow.Report(
            assignment=assignment,
            author=user,
            status=statuses.get(status.lower(), status),
            date=date,
            note=cells.get("update_note", "").strip(),
            evidence_url=cells.get("update_evidence_url", "").strip(),
            internal_note=cells.get("update_internal_note", "").strip(),
        )
        reports.append((number, report))
    return reports, refused, unfilled


def _id_refusal(number, text):
    if as_id(text) is None:
        return workflow.Refusal(number, ID, str(NOT_AN_ID), "not_an_id")
    message = _("No assignment has the id %(id)s: keep the template's ids.") % {"id": text}
    return workflow.Refusal(number, ID, message, "unknown_assignment")
