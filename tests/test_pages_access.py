"""Every page for every role: who can read it, and what it shows."""

import pytest
from django.urls import reverse

from events.models import Actor, Event
from recommendations.models import Assignment, Recommendation

ROLES = ["anonymous", "viewer", "focal_kz", "focal_kg", "coordinator"]

# Page name → a text the page must show with the documents' data.
PAGES = {
    "dashboard": "Progress on the commitments",
    "event-list": "Central and South Asian Regional Conference",
    "event-detail": "How the dates were established",
    "event-report": "Progress report",
    "recommendation-list": "CSACVE-2015-P4",
    "recommendation-detail": "identifying persons responsible for countering extremism",
    "actor-list": "Committee of the Penal System",
    "actor-detail": "Scorecard",
    "assignment-list": "CSACVE-2015-1",
    "assignment-detail": "Timeline",
}


def url_of(page):
    """The page's address, for objects of the documents' data."""
    objects = {
        "event": lambda: Event.objects.get(code="CSACVE-2015"),
        "recommendation": lambda: Recommendation.objects.get(code="CSACVE-2015-1"),
        "actor": lambda: Actor.objects.get(iso_code="KZ"),
        "assignment": lambda: Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ"),
    }
    kind = page.split("-")[0]
    if page.endswith("list") or page == "dashboard":
        return reverse(page)
    return reverse(page, args=[objects[kind]().pk])


@pytest.fixture
def signed_in(request, client, documents):
    """A client signed in as the given role's user (none for anonymous)."""

    def sign_in(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return sign_in


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_every_page_while_public_read_is_on(signed_in, settings, page, role):
    settings.PUBLIC_READ = True
    response = signed_in(role).get(url_of(page))
    assert response.status_code == 200
    assert PAGES[page] in response.text


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in_while_public_read_is_off(client, documents, settings, page):
    settings.PUBLIC_READ = False
    url = url_of(page)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["viewer", "focal_kg"])
def test_signed_in_users_read_every_page_while_public_read_is_off(signed_in, settings, page, role):
    settings.PUBLIC_READ = False
    response = signed_in(role).get(url_of(page))
    assert response.status_code == 200
    assert PAGES[page] in response.text


def test_an_anonymous_post_is_forbidden_while_public_read_is_off(client, documents, settings):
    settings.PUBLIC_READ = False
    response = client.post(url_of("assignment-detail"), {"status": "in_progress"})
    assert response.status_code == 403


def test_the_login_page_stays_open_while_public_read_is_off(client, documents, settings):
    settings.PUBLIC_READ = False
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<label for="id_username">' in response.text


@pytest.mark.parametrize("page", ["event-detail", "event-report", "recommendation-detail", "actor-detail"])
def test_a_missing_object_is_a_404_page_in_the_same_look(client, documents, page):
    response = client.get(reverse(page, args=[987654]))
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="skip-link"' in response.text


def test_pages_have_language_landmarks_and_a_skip_link(client, documents):
    html = client.get("/").text
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="main-nav" aria-label="Main">' in html
    assert '<footer class="site-footer">' in html
    assert '<a href="/" aria-current="page" class="current">Dashboard</a>' in html


def test_the_menu_marks_the_section_of_a_detail_page(client, documents):
    html = client.get(url_of("event-detail")).text
    assert 'class="current">Events</a>' in html


def test_login_logout_and_password_change_share_the_look(client, viewer):
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Change your password" in page.text and 'class="site-header"' in page.text
    changed = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "another-long-pass-42", "new_password2": "another-long-pass-42"},
        follow=True,
    )
    assert "Password changed" in changed.text
    logged_out = client.post(reverse("logout"), follow=True)
    assert logged_out.redirect_chain == [("/", 302)]
    assert '<p class="alert alert-info">You have logged out.</p>' in logged_out.text
    assert "Signed in as" not in logged_out.text


def test_the_logged_out_page_has_the_same_look_without_a_redirect_setting(client, viewer, settings):
    settings.LOGOUT_REDIRECT_URL = None
    client.force_login(viewer)
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    assert "You have logged out" in response.text and 'class="site-header"' in response.text


def test_a_failed_login_shows_the_error_and_keeps_the_username(client, viewer):
    response = client.post(reverse("login"), {"username": "viewer", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert 'value="viewer"' in response.text


def test_password_change_needs_a_signed_in_user(client, documents):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_header_offers_log_out_as_a_form_and_admin_only_to_staff(client, viewer, coordinator):
    client.force_login(viewer)
    html = client.get("/").text
    assert f'action="{reverse("logout")}"' in html and "Signed in as" in html
    assert reverse("admin:index") not in html
    client.force_login(coordinator)
    assert reverse("admin:index") in client.get("/").text


@pytest.mark.parametrize("page", ["dashboard", "event-list", "recommendation-list", "actor-list", "assignment-list"])
def test_pages_work_on_an_empty_database(client, db, page):
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert "Nothing matches" in response.text or "No events yet." in response.text


def test_the_header_links_to_log_in_with_the_way_back(client, documents):
    assert f'href="{reverse("login")}?next=/events/%3Fyear%3D2015"' in client.get("/events/?year=2015").text


@pytest.mark.parametrize("page", ["event-detail", "recommendation-detail", "actor-detail", "assignment-detail"])
def test_the_change_history_is_shown_to_coordinators_only(signed_in, page):
    assert "Change history" in signed_in("coordinator").get(url_of(page)).text
    assert "Change history" not in signed_in("focal_kz").get(url_of(page)).text


@pytest.mark.parametrize("url", ["/accounts/password_reset/", "/accounts/password_reset/done/"])
def test_the_password_reset_pages_are_open_with_public_reading_off(client, settings, url):
    settings.PUBLIC_READ = False  # whoever forgot their password is not signed in

    assert client.get(url).status_code == 200
