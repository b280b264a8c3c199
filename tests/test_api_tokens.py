"""API tokens expire after API_TOKEN_TTL_HOURS and are revoked when the password changes or the
user is deactivated (the lockout revokes them too: tests/test_throttling.py)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cvetracker.env import env_hours
from tests.conftest import PASSWORD

NEW_PASSWORD = "another-long-pass-42"


def _token(username="focal-kz", password=PASSWORD):
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def _read_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/events/")


@pytest.fixture
def private(settings):
    settings.PUBLIC_READ = False  # so that a refused token cannot pass for an anonymous read


def _age(token, hours):
    Token.objects.filter(key=token).update(created=timezone.now() - datetime.timedelta(hours=hours))


def test_the_token_answer_says_when_it_expires(focal_kz, settings):
    settings.API_TOKEN_TTL = datetime.timedelta(hours=2)
    before = timezone.now()
    body = APIClient().post("/api/auth/token/", {"username": "focal-kz", "password": PASSWORD}).json()

    expires = datetime.datetime.fromisoformat(body["expires"])
    assert list(body) == ["token", "expires"]
    assert before + datetime.timedelta(hours=2) <= expires <= timezone.now() + datetime.timedelta(hours=2)


def test_a_token_works_until_it_expires(focal_kz, private, settings):
    settings.API_TOKEN_TTL = datetime.timedelta(hours=24)
    token = _token()
    _age(token, 23)

    assert _read_with(token).status_code == 200
    assert _token() == token  # signing in again within its lifetime returns the same token


def test_an_expired_token_is_refused_with_a_clear_message(focal_kz, private, settings):
    settings.API_TOKEN_TTL = datetime.timedelta(hours=24)
    token = _token()
    _age(token, 25)

    response = _read_with(token)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "detail": "This token has expired. Get a new one with POST /api/auth/token/.",
        "code": "token_expired",
    }


def test_after_expiry_signing_in_issues_a_new_token(focal_kz, private, settings):
    settings.API_TOKEN_TTL = datetime.timedelta(hours=24)
    old = _token()
    _age(old, 25)

    new = _token()

    assert new != old
    assert _read_with(new).status_code == 200
    assert _read_with(old).status_code == 401


def test_a_client_still_sending_its_expired_token_gets_a_new_one(focal_kz, private, settings):
    settings.API_TOKEN_TTL = datetime.timedelta(hours=24)
    old = _token()
    _age(old, 25)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")

    response = client.post("/api/auth/token/", {"username": "focal-kz", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"] != old


def _change_password_on_the_page(user):
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content


def _change_password_in_the_admin(user):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", password=PASSWORD))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content


def _set_password(user):
    user.set_password(NEW_PASSWORD)
    user.save()


@pytest.mark.parametrize(
    "change", [_change_password_on_the_page, _change_password_in_the_admin, _set_password], ids=lambda f: f.__name__
)
def test_a_password_change_revokes_the_users_tokens(focal_kz, focal_kg, private, change):
    token, other = _token(), _token("focal-kg")

    change(focal_kz)

    assert _read_with(token).status_code == 401
    assert _token(password=NEW_PASSWORD) != token
    assert _read_with(other).status_code == 200  # other users keep theirs


def test_disabling_password_sign_in_revokes_the_users_tokens(focal_kz, private):
    token = _token()

    focal_kz.set_unusable_password()
    focal_kz.save()

    assert _read_with(token).status_code == 401


def test_deactivation_revokes_the_users_tokens(focal_kz, private):
    token = _token()

    focal_kz.is_active = False
    focal_kz.save()
    focal_kz.is_active = True
    focal_kz.save()

    assert _read_with(token).status_code == 401


def test_other_changes_to_the_user_keep_the_token(focal_kz, private):
    token = _token()

    focal_kz.first_name = "Aigerim"
    focal_kz.save()

    assert _read_with(token).status_code == 200


def test_the_same_password_stored_under_a_newer_hasher_keeps_the_token(focal_kz, private, settings):
    # Django upgrades a password's hash when the user next signs in; the password has not changed.
    token = _token()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]

    again = _token()

    focal_kz.refresh_from_db()
    assert focal_kz.password.startswith("pbkdf2_sha256$")
    assert again == token and _read_with(token).status_code == 200


@pytest.mark.parametrize("value, hours", [("", 720), ("12", 12), ("1", 1)])
def test_the_token_lifetime_is_read_from_the_environment(monkeypatch, value, hours):
    monkeypatch.setenv("API_TOKEN_TTL_HOURS", value)
    assert env_hours("API_TOKEN_TTL_HOURS", 720) == datetime.timedelta(hours=hours)


@pytest.mark.parametrize("value", ["0", "-3", "a day"])
def test_a_token_lifetime_that_is_not_a_positive_number_of_hours_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("API_TOKEN_TTL_HOURS", value)
    with pytest.raises(ImproperlyConfigured, match="API_TOKEN_TTL_HOURS"):
        env_hours("API_TOKEN_TTL_HOURS", 720)
