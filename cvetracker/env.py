"""Small typed readers for settings that come from the environment.

Each one fails loudly (ImproperlyConfigured) on a value it cannot read, so a typo in a
deployment stops the process at start-up instead of running with a surprising default.
"""

import datetime
import os
import urllib.parse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}") from None


def env_hours(name, default):
    """A positive whole number of hours, as a timedelta."""
    hours = env_int(name, default)
    if hours <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of hours; got {hours}")
    return datetime.timedelta(hours=hours)


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rate(name, default):
    """A request rate such as "120/minute" (DRF's form); "off" means no limit (None)."""
    raw = os.environ.get(name, default).strip()
    if raw.lower() == "off":
        return None
    count, _, period = raw.partition("/")
    if not (count.isdigit() and period in {"second", "minute", "hour", "day"}):
        raise ImproperlyConfigured(
            f"{name} must look like 120/minute (per second, minute, hour or day) or off; got {raw!r}"
        )
    return raw


def env_redis_url(name):
    """A Redis server's URL (redis://HOST[:PORT][/DB], rediss://… over TLS, unix:///PATH), or "" when unset.

    The error names what is wrong, never the value itself: it may hold a password."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    expected = f"{name} must look like redis://HOST:PORT/DB, rediss://HOST:PORT/DB or unix:///PATH"
    parts = urllib.parse.urlsplit(raw)
    if parts.scheme == "unix":
        if not parts.path:
            raise ImproperlyConfigured(f"{expected}; the socket's path is missing")
        return raw
    if parts.scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured(f"{expected}; got the scheme {parts.scheme!r}")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise ImproperlyConfigured(f"{expected}; the port is not a valid number") from None
    if not parts.hostname:
        raise ImproperlyConfigured(f"{expected}; the host is missing")
    if parts.path.strip("/") and not parts.path.strip("/").isdigit():
        raise ImproperlyConfigured(f"{expected}; the database must be a number, got {parts.path.strip('/')!r}")
    return raw
