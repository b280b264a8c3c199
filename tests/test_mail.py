"""Mail: the settings read from the environment, and a message through the SMTP backend to a real server."""

import pytest
from django.core import mail

from tests.test_deploy_settings import PRODUCTION, _manage, _settings

EMAIL = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"]
EMAIL += ["EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL", "SERVER_EMAIL"]
SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def test_a_message_reaches_a_real_smtp_server(smtp, settings):
    settings.DEFAULT_FROM_EMAIL = "Tracker <tracker@example.org>"

    sent = mail.send_mail("Перевод", "Тело письма", None, ["aigerim@example.org"])

    (received,) = smtp.wait_for(1)
    assert sent == 1
    assert received["to"] == ["aigerim@example.org"] and received["from"] == "tracker@example.org"
    assert received["message"]["Subject"] == "Перевод"
    assert received["message"].get_content().strip() == "Тело письма"


def test_mails_are_printed_on_the_console_when_no_server_is_set_and_under_debug():
    url = "smtp://mailer:pa55@mail.example.org:587?tls=1"

    assert _settings("EMAIL_BACKEND", **PRODUCTION) == {"EMAIL_BACKEND": CONSOLE}
    assert _settings("EMAIL_BACKEND", EMAIL_URL=url) == {"EMAIL_BACKEND": CONSOLE}  # DEBUG, as `make demo`
    assert _settings("EMAIL_BACKEND", **PRODUCTION, EMAIL_URL=url) == {"EMAIL_BACKEND": SMTP}
    assert _settings("EMAIL_BACKEND", **PRODUCTION, EMAIL_HOST="mail.example.org") == {"EMAIL_BACKEND": SMTP}


def test_the_mail_server_is_read_from_one_url():
    url = "smtp://mailer%40example.org:p%2Fss@mail.example.org:587?tls=1"

    read = _settings(*EMAIL, **PRODUCTION, EMAIL_URL=url, DEFAULT_FROM_EMAIL="tracker@example.org")

    assert read == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer@example.org",
        "EMAIL_HOST_PASSWORD": "p/ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": "tracker@example.org",
        "SERVER_EMAIL": "tracker@example.org",
    }
    smtps = _settings("EMAIL_PORT", "EMAIL_USE_SSL", "EMAIL_USE_TLS", EMAIL_URL="smtps://mail.example.org")
    assert smtps == {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}


def test_the_mail_server_is_read_from_the_separate_variables():
    env = {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": "2525", "EMAIL_HOST_USER": "mailer"}
    env |= {"EMAIL_HOST_PASSWORD": "pa55", "EMAIL_USE_SSL": "1", "EMAIL_TIMEOUT": "3"}
    env |= {"SERVER_EMAIL": "ops@example.org"}

    read = _settings(*EMAIL, **PRODUCTION, **env)

    assert read == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "pa55",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": True,
        "EMAIL_TIMEOUT": 3,
        "DEFAULT_FROM_EMAIL": "cvetracker <noreply@localhost>",
        "SERVER_EMAIL": "ops@example.org",
    }


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"EMAIL_URL": "http://mailer:pa55word@mail.example.org"}, "got the scheme 'http'"),
        ({"EMAIL_URL": "smtp://mailer:pa55word@mail.example.org:58x7"}, "the port is not a valid number"),
        ({"EMAIL_URL": "smtp://mailer:pa55word@:587"}, "the host is missing"),
        ({"EMAIL_URL": "smtp://mailer:pa55word@mail.example.org?tls=maybe"}, "tls must be 1 or 0"),
        ({"EMAIL_URL": "smtp://mailer:pa55word@mail.example.org?ssl=1"}, "unknown option 'ssl'"),
        ({"EMAIL_URL": "smtps://mailer:pa55word@mail.example.org?tls=1"}, "smtps:// is TLS already"),
    ],
)
def test_a_malformed_mail_url_stops_the_start_with_one_line_saying_why(env, problem):
    result = _manage("check", **env)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "EMAIL_URL must look like smtp://USER:PASSWORD@HOST:PORT" in last_line
    assert problem in last_line
    assert "pa55word" not in result.stderr


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"EMAIL_URL": "smtp://mail.example.org", "EMAIL_HOST": "mail.example.org"}, "not both"),
        ({"EMAIL_HOST": "mail.example.org", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "exclude each other"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be an integer"),
    ],
)
def test_contradictory_mail_settings_stop_the_start(env, problem):
    result = _manage("check", **env)

    assert result.returncode != 0 and problem in result.stderr.strip().splitlines()[-1]
