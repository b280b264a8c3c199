"""Headless Chromium, driven through Playwright's sync API, against pytest-django's live server.

Without a browser these tests are skipped, saying why, or fail where CI is set
(tests/prerequisites.py), so CI cannot pass without having run them.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.conftest import PASSWORD
from tests.prerequisites import unavailable

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR, "docs", "screenshots")


@pytest.fixture
def chromium():
    """The browser's executable, if there is one (asked first, so a skip starts no server)."""
    if not Path(CHROMIUM).exists():
        unavailable(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH")
    return CHROMIUM


@pytest.fixture
def page(chromium, live_server, monkeypatch):
    """A fresh browser page whose relative addresses go to the live server."""
    # The sync API keeps an event loop in this thread; the ORM calls the tests make meanwhile
    # are ordinary synchronous ones, so Django's guard against calls from async code stands down.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
            # While Playwright's loop runs, Django keeps this thread's connections apart from the
            # usual ones (asgiref's Local); close those, or PostgreSQL keeps the test database busy.
            connections.close_all()


def log_in(page, username, password=PASSWORD, next_url="/"):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_url}")


def switch(page, name):
    """Choose a language as a person does: the switch in the header, then its button."""
    page.locator("#language-switch").select_option(label=name)
    page.locator("form.language-switch button").click()
    page.wait_for_load_state()
