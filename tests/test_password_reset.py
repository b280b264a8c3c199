"""Password reset by e-mail, against a real SMTP server: the mail, its language, its link, and
what the page tells (nothing about whether an address exists)."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import Profile
from security import tokens
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"
NEW_PASSWORD = "a-brand-new-passphrase-7"
LINK = re.compile(r"https?://[^/\s]+(/accounts/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def aigerim(db):
    return get_user_model().objects.create_user("aigerim", "aigerim@example.org", PASSWORD)


def _ask(client, address, ip="198.51.100.7", **headers):
    return client.post(RESET, {"email": address}, REMOTE_ADDR=ip, **headers)


def test_the_sign_in_page_links_to_the_reset_page(client):
    page = client.get("/accounts/login/").content.decode()

    assert f'href="{RESET}"' in page and "Forgot your password?" in page


def test_the_mailed_link_sets_a_new_password_that_signs_in(client, smtp, aigerim, settings):
    settings.ALLOWED_HOSTS = ["tracker.example.org", "testserver"]
    settings.DEFAULT_FROM_EMAIL = "noreply@tracker.example.org"
    answer = _ask(client, "AIGERIM@example.org", HTTP_HOST="tracker.example.org")

    assert answer.status_code == 302 and answer["Location"] == DONE
    (received,) = smtp.wait_for(1)
    message = received["message"]
    assert received["to"] == ["aigerim@example.org"]
    assert received["from"] == "noreply@tracker.example.org" == message["From"]  # DEFAULT_FROM_EMAIL, not None
    assert message["Subject"] == "Reset your cvetracker password"
    body = message.get_content()
    assert "“aigerim” at tracker.example.org" in body
    url = LINK.search(body)
    assert url and url.group(0).startswith("http://tracker.example.org/accounts/reset/")

    form = client.get(url.group(1), follow=True)  # Django moves the token into the session
    assert form.status_code == 200 and b"Choose a new password" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"

    assert Client().login(username="aigerim", password=NEW_PASSWORD)
    assert not Client().login(username="aigerim", password=PASSWORD)
    again = client.get(url.group(1), follow=True)
    assert b"This link no longer works" in again.content  # used once


def test_the_mail_is_in_the_recipients_stored_language(client, smtp, aigerim):
    Profile.objects.create(user=aigerim, language="ru")

    _ask(client, "aigerim@example.org", HTTP_ACCEPT_LANGUAGE="kk")

    (received,) = smtp.wait_for(1)
    assert received["message"]["Subject"] == "Сброс пароля в cvetracker"
    assert "Чтобы выбрать новый пароль, откройте эту ссылку:" in received["message"].get_content()


def test_without_a_stored_language_the_mail_is_in_the_requests(client, smtp, aigerim):
    page = _ask(client, "aigerim@example.org", HTTP_ACCEPT_LANGUAGE="kk", follow=True)

    (received,) = smtp.wait_for(1)
    # A long encoded subject starts on the header's second line (Python's folding): a blank before it.
    assert received["message"]["Subject"].strip() == "cvetracker құпиясөзін қалпына келтіру"
    assert "Поштаңызды тексеріңіз" in page.content.decode()


@pytest.mark.parametrize("who", ["unknown", "inactive", "no usable password"])
def test_an_address_that_gets_no_mail_gets_the_same_page(client, smtp, aigerim, who):
    other = get_user_model().objects.create_user("other", "other@example.org", PASSWORD)
    if who == "inactive":
        other.is_active = False
        other.save()
    elif who == "no usable password":
        other.set_unusable_password()
        other.save()
    address = "nobody@example.org" if who == "unknown" else "other@example.org"

    refused = _ask(client, address, follow=True)
    sent = _ask(client, "aigerim@example.org", follow=True)

    assert refused.redirect_chain == sent.redirect_chain == [(DONE, 302)]
    assert refused.content == sent.content
    received = smtp.wait_for(1)
    time.sleep(0.3)  # room for a second mail, were one on its way
    assert [message["to"] for message in smtp.messages] == [["aigerim@example.org"]] == [received[0]["to"]]


def test_the_answer_does_not_wait_for_the_mail_server(client, smtp, aigerim):
    smtp.delay = 1.5  # a slow server: a known address must not answer slower than an unknown one

    started = time.monotonic()
    answer = _ask(client, "aigerim@example.org")
    took = time.monotonic() - started

    assert answer.status_code == 302 and took < 1.0
    assert len(smtp.wait_for(1)) == 1


@pytest.fixture
def limits(settings):
    cache.clear()  # the counts live in the cache
    rates = {"password_reset_address": "2/hour", "password_reset_client": "4/hour"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }
    yield
    cache.clear()


def test_over_the_address_limit_the_page_is_the_same_and_nothing_more_is_sent(client, smtp, aigerim, limits):
    answers = [_ask(client, "aigerim@example.org", ip=f"198.51.100.{n}") for n in range(3)]

    assert [(a.status_code, a["Location"]) for a in answers] == [(302, DONE)] * 3
    smtp.wait_for(3, timeout=1)
    assert len(smtp.messages) == 2


def test_over_the_client_limit_the_answer_is_429(client, smtp, aigerim, limits):
    answers = [_ask(client, f"someone-{n}@example.org").status_code for n in range(4)]
    refused = _ask(client, "aigerim@example.org")

    assert answers == [302] * 4
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert b"Too many password reset requests from your address" in refused.content
    assert _ask(client, "aigerim@example.org", ip="203.0.113.9").status_code == 302  # another client
    assert [message["to"] for message in smtp.wait_for(1)] == [["aigerim@example.org"]]


def test_a_reset_password_revokes_the_api_tokens(client, smtp, aigerim):
    old = tokens.issue(aigerim).key
    _ask(client, "aigerim@example.org")
    link = LINK.search(smtp.wait_for(1)[0]["message"].get_content()).group(1)

    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert not Token.objects.filter(key=old).exists()


def test_a_weak_new_password_is_refused_on_the_form(client, smtp, aigerim):
    _ask(client, "aigerim@example.org")
    link = LINK.search(smtp.wait_for(1)[0]["message"].get_content()).group(1)
    form = client.get(link, follow=True)

    answer = client.post(form.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})

    assert answer.status_code == 200 and b"This password is too common." in answer.content
    assert Client().login(username="aigerim", password=PASSWORD)
