"""Login lockout on every door (login page, admin, API token) and API request rates.

Both are off for the rest of the suite (tests/conftest.py); these tests turn them on.
"""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse
from rest_framework.test import APIClient

from cvetracker.env import env_rate
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 3
LOCKED_OUT = "Too many failed sign-in attempts"
DOORS = {"login page": "/accounts/login/", "admin": "/admin/login/", "API token": "/api/auth/token/"}


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT


def _sign_in(client, door, username, password, address="198.51.100.1", **headers):
    return client.post(
        DOORS[door],
        {"username": username, "password": password},
        content_type="application/json" if door == "API token" else MULTIPART_CONTENT,
        REMOTE_ADDR=address,
        **headers,
    )


def _signed_in(response, door):
    if door == "API token":
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302  # to the page asked for


@pytest.mark.parametrize("door", DOORS)
def test_a_username_is_locked_out_from_an_address_after_repeated_failures(client, lockout, coordinator, door):
    failures = [_sign_in(client, door, "coordinator", "wrong") for _ in range(LIMIT)]
    right_password = _sign_in(client, door, "coordinator", PASSWORD)

    assert all(response.status_code in (200, 400) for response in failures[: LIMIT - 1])  # the form says why
    for response in (failures[-1], right_password):
        assert response.status_code == 429
        assert response["Retry-After"] == "900"
        body = response.json()["detail"] if door == "API token" else response.content.decode()
        assert LOCKED_OUT in body and "15 minutes" in body
        if door == "API token":
            assert response.json()["code"] == "locked_out"


@pytest.mark.parametrize("door", DOORS)
def test_the_lockout_holds_only_that_username_at_that_address(client, lockout, coordinator, superuser, door):
    for _ in range(LIMIT):
        _sign_in(client, door, "coordinator", "wrong")

    other_user = _sign_in(Client(), door, "admin", PASSWORD)
    other_address = _sign_in(Client(), door, "coordinator", PASSWORD, address="198.51.100.2")

    assert _signed_in(other_user, door) and _signed_in(other_address, door)


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, lockout, coordinator):
    for _ in range(LIMIT):
        _sign_in(client, "API token", "coordinator", "wrong")

    forged = _sign_in(client, "API token", "coordinator", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert forged.status_code == 429


def test_signing_in_clears_earlier_failures(client, lockout, coordinator):
    # Signing in (login page, admin) clears them; a token request is not a sign-in, there they expire.
    for _ in range(LIMIT - 1):
        _sign_in(client, "login page", "coordinator", "wrong")
    assert _signed_in(_sign_in(client, "login page", "coordinator", PASSWORD), "login page")

    after = [_sign_in(Client(), "login page", "coordinator", "wrong") for _ in range(LIMIT - 1)]
    assert [response.status_code for response in after] == [200] * (LIMIT - 1)


def test_a_lockout_revokes_the_users_api_tokens(client, lockout, focal_kz, settings):
    settings.PUBLIC_READ = False
    token = _sign_in(Client(), "API token", "focal-kz", PASSWORD, address="198.51.100.9").json()["token"]
    for _ in range(LIMIT):
        _sign_in(client, "login page", "focal-kz", "wrong")

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/events/").status_code == 401


NEW_PASSWORD = "another-long-pass-42"


def _change_password(client, old_password, address="198.51.100.1", url=None):
    return client.post(
        url or reverse("password_change"),
        {"old_password": old_password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=address,
    )


def test_wrong_current_passwords_on_the_password_change_page_lead_to_the_lockout(client, lockout, viewer):
    client.force_login(viewer)
    failures = [_change_password(client, "wrong") for _ in range(LIMIT)]
    right_password = _change_password(client, PASSWORD)

    for response in failures[: LIMIT - 1]:
        assert response.status_code == 200
        assert "Your old password was entered incorrectly" in response.text
    for response in (failures[-1], right_password):
        assert response.status_code == 429
        assert LOCKED_OUT in response.text and response["Retry-After"] == "900"
    viewer.refresh_from_db()
    assert viewer.check_password(PASSWORD)  # not changed while locked out


def test_the_admins_password_change_page_counts_wrong_passwords_too(client, lockout, coordinator):
    client.force_login(coordinator)
    url = reverse("admin:password_change")
    failures = [_change_password(client, "wrong", url=url) for _ in range(LIMIT)]
    right_password = _change_password(client, PASSWORD, url=url)

    assert failures[0].status_code == 200 and "Your old password was entered incorrectly" in failures[0].text
    assert failures[-1].status_code == right_password.status_code == 429
    assert _change_password(Client(), PASSWORD, url=url).status_code == 302  # anonymous: to the admin login
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_the_admins_password_change_page_still_changes_the_password(client, coordinator):
    client.force_login(coordinator)

    response = _change_password(client, PASSWORD, url=reverse("admin:password_change"))

    assert response.status_code == 302 and response["Location"] == reverse("admin:password_change_done")
    coordinator.refresh_from_db()
    assert coordinator.check_password(NEW_PASSWORD)


def test_password_change_failures_and_sign_in_failures_count_together(client, lockout, viewer):
    client.force_login(viewer)
    for _ in range(LIMIT - 1):
        _change_password(client, "wrong")

    assert _sign_in(Client(), "login page", "viewer", "wrong").status_code == 429
    assert _sign_in(Client(), "API token", "viewer", PASSWORD).status_code == 429


def test_a_failed_password_change_keeps_no_password_in_the_attempt_log(client, lockout, viewer):
    client.force_login(viewer)
    _change_password(client, "my-secret-guess")

    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == "viewer"
    assert "my-secret-guess" not in attempt.post_data and NEW_PASSWORD not in attempt.post_data


def test_a_right_current_password_still_changes_it_below_the_limit(client, lockout, viewer):
    client.force_login(viewer)
    _change_password(client, "wrong")

    assert _change_password(client, PASSWORD).status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)


@pytest.fixture
def rates(settings):
    cache.clear()  # the throttle's counts live in the cache
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute", "sign_in": "3/minute"},
    }
    yield
    cache.clear()


