"""Error bodies: always JSON, a 400 maps fields to messages, every other error is {"detail": message}."""

import logging

import pytest
from django.db import IntegrityError
from django.test import Client
from rest_framework.test import APIRequestFactory

from api.exceptions import exception_handler
from recommendations.models import StatusUpdate
from tests.factories import assignment, report


def assert_detail(response, status_code, code):
    assert response.status_code == status_code
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail", "code"] and isinstance(body["detail"], str) and body["detail"]
    assert body["code"] == code


def test_every_kind_of_error_is_json_with_a_detail(api, coordinator, focal_kg, settings):
    settings.PUBLIC_READ = False
    existing = assignment("CSACVE-2015-1", "KZ", coordinator)
    coordinators = api(coordinator)
    coordinators.patch(f"/api/assignments/{existing.pk}/", {"note": "x", "version": 1})

    assert_detail(api().get("/api/assignments/"), 401, "not_authenticated")
    assert_detail(api(focal_kg).post("/api/assignments/", {"recommendation": 1, "actor": 5}), 403, "permission_denied")
    assert_detail(coordinators.get("/api/assignments/99999/"), 404, "not_found")
    assert_detail(coordinators.get("/api/nothing-here/"), 404, "not_found")
    assert_detail(coordinators.put(f"/api/assignments/{existing.pk}/", {}), 405, "method_not_allowed")
    assert_detail(coordinators.patch(f"/api/assignments/{existing.pk}/", {"note": "y", "version": 1}), 409, "stale")


def test_a_bad_request_maps_each_field_to_its_messages(api, coordinator):
    response = api(coordinator).post("/api/status-updates/", {"assignment": "first", "date": "soon"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "assignment": ["Not an id: an id is a whole number from 1 up, written with the digits 0-9."],
        "status": ["This field is required."],
        "date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
    }


def test_a_body_that_is_not_json_is_a_non_field_error(api, coordinator):
    response = api(coordinator).generic(
        "POST", "/api/assignments/", '{"recommendation": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert response.json()["non_field_errors"][0].startswith("JSON parse error")


def test_a_body_that_is_not_a_json_object_is_a_non_field_error(api, coordinator):
    response = api(coordinator).post("/api/assignments/", [1, 2], format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}


def test_text_no_database_can_store_is_refused(api, coordinator, focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)
    # json.dumps would refuse to write a lone surrogate; a client in another language may not.
    body = f'{{"assignment": {target.pk}, "status": "in_progress", "date": "2016-01-01", "note": "\\ud800"}}'

    response = api(focal_kz).generic("POST", "/api/status-updates/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The body contains text that is not valid Unicode (a lone surrogate)."]
    }


def test_a_body_in_another_format_is_refused(api, coordinator):
    response = api(coordinator).post("/api/assignments/", "recommendation=1&actor=5", content_type="text/plain")

    assert_detail(response, 415, "unsupported_media_type")


def test_errors_asked_for_as_csv_are_json(api, settings):
    settings.PUBLIC_READ = False

    response = api().get("/api/assignments/?format=csv")

    assert_detail(response, 401, "not_authenticated")


def test_an_unknown_format_is_not_found(api, documents):
    assert_detail(api().get("/api/assignments/?format=xml"), 404, "not_found")
    assert_detail(api().get("/api/assignments/1/?format=csv"), 404, "not_found")  # CSV is for lists


def test_a_workflow_rule_without_a_field_is_a_non_field_error(api, coordinator, focal_kz):
    reported = report(assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz)

    version = reported.assignment.version
    response = api(coordinator).delete(f"/api/assignments/{reported.assignment_id}/?version={version}")

    assert list(response.json()) == ["non_field_errors"]


def test_a_write_that_lost_a_race_is_a_conflict():
    request = APIRequestFactory().post("/api/assignments/")

    response = exception_handler(IntegrityError("UNIQUE constraint failed"), {"request": request, "view": None})

    assert response.status_code == 409
    assert response.data["detail"].startswith("Another change to the same record was saved at the same time.")


def test_an_unexpected_error_is_logged_and_answered_in_json(caplog):
    request = APIRequestFactory().get("/api/events/")

    with caplog.at_level(logging.ERROR, logger="api.exceptions"):
        response = exception_handler(RuntimeError("a bug"), {"request": request, "view": None})

    assert (response.status_code, response.data) == (500, {"detail": "Internal server error.", "code": "server_error"})
    assert caplog.records[0].exc_info[1].args == ("a bug",)


@pytest.mark.parametrize("url", ["/api/", "/api/events/", "/api/progress/"])
def test_anonymous_errors_carry_the_token_challenge(api, documents, settings, url):
    settings.PUBLIC_READ = False

    response = api().get(url)

    assert response["WWW-Authenticate"] == "Token"


# Issue 17: input that used to be a 500 or was read as something else ----------------------------

DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize(
    ("user", "url"),
    [(None, "/api/auth/token/"), ("coordinator", "/api/status-updates/"), ("coordinator", "/api/events/")],
)
def test_json_nested_too_deeply_is_a_400(api, request, user, url):
    client = api(request.getfixturevalue(user) if user else None)
    shallow = '{"note": ' + "[" * 25 + "]" * 25 + "}"

    for body in (DEEP, shallow):
        response = client.generic("POST", url, body, content_type="application/json")

        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["The JSON is nested too deeply (at most 20 levels)."]}


