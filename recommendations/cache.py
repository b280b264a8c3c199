"""Figures and counts remembered for as long as the data they come from is unchanged.

Progress aggregates and the totals of paginated lists are what grows with the database. While a
GET or HEAD request is served on PostgreSQL, they are cached under the *data version*: a token
that migration 0005's triggers replace whenever anything in the events or recommendations
tables changes, in the same transaction (ORM, bulk operations, raw SQL, COPY alike). The request
reads the token once, when it first needs it; the key also holds the query's SQL and parameters
and today's date (overdue figures depend on it). Any change gives a new token, so nothing cached
before it is used again: a cached figure is always one the database would give now.

Computed every time instead: in requests that may write (they must see their own change),
outside requests (commands, tests calling progress directly), after a streamed response has
started, and on SQLite (no triggers; the demo and quick tests).
"""

import hashlib
from contextvars import ContextVar
from functools import cached_property

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

TIMEOUT = 600  # seconds: only bounds memory, since a new version never reuses an old entry
MAX_ROWS = 2000  # longer results (a breakdown per recommendation of the whole database) are not kept
_MISSING = object()


# The token, unless this transaction has changes not yet committed: the new token is only
# given at commit, and what this transaction sees is nobody else's business (nor may it last).
VERSION_SQL = """
SELECT token FROM cvetracker_data_version
WHERE NOT EXISTS (SELECT FROM cvetracker_data_change WHERE xid = pg_current_xact_id_if_assigned())
"""


class _RequestVersion:
    """The data version, read from the database the first time a request asks."""

    @cached_property
    def token(self):
        with connection.cursor() as cursor:
            cursor.execute(VERSION_SQL)
            row = cursor.fetchone()
        return str(row[0]) if row else None


_version = ContextVar("data_version", default=None)  # None: do not cache


def read_request_cache(get_response):
    """Middleware: let the figures computed for a GET or HEAD request be cached."""

    def middleware(request):
        if request.method not in ("GET", "HEAD") or connection.vendor != "postgresql":
            return get_response(request)
        reset = _version.set(_RequestVersion())
        try:
            return get_response(request)
        finally:
            _version.reset(reset)

    return middleware


def remember(kind, queryset, compute, *details):
    """compute()'s value for `queryset`, cached under the data version while a read request is served."""
    version = _version.get()
    if version is None or version.token is None:
        return compute()
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a query that cannot match anything costs nothing to run
        return compute()
    described = repr((kind, version.token, timezone.localdate(), sql, params, details))
    key = "figures:" + hashlib.sha256(described.encode()).hexdigest()
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        if not (isinstance(value, list) and len(value) > MAX_ROWS):
            cache.set(key, value, TIMEOUT)
    return value


class CountCachedPaginator(Paginator):
    """A Paginator whose total (a COUNT over every matching row) is remembered like the figures."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            return remember("count", self.object_list, self.object_list.count)
        return super().count