def test_anonymous_clients_are_throttled_per_address(client, rates, documents):
    answers = [client.get("/api/events/", REMOTE_ADDR="198.51.100.1").status_code for _ in range(4)]
    other = client.get("/api/events/", REMOTE_ADDR="198.51.100.2")
    forged = client.get("/api/events/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="192.0.2.1")

    assert answers == [200, 200, 200, 429]
    assert other.status_code == 200 and forged.status_code == 429


def test_a_throttled_client_gets_json_saying_when_to_retry(client, rates, documents):
    for _ in range(3):
        client.get("/api/events/")
    response = client.get("/api/events/")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "throttled" in response.json()["detail"]


def test_signed_in_clients_have_their_own_allowance(client, rates, viewer):
    client.force_login(viewer)
    answers = [client.get("/api/events/").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_address_it_saw(client, rates, documents, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for _ in range(3):
        client.get("/api/events/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1")

    same = client.get("/api/events/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="forged, 192.0.2.1")
    other = client.get("/api/events/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.2")

    assert same.status_code == 429 and other.status_code == 200


def test_token_requests_are_limited_per_address_whatever_the_username(client, rates, documents):
    answers = [_sign_in(client, "API token", f"user-{n}", "guess") for n in range(4)]
    other = _sign_in(client, "API token", "user-9", "guess", address="198.51.100.2")
    forged = _sign_in(client, "API token", "user-9", "guess", HTTP_X_FORWARDED_FOR="192.0.2.1")

    assert [response.status_code for response in answers] == [400, 400, 400, 429]
    assert answers[-1].json() == {
        "detail": "Too many sign-in attempts from your address. Try again in 60 seconds.",
        "code": "sign_in_throttled",
    }
    assert answers[-1]["Retry-After"] == "60"
    assert other.status_code == 400 and forged.status_code == 429


def test_the_token_limit_applies_to_right_passwords_too(client, rates, coordinator):
    for _ in range(3):
        _sign_in(client, "API token", "coordinator", PASSWORD)

    assert _sign_in(client, "API token", "coordinator", PASSWORD).status_code == 429


def test_the_token_limit_counts_the_address_the_trusted_proxy_saw(client, rates, documents, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        _sign_in(client, "API token", f"user-{n}", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1")

    same = _sign_in(client, "API token", "user-9", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR="x, 192.0.2.1")
    other = _sign_in(client, "API token", "user-9", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.2")

    assert same.status_code == 429 and other.status_code == 400


@pytest.mark.parametrize("value, rate", [("120/minute", "120/minute"), ("5/second", "5/second"), ("off", None)])
def test_rates_are_read_from_the_environment(monkeypatch, value, rate):
    monkeypatch.setenv("API_THROTTLE_ANON", value)
    assert env_rate("API_THROTTLE_ANON", "1/day") == rate


@pytest.mark.parametrize("value", ["120", "120/fortnight", "many/minute"])
def test_a_malformed_rate_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("API_THROTTLE_ANON", value)
    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_ANON"):
        env_rate("API_THROTTLE_ANON", "1/day")
