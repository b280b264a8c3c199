"""Authentication: a token from POST /api/auth/token/, or the session of a signed-in browser."""

from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tests.factories import assignment


def test_a_user_exchanges_username_and_password_for_a_token(api, focal_kz):
    first = api().post("/api/auth/token/", {"username": "focal-kz", "password": PASSWORD})
    again = api().post("/api/auth/token/", {"username": "focal-kz", "password": PASSWORD})

    assert first.status_code == 200
    assert list(first.json()) == ["token", "expires"] and len(first.json()["token"]) == 40
    assert again.json() == first.json()


def test_the_token_form_accepts_form_fields_too(api, focal_kz):
    response = api().post(
        "/api/auth/token/", f"username=focal-kz&password={PASSWORD}", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200


def test_wrong_credentials_get_no_token(api, focal_kz):
    wrong = api().post("/api/auth/token/", {"username": "focal-kz", "password": "guess"})
    missing = api().post("/api/auth/token/", {"username": "focal-kz"})

    assert wrong.status_code == 400
    assert wrong.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert missing.json() == {"password": ["This field is required."]}


def test_a_token_signs_requests_in_without_a_session_or_csrf(api, coordinator, focal_kz, settings):
    settings.PUBLIC_READ = False
    token = api().post("/api/auth/token/", {"username": "focal-kz", "password": PASSWORD}).json()["token"]
    target = assignment("CSACVE-2015-1", "KZ", coordinator)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    read = client.get("/api/assignments/?country=KZ")
    written = client.post(
        "/api/status-updates/", {"assignment": target.pk, "status": "in_progress", "date": "2016-01-01"}
    )

    assert read.status_code == 200
    assert written.status_code == 201, written.json()
    assert written.json()["author_name"] == "focal-kz"


def test_a_bad_token_is_refused_even_for_public_reads(api, documents):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    response = client.get("/api/events/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


def test_a_session_needs_its_csrf_token_to_write(coordinator, focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="focal-kz", password=PASSWORD)
    body = {"assignment": target.pk, "status": "in_progress", "date": "2016-01-01"}

    without = client.post("/api/status-updates/", body)
    client.cookies["csrftoken"] = secret = "k" * 32  # what a browser holds after loading a page
    with_token = client.post("/api/status-updates/", body, HTTP_X_CSRFTOKEN=secret)

    assert without.status_code == 403
    assert without.json()["detail"].startswith("CSRF Failed")
    assert with_token.status_code == 201
