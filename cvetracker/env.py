"""Small typed readers for settings that come from the environment.

Each one fails loudly (ImproperlyConfigured) on a value it cannot read, so a typo in a
deployment stops the process at start-up instead of running with a surprising default.
"""

import datetime
import ipaddress
import json
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


def env_days(name, default):
    """A positive whole number of days."""
    days = env_int(name, default)
    if days <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of days; got {days}")
    return days


def env_days_list(name, default):
    """Comma-separated positive whole numbers of days, largest first, e.g. "30,7"."""
    raw = env_list(name, [str(days) for days in default])
    if not raw or not all(item.isdigit() and int(item) > 0 for item in raw):
        raise ImproperlyConfigured(f"{name} must be positive whole numbers of days separated by commas; got {raw!r}")
    return sorted({int(item) for item in raw}, reverse=True)


def env_json(name):
    """A JSON object (e.g. a storage backend's options), or None when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {error}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'{name} must be a JSON object, like {{"bucket_name": "evidence"}}; got {raw!r}')
    return value


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name):
    """Comma-separated IP networks, e.g. "10.0.0.0/8,fd00::/8", as ipaddress networks."""
    try:
        return [ipaddress.ip_network(item) for item in env_list(name)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be IP networks separated by commas: {error}") from None


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


def env_email_url(name):
    """The SMTP server as one URL, read into Django's EMAIL_* settings, or {} when unset.

    smtp://USER:PASSWORD@HOST:PORT (STARTTLS with ?tls=1), smtps://… (TLS from the first byte);
    the user and password may be percent-encoded. The error names what is wrong, never the value
    itself: it may hold a password."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    expected = f"{name} must look like smtp://USER:PASSWORD@HOST:PORT[?tls=1] or smtps://USER:PASSWORD@HOST:PORT"
    parts = urllib.parse.urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(f"{expected}; got the scheme {parts.scheme!r}")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{expected}; the port is not a valid number") from None
    if not parts.hostname:
        raise ImproperlyConfigured(f"{expected}; the host is missing")
    query = urllib.parse.parse_qs(parts.query)
    unknown = set(query) - {"tls"}
    if unknown:
        raise ImproperlyConfigured(f"{expected}; unknown option {sorted(unknown)[0]!r}")
    tls = query.get("tls", ["0"])[-1].lower()
    if tls not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{expected}; tls must be 1 or 0")
    ssl = parts.scheme == "smtps"
    if ssl and tls in _TRUE:
        raise ImproperlyConfigured(f"{expected}; smtps:// is TLS already, leave out ?tls=1")
    return {
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if ssl else 25),
        "EMAIL_HOST_USER": urllib.parse.unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": urllib.parse.unquote(parts.password or ""),
        "EMAIL_USE_SSL": ssl,
        "EMAIL_USE_TLS": tls in _TRUE,
    }
