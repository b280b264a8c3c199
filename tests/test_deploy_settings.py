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


def test_the_production_environment_passes_check_deploy_with_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

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
