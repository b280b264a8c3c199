"""Reading an uploaded XLSX or CSV file into rows of text, or refusing the file as a whole.

openpyxl reads XLSX (read-only mode: the sheet is streamed, never held whole); formulas are never
evaluated: a formula cell is reported as such, and its cached result is not read either. A CSV file
may be UTF-8 (with or without a byte-order mark) or Windows-1251, comma-, semicolon- or
tab-separated: what Excel writes in an English or a Russian locale.

Every cell comes back as text: a date cell as YYYY-MM-DD, a whole number without ".0". The
leading `'` that the exports put before formula-looking text (api.export) is taken off again, so
an exported note reads back as it was.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from api.export import FORMULA_STARTS

ZIP_MAGIC = b"PK\x03\x04"
# An encrypted (password-protected) XLSX is an OLE compound file holding an "EncryptedPackage"
# stream; an OLE file without one is an Excel 97-2003 workbook (.xls).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
MACROS = "xl/vbaProject.bin"  # what makes a workbook macro-enabled (.xlsm)
# The uncompressed contents of an XLSX may be this many times the upload limit (a 10,000-row sheet
# unpacks to about 8 times its size); past it, the file is refused unread (a "zip bomb").
UNPACKED_RATIO = 30
CSV_DELIMITERS = ",;\t"
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # in no text file
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]  # ISO, and what Excel writes in Russian and British locales


class FileRefused(Exception):
    """The file as a whole cannot be read: `code` is stable, the message is for people."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: dict  # column → text ("" for an empty cell)
    formulas: list = field(default_factory=list)  # columns whose cell held a formula (left out of `cells`)


def read(file, *, columns, keep, required):
    """The rows of the file's first sheet under the header row, as Row objects with the cells of
    the columns in `keep` (the other `columns` are read past). FileRefused if the file cannot be read, is over
    the limits, or its header lacks one of `required` or names a column not in `columns`."""
    lines = _lines(file)
    header = next(lines, None)
    if not header or not any(header):
        raise FileRefused("no_header", _("The file has no header row: keep the template's first row."))
    names = [_text(value).strip().lower() for value in header]
    if not set(names) & set(columns):
        raise FileRefused(
            "not_the_template",
            _("The first row names none of the template's columns: download the template and fill it in."),
        )
    _check_header(names, columns, required)
    rows = []
    for number, values in enumerate(lines, start=2):
        row = _row(number, names, values, keep)
        if row is None:
            continue  # an empty line
        if len(rows) == settings.IMPORT_MAX_ROWS:
            raise FileRefused(
                "too_many_rows",
                _("The file has more than %(rows)s rows: split it into several files.")
                % {"rows": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True)},
            )
        rows.append(row)
    return rows


def header(file):
    """The column names of the file's header row (lower case), or FileRefused: what tells one
    template from another (imports.kinds.detect)."""
    return [_text(value).strip().lower() for value in next(_lines(file), None) or []]


def _lines(file):
    """The file's lines of cell values, first the header, or FileRefused if it cannot be read."""
    limit = settings.IMPORT_MAX_MEGABYTES * 2**20
    if file.seek(0, io.SEEK_END) > limit:  # known before a byte of it is read
        raise FileRefused(
            "too_large",
            _("The file is larger than %(megabytes)s MB: split it into several files.")
            % {"megabytes": number_format(settings.IMPORT_MAX_MEGABYTES)},
        )
    file.seek(0)
    data = file.read()
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise FileRefused(
                "password_protected",
                _("The workbook is protected by a password: save a copy without one and upload that."),
            )
        raise FileRefused("old_excel", _("This is an Excel 97-2003 workbook (.xls): save it as .xlsx and upload that."))
    return _xlsx_lines(data, limit) if data.startswith(ZIP_MAGIC) else _csv_lines(data)


def _check_header(names, columns, required):
    unknown = [name for name in names if name and name not in columns]
    if unknown:
        raise FileRefused(
            "unknown_columns",
            ngettext(
                "The column %(columns)s is not one of the template's: rename or remove it.",
                "The columns %(columns)s are not the template's: rename or remove them.",
                len(unknown),
            )
            % {"columns": get_text_list([f"“{name}”" for name in unknown], _("and"))},
        )
    missing = [name for name in required if name not in names]
    if missing:
        raise FileRefused(
            "missing_columns",
            ngettext(
                "The column %(columns)s is missing: start from the template.",
                "The columns %(columns)s are missing: start from the template.",
                len(missing),
            )
            % {"columns": get_text_list([f"“{name}”" for name in missing], _("and"))},
        )


def _row(number, names, values, wanted):
    """The cells of one line under their column names; None for a line with nothing in it."""
    row = Row(number, {})
    for name, value in zip(names, values, strict=False):
        if name not in wanted:
            continue
        if isinstance(value, Formula):
            row.formulas.append(name)
        else:
            row.cells[name] = _text(value)
    if not row.formulas and not any(row.cells.values()):
        return None
    return row


class Formula(str):
    """A formula cell's text, never evaluated."""


def _xlsx_lines(data, limit):
    """The first sheet's lines of cell values (a Formula for a formula cell)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        contents = archive.infolist()
    except zipfile.BadZipFile:
        raise _not_a_spreadsheet() from None
    names = {item.filename for item in contents}
    if MACROS in names:
        raise FileRefused(
            "macro_enabled",
            _("The workbook contains macros (.xlsm): save it as an Excel workbook (.xlsx) and upload that."),
        )
    if "xl/workbook.xml" not in names:
        raise _not_a_spreadsheet()
    if sum(item.file_size for item in contents) > limit * UNPACKED_RATIO:
        raise FileRefused("too_large", _("The workbook unpacks to far more than its size: it cannot be read."))
    try:
        # data_only=False: a formula cell gives its formula, not the result Excel cached for it.
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        for cells in sheet.iter_rows():
            yield [Formula(cell.value) if cell.data_type == "f" else cell.value for cell in cells]
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors) on a broken file
        raise _not_a_spreadsheet() from None


def _csv_lines(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")  # Excel's "CSV" in a Russian locale
    if CONTROL_CHARACTERS.search(text):
        raise _not_a_spreadsheet()  # binary, whatever its name
    first = text.split("\n", 1)[0]
    delimiter = max(CSV_DELIMITERS, key=first.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _not_a_spreadsheet():
    return FileRefused(
        "not_a_spreadsheet",
        _("This file is not a spreadsheet that can be read: upload an Excel workbook (.xlsx) or a CSV file."),
    )


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        return text[1:]  # the exports' guard against formulas, taken off
    return text


def date(text):
    """A date cell's text as (date, None), (None, None) for an empty cell, or (None, why it is not a date)."""
    text = text.strip()
    if not text:
        return None, None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date(), None
        except ValueError:
            continue
    return None, _("“%(text)s” is not a date: write it as YYYY-MM-DD, for example 2016-09-01.") % {"text": text}


def slugs(choices):
    """A vocabulary's value as a file may give it (its slug, or its label in any of the languages,
    in any case) → its slug."""
    found = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found |= {str(label).lower(): slug for slug, label in choices.choices}
    return found | {slug: slug for slug in choices.values}


def formula_message():
    return _("This cell holds a formula, which is never run: type the value itself.")


def refused_message(result):
    """What the refused rows of an import's result mean, in a sentence."""
    count = len({refusal.row for refusal in result.refused})
    return ngettext(
        "%(count)d row is refused; nothing was recorded.", "%(count)d rows are refused; nothing was recorded.", count
    ) % {"count": count}
