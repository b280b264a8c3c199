"""CSV export of every list: `?format=csv`, the same filters, ALL matching rows (not one page),
streamed row by row so a large export never sits in memory.

Columns are the JSON fields; a nested object is spread into dotted columns (`progress.implemented`,
`last_update.date`), a list of values is joined with "; ". Beside each vocabulary column (`status`,
`kind`, `role`: stable slugs) a `<column>_label` column gives its label in the request's language.
`?bom=1` starts the file with a byte-order mark, so Excel reads it as UTF-8 (docs/api.md).
"""

import csv
import json

from django.http import StreamingHttpResponse
from django.utils import translation
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from api.fields import ExpandableField

# Spreadsheets run a cell that starts with one of these as a formula; such text gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LABEL_SUFFIX = "_label"


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` (or Accept: text/csv) choose CSV. The list views stream the body
    themselves (csv_response), so this renderer never renders one; errors stay JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


def columns(serializer, prefix=""):
    """The columns of a serializer's fields: (header, dotted path, labels of a vocabulary or None)."""
    found = []
    for name, field in serializer.fields.items():
        if isinstance(field, ExpandableField) and field.is_expanded:
            field = field.nested()
        if isinstance(field, serializers.Serializer):
            found += columns(field, f"{prefix}{name}.")
            continue
        path = f"{prefix}{name}"
        found.append((path, path, None))
        if isinstance(field, serializers.ChoiceField):
            found.append((path + LABEL_SUFFIX, path, field.choices))
    return found


def csv_response(request, filename, columns, rows):
    """Stream `rows` (serialized objects) as a CSV download with the given columns."""
    bom = request.query_params.get("bom") == "1"
    lines = _lines(columns, rows, translation.get_language(), bom)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class _Echo:
    """A file-like object that hands back what csv.writer writes, so each line can be yielded."""

    def write(self, line):
        return line


def _lines(columns, rows, language, bom):
    writer = csv.writer(_Echo())
    # The body is read after the view has returned: labels in the language of the request.
    with translation.override(language):
        yield ("\ufeff" if bom else "") + writer.writerow([header for header, _, _ in columns])
        for row in rows:
            yield writer.writerow([_cell(_value(row, path, labels)) for _, path, labels in columns])


def _value(row, path, labels):
    value = _lookup(row, path)
    if labels is None or value is None:
        return value
    return str(labels.get(value, value))


def _lookup(row, name):
    for part in name.split("."):
        if not isinstance(row, dict):
            return None
        row = row.get(part)
    return row


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        scalars = all(isinstance(item, str | int | float) for item in value)
        value = "; ".join(str(item) for item in value) if scalars else json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value
