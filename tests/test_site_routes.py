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