def test_a_body_over_the_upload_limit_is_a_413_with_a_code(api, coordinator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200_000
    target = assignment("CSACVE-2015-1", "KZ", coordinator)
    note = "x" * 300_000

    anonymous = api().post("/api/auth/token/", {"username": note, "password": "p"})
    as_form = api().generic(
        "POST", "/api/auth/token/", f"username={note}&password=p", "application/x-www-form-urlencoded"
    )
    signed_in = api(coordinator).post(
        "/api/status-updates/", {"assignment": target.pk, "status": "stalled", "date": "2016-01-01", "note": note}
    )

    for response in (anonymous, as_form, signed_in):
        assert response.status_code == 413
        assert response.json() == {
            "detail": "The request body is too large: the API accepts at most 0.2 MB.",
            "code": "request_too_large",
        }
    assert not StatusUpdate.objects.exists()


def test_a_form_over_the_upload_limit_is_a_413_page(focal_kz, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    target = assignment("CSACVE-2015-1", "KZ", None)
    browser = Client(enforce_csrf_checks=True)  # the CSRF check is where a real browser's post is read first
    browser.force_login(focal_kz)

    token = browser.get(target.get_absolute_url()).context["csrf_token"]
    form = {"csrfmiddlewaretoken": token, "status": "stalled", "date": "2016-01-01", "note": "x" * 200_000}

    response = browser.post(target.get_absolute_url(), form)

    assert response.status_code == 413
    assert "What you sent is too large" in response.text and "at most 0.1 MB" in response.text
    assert not StatusUpdate.objects.exists()


def test_a_form_that_cannot_be_read_is_a_400_page(client, focal_kz, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    target = assignment("CSACVE-2015-1", "KZ", None)
    client.force_login(focal_kz)

    response = client.post(target.get_absolute_url(), {f"field{n}": "x" for n in range(10)})

    assert response.status_code == 400
    assert "The tracker could not read this request" in response.text


NOT_AN_ID = {"Not an id: an id is a whole number from 1 up, written with the digits 0-9."}


@pytest.mark.parametrize(
    "raw", ["1.5", "19.9", "3.0", '"3.0"', '"\\u0663"', '"\\uff13"', '" 3"', "0", "-3", "true", str(10**30)]
)
def test_an_id_must_be_a_whole_number_in_ascii_digits(api, coordinator, raw):
    # Assignment 3 exists: none of these may be read as it (or as any other).
    template = '{"assignment": %s, "status": "stalled", "date": "2016-01-01"}'

    response = api(coordinator).generic("POST", "/api/status-updates/", template % raw, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["assignment"]) == NOT_AN_ID
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/status-updates/", '{"assignment": 1e400, "status": "stalled", "date": "2016-01-01"}'),
        ("/api/assignments/", '{"recommendation": 1e400, "actor": 1}'),
        (
            "/api/events/",
            '{"code": "E-1", "title": "t", "kind": "summit", "start_date": "2016-01-01", "host_country": -1e400}',
        ),
    ],
)
def test_a_number_too_large_for_json_is_a_400(api, coordinator, url, body):
    response = api(coordinator).generic("POST", url, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The body contains a number too large to read."]}


@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        ("/api/assignments/", "recommendation", 1.5),
        ("/api/assignments/", "actor", "\u0661"),
        ("/api/assignments/assign-region/", "recommendation", 2.9),
        ("/api/actors/", "parent", 1.5),
        ("/api/recommendations/", "event", "\uff11"),
        ("/api/recommendations/", "restates", 1.0),
        ("/api/events/", "host_country", 1.5),
    ],
)
def test_every_id_field_of_the_api_refuses_what_is_not_an_id(api, coordinator, url, field, value):
    response = api(coordinator).post(url, {field: value})

    assert response.status_code == 400
    assert set(response.json()[field]) == NOT_AN_ID


@pytest.mark.parametrize(
    "path", ["/api/assignments/%D9%A1/", "/api/actors/%EF%BC%91/", "/api/events/1.0/", "/api/events/1%0A2/"]
)
def test_an_id_in_the_path_must_be_ascii_digits(api, documents, path):
    assert_detail(api().get(path), 404, "not_found")


def test_a_form_body_with_too_many_fields_is_a_413(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"field{n}=x" for n in range(20))

    response = api().generic("POST", "/api/auth/token/", body, "application/x-www-form-urlencoded")

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request has too many fields: the API accepts at most 10.",
        "code": "request_too_large",
    }
