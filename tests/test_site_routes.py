"""Addresses that belong to the site as a whole: the icon browsers ask for, signing out."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, static("favicon.svg"))
    assert Path(finders.find("favicon.svg")).read_text().startswith("<svg")


def test_a_get_of_the_logout_address_offers_the_button_in_the_sites_look(client, viewer):
    client.force_login(viewer)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="site-header"' in html and "Signed in as" in html
    assert '<form method="post" action="/accounts/logout/">' in html and ">Log out</button>" in html
    assert client.get("/").wsgi_request.user.is_authenticated  # a GET does not sign out

    assert client.post("/accounts/logout/").status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_get_of_the_logout_address_when_signed_out_says_so(client):
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert "You are not signed in" in page.content.decode()
