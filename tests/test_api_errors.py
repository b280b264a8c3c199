"""Error bodies: always JSON, a 400 maps fields to messages, every other error is {"detail": message}."""

import logging

import pytest
from django.db import IntegrityError
from rest_framework.test import APIRequestFactory

from api.exceptions import exception_handler
from tests.factories import assignment, report


def assert_detail(response, status_code):
    assert response.status_code == status_code
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str) and body["detail"]


def test_every_kind_of_error_is_json_with_a_detail(api, coordinator, focal_kg, settings):
    settings.PUBLIC_READ = False
    existing = assignment("CSACVE-2015-1", "KZ", coordinator)
    coordinators = api(coordinator)
    coordinators.patch(f"/api/assignments/{existing.pk}/", {"note": "x", "version": 1})

    assert_detail(api().get("/api/assignments/"), 401)
    assert_detail(api(focal_kg).post("/api/assignments/", {"recommendation": 1, "actor": 5}), 403)
    assert_detail(coordinators.get("/api/assignments/99999/"), 404)
    assert_detail(coordinators.get("/api/nothing-here/"), 404)
    assert_detail(coordinators.put(f"/api/assignments/{existing.pk}/", {}), 405)
    assert_detail(coordinators.patch(f"/api/assignments/{existing.pk}/", {"note": "y", "version": 1}), 409)


def test_a_bad_request_maps_each_field_to_its_messages(api, coordinator):
    response = api(coordinator).post("/api/status-updates/", {"assignment": "first", "date": "soon"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "assignment": ["Incorrect type. Expected pk value, received str."],
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

    assert_detail(response, 415)


def test_errors_asked_for_as_csv_are_json(api, settings):
    settings.PUBLIC_READ = False

    response = api().get("/api/assignments/?format=csv")

    assert_detail(response, 401)


def test_an_unknown_format_is_not_found(api, documents):
    assert_detail(api().get("/api/assignments/?format=xml"), 404)
    assert_detail(api().get("/api/assignments/1/?format=csv"), 404)  # CSV is for lists


def test_a_workflow_rule_without_a_field_is_a_non_field_error(api, coordinator, focal_kz):
    reported = report(assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz)

    response = api(coordinator).delete(f"/api/assignments/{reported.assignment_id}/")

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

    assert (response.status_code, response.data) == (500, {"detail": "Internal server error."})
    assert caplog.records[0].exc_info[1].args == ("a bug",)


@pytest.mark.parametrize("url", ["/api/", "/api/events/", "/api/progress/"])
def test_anonymous_errors_carry_the_token_challenge(api, documents, settings, url):
    settings.PUBLIC_READ = False

    response = api().get(url)

    assert response["WWW-Authenticate"] == "Token"
