import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No body of this API nests more than three levels; twenty leaves room and keeps every walk over
# the data (here, in the serializers) far from Python's recursion limit.
MAX_DEPTH = 20


class JSONParser(parsers.JSONParser):
    """JSON bodies the API can safely read and the database can store: the one parser of all JSON input.

    Refused with a 400: nesting deeper than MAX_DEPTH (1,000 levels would exhaust the decoder's
    recursion), numbers too large for a float (1e400 decodes to infinity), and a lone UTF-16
    surrogate ("\\ud800"), which no database encoding accepts.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        _check(data, depth=1)
        return data


def _too_deep():
    return ParseError(
        ngettext(
            "The JSON is nested too deeply (at most %(depth)d level).",
            "The JSON is nested too deeply (at most %(depth)d levels).",
            MAX_DEPTH,
        )
        % {"depth": MAX_DEPTH}
    )


def _check(value, depth):
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(_("The body contains text that is not valid Unicode (a lone surrogate).")) from None
    elif isinstance(value, float) and not math.isfinite(value):
        raise ParseError(_("The body contains a number too large to read."))
    elif isinstance(value, dict | list):
        if depth > MAX_DEPTH:
            raise _too_deep()
        items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
        for key, item in items:
            _check(key, depth)
            _check(item, depth + 1)
