"""The coordinators' pages for countries, bodies and regions in Chromium: axe finds nothing at desktop
and phone width, blank and in error, and the page is no wider than a phone's screen; without
JavaScript a coordinator moves a body in the tree, and cannot choose one of its own bodies as parent."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from events.models import Actor, ActorGroup
from recommendations import permissions
from tests.browser.conftest import CHROMIUM_ARGS, log_in
from tests.browser.test_small_screens import MEASURE
from tests.conftest import _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def world(live_server):
    call_command("loaddata", "documents", verbosity=0)
    _user("coordinator", permissions.COORDINATORS)


def problems(page):
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]]


def test_the_actor_and_region_pages_have_no_axe_violations_and_fit_a_phone(page, world):
    log_in(page, "coordinator")
    kazakhstan = Actor.objects.get(iso_code="KZ")
    region = ActorGroup.objects.get(slug="central-south-asia")
    urls = [
        "/coordinate/actors/new/",
        f"/coordinate/actors/{kazakhstan.pk}/edit/",
        "/coordinate/regions/new/",
        f"/coordinate/regions/{region.pk}/edit/",
        "/actors/?region=central-south-asia",
        kazakhstan.get_absolute_url(),
    ]
    found = {}
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        for url in urls:
            page.goto(url)
            if axe := problems(page):
                found[f"{url} at {width}px"] = axe
            if width < 600 and (wide := page.evaluate(MEASURE, [])):
                found[f"{url} wider than the phone"] = wide
        # In error: Kazakhstan under one of its own bodies (a browser cannot choose it: the POST is edited).
        page.goto(f"/coordinate/actors/{kazakhstan.pk}/edit/")
        penal = Actor.objects.get(name="Committee of the Penal System")
        page.locator(f'[name="parent"] option[value="{penal.pk}"]').evaluate("option => option.disabled = false")
        page.locator('[name="parent"]').select_option(str(penal.pk))
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#form-errors")).to_be_visible()
        if axe := problems(page):
            found[f"actor form in error at {width}px"] = axe
        page.goto("/coordinate/regions/new/")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#form-errors")).to_be_visible()
        if axe := problems(page):
            found[f"region form in error at {width}px"] = axe
    assert found == {}


def test_without_javascript_a_coordinator_moves_a_body_and_cannot_choose_a_cycle(
    chromium, live_server, world, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as the `page` fixture does
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_context(base_url=live_server.url, java_script_enabled=False).new_page()
        try:
            log_in(page, "coordinator")
            penal = Actor.objects.get(name="Committee of the Penal System")
            page.goto(penal.get_absolute_url())
            page.get_by_role("link", name="Edit Committee of the Penal System").click()
            page.get_by_label("Parent").select_option(label="Kazakhstan")
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_role("status")).to_contain_text("Saved Committee of the Penal System.")
            penal.refresh_from_db()
            assert penal.parent == Actor.objects.get(iso_code="KZ")

            # Kazakhstan's own bodies are there, but cannot be chosen as its parent.
            page.goto(f"/coordinate/actors/{penal.parent_id}/edit/")
            assert page.locator(f'[name="parent"] option[value="{penal.pk}"]').is_disabled()
        finally:
            browser.close()
            connections.close_all()  # as the `page` fixture does, or PostgreSQL keeps the test database busy
