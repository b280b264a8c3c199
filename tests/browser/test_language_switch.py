"""The language switch in a real browser: without JavaScript, at phone width, and axe-clean."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM_ARGS, switch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_switch_works_without_javascript_at_phone_width(chromium, live_server, documents, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 800}
        )
        try:
            page = context.new_page()
            page.goto("/events/")
            switch(page, "Русский")

            assert page.url.endswith("/events/")
            assert page.locator("html").get_attribute("lang") == "ru"
            assert page.get_by_label("Язык").input_value() == "ru"  # the label is translated too
            assert page.locator("form.language-switch").bounding_box()["x"] >= 0
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            context.close()
            browser.close()


def test_the_switch_is_accessible_in_each_language(page, documents):
    page.goto("/")
    for name, code in [("Қазақша", "kk"), ("English", "en")]:
        switch(page, name)
        assert page.locator("html").get_attribute("lang") == code
        violations = Axe().run(page, context="form.language-switch").response["violations"]
        assert [(v["id"], v["impact"]) for v in violations] == []
