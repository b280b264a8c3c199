"""Searching content by words of any of its languages, whatever their case.

`icontains` is not enough: it reads only the active language's column (django-modeltranslation
rewrites `title` to `title_ru`…), and SQLite's LIKE and LOWER ignore the case of ASCII letters only,
so "Тюрьм" would not find "тюрьмах". Both sides are lowercased instead, and on SQLite LOWER is
Python's (registered on each connection), as PostgreSQL's already is for Unicode.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.lookups import Contains
from modeltranslation.settings import AVAILABLE_LANGUAGES


def in_any_language(path, value):
    """Q: the translated field at `path` ("title", "recommendation__title"…) contains `value`, in any language."""
    needle = value.lower()
    return reduce(or_, (Q(Contains(Lower(f"{path}_{code}"), needle)) for code in AVAILABLE_LANGUAGES))


def unicode_lower_for_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("LOWER", 1, _lower, deterministic=True)


def _lower(text):
    return None if text is None else text.lower()
