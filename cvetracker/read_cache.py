"""Whole read answers, remembered for as long as the data is unchanged.

What is cached: the rendered body of a read page (`CachedPageMixin`) or of an API read in JSON
(`cached_api_response`, `CachedReadMixin`), and nothing else. Under which key: the *data version*,
today's date, the full URL, the user, the CSRF cookie the page's forms carry, the active language
and the format asked for. What makes it stale: any committed change to the tracker's tables or to
what is shown of the users and their groups — PostgreSQL triggers (recommendations migrations 0005,
0008 and 0019) give the data version a new random token as such a transaction commits, whether it
came through the ORM, a bulk operation, raw SQL or COPY. Nothing cached under the old token is used
again, so what is served is what the database would give now. Sign-ins, sessions, tokens, lockouts
and rate-limit counters do not change the version.

Only while a GET or HEAD request is served on PostgreSQL, after the access checks and rate limits
(which apply to every request). Computed every time instead: in requests that may write (they must
see their own change), on SQLite (no triggers: the demo and quick tests), for pages with messages
waiting, exports (streamed CSV, XLSX files), the browsable API, and answers other than 200.
"""

import hashlib
from contextvars import ContextVar
from functools import cached_property, partial

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone, translation
from rest_framework.response import Response

TIMEOUT = 600  # seconds: only bounds memory, since a new version never reuses an old entry
CACHE = "answers"  # settings.CACHES: kept apart from the default cache (rate limits live there)


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
    """Middleware: while a GET or HEAD request is served, its answer may be cached."""

    def middleware(request):
        if request.method not in ("GET", "HEAD") or connection.vendor != "postgresql":
            return get_response(request)
        reset = _version.set(_RequestVersion())
        try:
            return get_response(request)
        finally:
            _version.reset(reset)

    return middleware


def _answer_key(request, *details):
    """The key of a request's answer (the access checks have already run), or None if it may not be cached."""
    version = _version.get()
    if version is None or version.token is None:
        return None
    user = getattr(request, "user", None)
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)  # the token its forms carry must match it
    parts = (version.token, timezone.localdate(), translation.get_language(), request.build_absolute_uri())
    return hashlib.sha256(repr((*parts, user.pk if user else None, csrf, *details)).encode()).hexdigest()


class CachedPageMixin:
    """For read-only page views: the rendered page, cached under the data version."""

    def cache_details(self):
        """What else the page shows that the data version does not follow (sign-ins, passwords): part of the key."""
        return ()

    def get(self, request, *args, **kwargs):
        # Messages are shown once, so a page with some is not cached (counting them does not use them up).
        key = None if len(messages.get_messages(request)) else _answer_key(request, *self.cache_details())
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
