"""Production settings pass `check --deploy` with no warnings; `make demo`'s defaults stay on plain http.

Each case runs manage.py in a fresh process, because settings are read from the environment once.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from cvetracker.release import SOURCES, source_release
from tests.conftest import REDIS_TEST_URL

SECRET = "s3cr3t-" + "x7Kq9" * 10  # 57 characters, varied enough for check --deploy
# The production environment docs/operations.md documents (behind a TLS-terminating proxy).
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "tracker.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://tracker.example.org",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}
ALL_SETTINGS = ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_PROXY_SSL_HEADER"]
ALL_SETTINGS += ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES", "TRUSTED_PROXY_COUNT", "DEMO_PASSWORD"]
ALL_SETTINGS += ["REDIS_URL", "CACHE_URL", "RELEASE", "READ_CACHE", "DB_POOL", "DB_CONN_MAX_AGE"]
ALL_SETTINGS += ["DB_POOL_MIN_SIZE", "DB_POOL_MAX_SIZE", "DB_POOL_TIMEOUT", "DB_DISABLE_SERVER_SIDE_CURSORS"]
ALL_SETTINGS += ["EMAIL_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS"]
ALL_SETTINGS += ["EMAIL_USE_SSL", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL", "SERVER_EMAIL"]
ALL_SETTINGS += ["SITE_URL", "REMINDER_LEAD_DAYS", "REMINDER_SILENT_DAYS", "REMINDER_REPEAT_DAYS"]
POSTGRESQL = "postgres://tracker@db.example.org:5432/tracker"  # parsed only: these cases never connect


def _manage(*args, **env):
    clean = {key: value for key, value in os.environ.items() if key not in ALL_SETTINGS}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# One server, and one of several sharing a Redis and pooling its database connections.
SEVERAL_SERVERS = {"REDIS_URL": REDIS_TEST_URL, "RELEASE": "2026.12.1", "DATABASE_URL": POSTGRESQL, "DB_POOL": "on"}


@pytest.mark.parametrize("extra", [{}, SEVERAL_SERVERS], ids=["one server", "several servers"])
def test_the_production_environment_passes_check_deploy_with_no_warnings(extra):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **extra)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_a_safeguard_is_switched_off():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECURE_SSL_REDIRECT="0")

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["HTTP_X_FORWARDED_PROTO", "a,b,c"])
def test_a_malformed_proxy_header_setting_stops_the_start(value):
    result = _manage("check", **{**PRODUCTION, "SECURE_PROXY_SSL_HEADER": value})

    assert result.returncode != 0 and "SECURE_PROXY_SSL_HEADER must be" in result.stderr


def _settings(*names, **env):
    values = f"{{name: getattr(settings, name) for name in {names!r}}}"
    code = f"import json; from django.conf import settings; print(json.dumps({values}))"
    result = _manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_defaults_are_strict_and_the_demo_defaults_serve_plain_http():
    names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]

    assert _settings(*names, **PRODUCTION) == dict(zip(names, [True, 365 * 24 * 3600, True, True], strict=True))
    assert _settings(*names) == dict(zip(names, [False, 0, False, False], strict=True))


def test_production_redirects_to_https_sends_hsts_and_lets_the_health_check_through():
    code = (
        "import json; from django.test import Client; c = Client(SERVER_NAME='tracker.example.org'); "
        "plain, secure = c.get('/'), c.get('/healthz', secure=True); "
        "print(json.dumps([plain.status_code, plain['Location'], c.get('/healthz').status_code, "
        "secure['Strict-Transport-Security']]))"
    )
    result = _manage("shell", "--no-imports", "-c", code, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        301,
        "https://tracker.example.org/",
        200,
        "max-age=31536000; includeSubDomains; preload",
    ]


def test_the_demo_password_is_read_by_the_settings_with_its_default():
    assert _settings("DEMO_PASSWORD", DEMO_PASSWORD="a-chosen-password") == {"DEMO_PASSWORD": "a-chosen-password"}
    assert _settings("DEMO_PASSWORD", DEMO_PASSWORD="") == {"DEMO_PASSWORD": "cvetracker-demo"}
    assert _settings("DEMO_PASSWORD") == {"DEMO_PASSWORD": "cvetracker-demo"}


# Several app servers (docs/operations.md): a shared cache, the release in its keys, the connection pool.


def test_caches_are_in_redis_when_a_url_is_set_and_in_memory_otherwise():
    shared = _settings("CACHES", REDIS_URL=REDIS_TEST_URL, RELEASE="r1")["CACHES"]
    by_other_name = _settings("CACHES", CACHE_URL=REDIS_TEST_URL, RELEASE="r1")["CACHES"]
    in_memory = _settings("CACHES", RELEASE="r1")["CACHES"]
    uncached = _settings("CACHES", REDIS_URL=REDIS_TEST_URL, READ_CACHE="off")["CACHES"]

    assert shared == by_other_name
    for alias in ("default", "answers"):
        assert shared[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert shared[alias]["LOCATION"] == REDIS_TEST_URL
        assert in_memory[alias]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
        assert shared[alias]["KEY_PREFIX"] == in_memory[alias]["KEY_PREFIX"] == f"r1:{alias}"
    assert uncached["answers"]["BACKEND"] == "django.core.cache.backends.dummy.DummyCache"
    assert uncached["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://cache.example.org:6379/0", "got the scheme 'http'"),
        ("redis://:pa55word@cache.example.org:63a79/0", "the port is not a valid number"),
        ("redis://:pa55word@/0", "the host is missing"),
        ("redis://cache.example.org:6379/cache", "the database must be a number, got 'cache'"),
        ("unix://", "the socket's path is missing"),
    ],
)
def test_a_malformed_cache_url_stops_the_start_with_one_line_saying_why(url, problem):
    result = _manage("check", REDIS_URL=url)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.endswith(
        f"REDIS_URL must look like redis://HOST:PORT/DB, rediss://HOST:PORT/DB or unix:///PATH; {problem}"
    )
    assert "pa55word" not in result.stderr


def test_the_release_defaults_to_a_hash_of_the_code_and_can_be_set():
    assert _settings("RELEASE") == _settings("RELEASE") == {"RELEASE": source_release(Path(settings.BASE_DIR))}
    assert _settings("RELEASE", RELEASE="2026.12.1") == {"RELEASE": "2026.12.1"}


def test_the_release_hash_covers_the_code_that_builds_answers_and_nothing_generated(tmp_path):
    (tmp_path / "web" / "templates").mkdir(parents=True)
    template = tmp_path / "web" / "templates" / "page.html"
    template.write_text("<p>one</p>")
    before = source_release(tmp_path)
    (tmp_path / "web" / "__pycache__").mkdir()
    (tmp_path / "web" / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"compiled")
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "results.json").write_text("{}")
    unchanged = source_release(tmp_path)
    template.write_text("<p>two</p>")

    assert unchanged == before != source_release(tmp_path)
    local_apps = {app for app in settings.INSTALLED_APPS if (Path(settings.BASE_DIR) / app).is_dir()}
    assert local_apps - set(SOURCES) == {"benchmarks"}  # a new app must be listed in cvetracker/release.py


def _cache_shell(release, code):
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.core.cache import caches; {code}",
        REDIS_URL=REDIS_TEST_URL,
        RELEASE=release,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_servers_of_two_releases_sharing_one_redis_never_see_each_others_keys(redis_release):
    old, new = f"{redis_release}-old", f"{redis_release}-new"
    _cache_shell(old, "caches['answers'].set('answer', 'built by the old code'); caches['default'].set('count', 7)")

    seen_by_new = _cache_shell(new, "print(caches['answers'].get('answer'), caches['default'].get('count'))")
    seen_by_old = _cache_shell(old, "print(caches['answers'].get('answer'), caches['default'].get('count'))")

    assert seen_by_new == "None None"
    assert seen_by_old == "built by the old code 7"  # the same release shares them, across processes


def test_the_connection_pool_is_configured_by_db_pool():
    pooled = _settings("DATABASES", DATABASE_URL=POSTGRESQL, DB_POOL="on", DB_POOL_MAX_SIZE="8")["DATABASES"]
    behind_pgbouncer = _settings("DATABASES", DATABASE_URL=POSTGRESQL, DB_DISABLE_SERVER_SIDE_CURSORS="1")
    unpooled = behind_pgbouncer["DATABASES"]

    assert pooled["default"]["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 10}
    assert pooled["default"]["CONN_MAX_AGE"] == 0  # the pool keeps the connections, Django closes none itself
    assert "pool" not in unpooled["default"].get("OPTIONS", {}) and unpooled["default"]["CONN_MAX_AGE"] == 60
    assert unpooled["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert pooled["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": POSTGRESQL, "DB_CONN_MAX_AGE": "60"},
            "DB_POOL=on and DB_CONN_MAX_AGE > 0 exclude each other",
        ),
        ({"DATABASE_URL": "sqlite:///demo.sqlite3"}, "DB_POOL=on needs PostgreSQL"),
        ({"DATABASE_URL": POSTGRESQL, "DB_POOL_MIN_SIZE": "5"}, "DB_POOL needs 0 <= DB_POOL_MIN_SIZE <= DB_POOL_MAX_"),
    ],
)
def test_a_pool_that_cannot_work_stops_the_start(env, message):
    result = _manage("check", DB_POOL="on", **env)

    assert result.returncode != 0 and message in result.stderr.strip().splitlines()[-1]
