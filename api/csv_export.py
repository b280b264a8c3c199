"""CSV export of every list: `?format=csv`, the same filters, ALL matching rows (not one page),
streamed row by row so a large export never sits in memory.

Columns are the JSON fields; a nested object is spread into dotted columns (`progress.implemented`,
`last_update.date`), a list of values is joined with "; ".
"""

import csv
import json

from django.http import StreamingHttpResponse
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from api.fields import ExpandableField

# Spreadsheets run a cell that starts with one of these as a formula; such text gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` (or Accept: text/csv) choose CSV. The list views stream the body
    themselves (csv_response), so this renderer never renders one; errors stay JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


def columns(serializer, prefix=""):
    """The dotted column names of a serializer's fields."""
    names = []
    for name, field in serializer.fields.items():
        if isinstance(field, ExpandableField) and field.is_expanded:
            field = field.nested()
        if isinstance(field, serializers.Serializer):
            names += columns(field, f"{prefix}{name}.")
        else:
            names.append(f"{prefix}{name}")
    return names


def csv_response(filename, names, rows):
    """Stream `rows` (serialized objects) as a CSV download with the given columns."""
    response = StreamingHttpResponse(_lines(names, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class _Echo:
    """A file-like object that hands back what csv.writer writes, so each line can be yielded."""

    def write(self, line):
        return line


def _lines(names, rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(names)
    for row in rows:
        yield writer.writerow([_cell(_lookup(row, name)) for name in names])


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
