"""/api/ describes the API and lists every endpoint, each address one that answers."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_root_lists_every_endpoint(api):
    links = api().get("/api/").json()
    assert {"events", "actors", "recommendations", "assignments", "status-updates", "regions", "themes"} <= set(links)
    assert links["progress"] == "http://testserver/api/progress/"
    assert links["auth/token"] == "http://testserver/api/auth/token/"
    assert {"schema", "docs", "redoc"} <= set(links)
    for name, url in links.items():
        method = api().post if name == "auth/token" else api().get
        # The token endpoint: 400 without credentials; the webhooks are for coordinators, signed in.
        assert method(url).status_code in ((401,) if name == "webhooks" else (200, 400)), name


def test_the_browsable_root_describes_the_api(api):
    html = api().get("/api/", HTTP_ACCEPT="text/html").content.decode()
    assert "The default basic root view" not in html
    assert "cvetracker API" in html and "who is responsible for each" in html
