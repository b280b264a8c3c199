"""Figures, counts and whole read pages remembered for as long as the data is unchanged.

Progress aggregates, the totals of paginated lists and the rendering of rows are what grows with
the database. While a GET or HEAD request is served on PostgreSQL, they are cached under the
*data version*: a token that triggers (migrations 0005 and 0008) replace whenever anything in the
tracker's tables or the users and their groups changes, in the same transaction (ORM, bulk
operations, raw SQL, COPY alike). The request reads the token once, when it first needs it. Any
change gives a new token, so nothing cached before it is used again: what is served from the
cache is always what the database would give now.

- `remember`: a figure or count, keyed by its query's SQL and parameters and today's date
  (overdue figures depend on it).
- `CachedPageMixin` (pages) and `cached_api_response` (API): a whole answer, keyed by everything
  of the request it can depend on — the full URL, the user, the CSRF cookie its forms carry, the
  format asked for — and today's date. They run after the access checks and rate limits, so
  those still apply to every request; a page is not cached while the user has messages waiting.

Computed every time instead: in requests that may write (they must see their own change),
outside requests (commands, tests calling progress directly), after a streamed response has
started, and on SQLite (no triggers; the demo and quick tests).
"""

import hashlib
from contextvars import ContextVar
from functools import cached_property, partial

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from rest_framework.response import Response

TIMEOUT = 600  # seconds: only bounds memory, since a new version never reuses an old entry
CACHE = "figures"  # settings.CACHES: kept apart from the default cache (rate limits live there)
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
    """Middleware: while a GET or HEAD request is served, what is computed for it may be cached."""

    def middleware(request):
        if request.method not in ("GET", "HEAD") or connection.vendor != "postgresql":
            return get_response(request)
        reset = _version.set(_RequestVersion())
        try:
            return get_response(request)
        finally:
            _version.reset(reset)

    return middleware


def _key(*parts):
    """A cache key for `parts` under the current data version, or None if nothing may be cached now."""
    version = _version.get()
    if version is None or version.token is None:
        return None
    # The language too: labels and pages differ by language, and so must what is cached for them.
    key = (version.token, timezone.localdate(), translation.get_language(), *parts)
    return hashlib.sha256(repr(key).encode()).hexdigest()


def remember(kind, queryset, compute, *details):
    """compute()'s value for `queryset`, cached under the data version while a read request is served."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a query that cannot match anything costs nothing to run
        return compute()
    key = _key(kind, sql, params, details)
    if key is None:
        return compute()
    cache = caches[CACHE]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        if not (isinstance(value, list) and len(value) > MAX_ROWS):
            cache.set(key, value, TIMEOUT)
    return value


def _answer_key(request, *details):
    """What of a request an answer can depend on (the access checks have already run), its language included."""
    user = getattr(request, "user", None)
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)  # the token its forms carry must match it
    return _key("answer", request.build_absolute_uri(), user.pk if user else None, csrf, *details)


class CachedPageMixin:
    """For read-only page views: the rendered page, cached under the data version."""

    def get(self, request, *args, **kwargs):
        # Messages are shown once, so a page with some is not cached (counting them does not use them up).
        key = None if len(messages.get_messages(request)) else _answer_key(request)
        cached = caches[CACHE].get(key) if key else None
        if cached:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = super().get(request, *args, **kwargs)
        if key and response.status_code == 200 and not response.streaming and not response.cookies:
            response.render()
            # A form's CSRF token made for a browser without the cookie would not suit the next one.
            new_csrf_cookie = settings.CSRF_COOKIE_NAME not in request.COOKIES and "CSRF_COOKIE" in request.META
            if not new_csrf_cookie:
                caches[CACHE].set(key, (response.content, response["Content-Type"]), TIMEOUT)
        return response


def cached_api_response(request, respond):
    """For API reads in JSON: the rendered answer, cached under the data version (200s only; the
    browsable API and streamed CSV exports pass through)."""
    as_json = getattr(request, "accepted_renderer", None) and request.accepted_renderer.format == "json"
    key = _answer_key(request, request.accepted_media_type) if as_json else None
    cached = caches[CACHE].get(key) if key else None
    if cached:
        content, content_type = cached
        return HttpResponse(content, content_type=content_type)
    response = respond()
    if key and isinstance(response, Response) and response.status_code == 200:
        response.add_post_render_callback(
            lambda rendered: caches[CACHE].set(key, (rendered.content, rendered["Content-Type"]), TIMEOUT)
        )
    return response


class CachedReadMixin:
    """For API viewsets: list and retrieve answers cached under the data version."""

    def list(self, request, *args, **kwargs):
        return cached_api_response(request, partial(super().list, request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return cached_api_response(request, partial(super().retrieve, request, *args, **kwargs))


class CountCachedPaginator(Paginator):
    """A Paginator whose total (a COUNT over every matching row) is remembered like the figures."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            return remember("count", self.object_list, self.object_list.count)
        return super().count
