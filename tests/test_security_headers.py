"""Security headers on pages, admin and API; a CSRF token in every form, and posts without one refused."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import assignment

pytestmark = pytest.mark.django_db

PAGES = ["/", "/events/", "/assignments/", "/accounts/login/", "/admin/login/", "/api/events/", "/api/docs/"]


def _policy(response):
    directives = [directive.split() for directive in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, documents, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


class _Forms(HTMLParser):
    """The post forms of a page: their action and whether they carry the CSRF token."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self.forms.append({"action": attrs.get("action") or "", "token": False})
        elif tag == "input" and attrs.get("name") == "csrfmiddlewaretoken" and self.forms:
            self.forms[-1]["token"] = bool(attrs.get("value"))


def _post_forms(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser.forms


def _pages_with_forms(coordinator, focal_kz):
    own = assignment("CSACVE-2015-1", "KZ", coordinator)
    return [
        (None, "/accounts/login/"),
        (None, "/admin/login/"),
        (focal_kz, f"/assignments/{own.pk}/"),  # record an update; and the log-out button on every page
        (focal_kz, "/accounts/password_change/"),
        (coordinator, f"/admin/recommendations/assignment/{own.pk}/change/"),
        (coordinator, "/admin/recommendations/statusupdate/add/"),
        (coordinator, "/admin/events/event/1/change/"),
    ]


def _protected(forms, user):
    """All but an anonymous reader's language switch, which needs no token (accounts/language.py):
    changing the language harms nobody, and a token would give every reader a cookie of their own."""
    return [form for form in forms if user or form["action"] != "/i18n/setlang/"]


def test_every_post_form_carries_a_csrf_token(coordinator, focal_kz):
    seen = 0
    for user, path in _pages_with_forms(coordinator, focal_kz):
        client = Client()
        if user:
            client.force_login(user)
        forms = _post_forms(client, path)
        assert forms, f"no post form on {path}"
        for form in _protected(forms, user):
            assert form["token"], f"a form on {path} (action {form['action']!r}) has no CSRF token"
            seen += 1
    assert seen >= len(_pages_with_forms(coordinator, focal_kz))


def test_a_post_without_the_csrf_token_is_refused(coordinator, focal_kz):
    for user, path in _pages_with_forms(coordinator, focal_kz):
        client = Client(enforce_csrf_checks=True)
        if user:
            client.force_login(user)
        for form in _protected(_post_forms(client, path), user):
            target = form["action"] if form["action"].startswith("/") else path
            response = client.post(target, {"username": "x", "password": "y", "status": "in_progress"})
            assert response.status_code == 403, f"{target} accepted a post without a CSRF token"
            assert re.search(rb"CSRF|Forbidden", response.content)
