"""The API's documentation pages load everything from the app: no address on another site, in the
pages or in the scripts they run (the CSP would refuse such a load; the app promises no CDN)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'(?:src|href)="([^"]*)"')
# How the bundles' own code names an image or script to load: a React prop or an assignment.
EXTERNAL_LOAD = re.compile(r'\bsrc\s*[:=]\s*"(?:https?:)?//')


def _script(client, url):
    if url.startswith("/static/"):
        return Path(finders.find(url.removeprefix("/static/"))).read_text(encoding="utf-8")
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode()


@pytest.mark.parametrize("page", ["/api/redoc/", "/api/docs/"])
def test_the_page_and_its_scripts_name_nothing_on_another_site(client, page):
    html = client.get(page).content.decode()
    assets = ASSET.findall(html)
    assert assets and all(url.startswith("/") and not url.startswith("//") for url in assets), assets
    scripts = re.findall(r'<script src="([^"]*)"', html)
    for url in scripts:
        assert not EXTERNAL_LOAD.search(_script(client, url)), url


def test_redoc_is_the_sidecars_bundle_without_the_cdn_logo(client):
    served = client.get("/api/redoc/redoc.standalone.js")
    assert served["Content-Type"].startswith("text/javascript")
    assert "cdn.redoc.ly" not in served.content.decode()
    shipped = Path(finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")).read_text()
    assert len(served.content.decode()) == len(shipped) - len("https://cdn.redoc.ly/redoc/logo-mini.svg")
