"""Export of every list as CSV or XLSX: `?format=csv|xlsx`, the same filters, ALL matching rows
(not one page), the same columns in both formats.

Columns are the JSON fields; a nested object is spread into dotted columns (`progress.implemented`,
`last_update.date`), a list of values is joined with "; ". Beside each vocabulary column (`status`,
`kind`, `role`: stable slugs) a `<column>_label` column gives its label in the request's language.
What a row holds is what its serializer shows the reader: the read rules are the serializers'.

CSV is streamed row by row, so a large export never sits in memory; `?bom=1` starts the file with a
byte-order mark, so Excel reads it as UTF-8. XLSX is written by openpyxl in write-only mode (rows go
to a temporary file, not memory), with dates as date cells and numbers as numbers, up to
XLSX_MAX_ROWS rows (docs/api.md).
"""

import csv
import json
import tempfile
from datetime import date, datetime
from itertools import islice
from typing import NamedTuple

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer

from api.fields import ExpandableField

# Spreadsheets run a cell that starts with one of these as a formula; such text gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LABEL_SUFFIX = "_label"
# An XLSX export is built whole before it is sent (a zip cannot be streamed row by row): past this
# many rows the answer is a 400 asking for narrower filters or CSV, which streams any number. Writing
# 100,000 rows of 23 columns took 19 s here (docs/api.md): half that stays well inside a worker's
# 30-second timeout once the rows are also read and serialized.
XLSX_MAX_ROWS = 50_000
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name
EXPORT_CHUNK = 500  # rows fetched (and given their progress figures) at a time while an export is written


class Column(NamedTuple):
    header: str  # the stable slug heading the column
    path: str  # where its value is in a serialized row, dotted
    labels: dict | None  # a vocabulary's labels, for a `_label` column
    field: serializers.Field


def columns(serializer, prefix=""):
    """The columns of a serializer's fields."""
    found = []
    for name, field in serializer.fields.items():
        if isinstance(field, ExpandableField) and field.is_expanded:
            field = field.nested()
        if isinstance(field, serializers.Serializer):
            found += columns(field, f"{prefix}{name}.")
            continue
        path = f"{prefix}{name}"
        found.append(Column(path, path, None, field))
        if isinstance(field, serializers.ChoiceField):
            found.append(Column(path + LABEL_SUFFIX, path, field.choices, field))
    return found


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` (or Accept: text/csv) choose CSV. The list views answer with `download`,
    so this renderer never renders one; errors stay JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    @staticmethod
    def download(request, filename, title, columns, rows):
        """Stream `rows` (serialized objects) as a CSV download with the given columns."""
        bom = request.query_params.get("bom") == "1"
        lines = _lines(columns, rows, translation.get_language(), bom)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response


class XLSXRenderer(BaseRenderer):
    """Lets `?format=xlsx` (or Accept: the XLSX media type) choose XLSX, answered by `download`."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None

    @staticmethod
    def download(request, filename, title, columns, rows):
        """`rows` as one sheet named `title` (for people), headed by the columns' slugs."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_sheet_title(title))
        sheet.append([column.header for column in columns])
        too_many = False
        for number, row in enumerate(rows, start=1):
            if too_many := number > XLSX_MAX_ROWS:
                break
            sheet.append([_xlsx_cell(_value(row, column), column.field) for column in columns])
        body = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
        workbook.save(body)  # also when refused: saving is what removes openpyxl's own temporary file
        if too_many:
            body.close()
            message = _("An XLSX file holds at most %(limit)s rows: narrow the filters, or ask for CSV.")
            raise ValidationError({"format": [message % {"limit": XLSX_MAX_ROWS}]}, code="too_many_rows")
        body.seek(0)
        return FileResponse(body, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSXRenderer.media_type)


EXPORTS = (CSVRenderer, XLSXRenderer)


def serialized_rows(queryset, serializer, attach_progress=None):
    """The queryset's objects as `serializer` shows them, fetched EXPORT_CHUNK at a time."""
    objects = queryset.iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(objects, EXPORT_CHUNK)):
        if attach_progress:
            attach_progress(chunk)
        for obj in chunk:
            yield serializer.to_representation(obj)


def sheet_title(model):
    """A list's name for people, in the request's language: its model's plural name."""
    return capfirst(model._meta.verbose_name_plural)


def _sheet_title(title):
    # Excel refuses these characters in a sheet's name.
    return "".join(" " if char in "[]:*?/\\" else char for char in str(title))[:SHEET_TITLE_MAX]


class _Echo:
    """A file-like object that hands back what csv.writer writes, so each line can be yielded."""

    def write(self, line):
        return line


def _lines(columns, rows, language, bom):
    writer = csv.writer(_Echo())
    # The body is read after the view has returned: labels in the language of the request.
    with translation.override(language):
        yield ("\ufeff" if bom else "") + writer.writerow([column.header for column in columns])
        for row in rows:
            yield writer.writerow([_csv_cell(_value(row, column)) for column in columns])


def _value(row, column):
    value = _lookup(row, column.path)
    if column.labels is None or value is None:
        return value
    return str(column.labels.get(value, value))


def _lookup(row, name):
    for part in name.split("."):
        if not isinstance(row, dict):
            return None
        row = row.get(part)
    return row


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _text(value)


def _xlsx_cell(value, field):
    """A cell's value as openpyxl writes it: dates and times as such, numbers and booleans as they are."""
    if isinstance(value, str) and isinstance(field, serializers.DateTimeField):
        # Excel has no time zones: the time as the JSON gives it, in the site's zone.
        return datetime.fromisoformat(value).replace(tzinfo=None)
    if isinstance(value, str) and isinstance(field, serializers.DateField):
        return date.fromisoformat(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    text = _text(value if isinstance(value, str | list) else str(value))
    # Text openpyxl would refuse (control characters) is left out; "=…" would be written as a formula.
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _text(value):
    """Lists joined, other values as they are, formula-looking text neutralised by a leading quote."""
    if isinstance(value, list):
        scalars = all(isinstance(item, str | int | float) for item in value)
        value = "; ".join(str(item) for item in value) if scalars else json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value
