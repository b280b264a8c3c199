"""Keeping it current in the browser: a coordinator moves a recommendation's due date through its
edit page (its followers move with it) and changes ticked assignments on the list in bulk; axe finds
nothing on the edit pages, the list with its bulk form, the bulk form in error and its result, at
desktop and phone width."""

import datetime
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from events.models import Event
from recommendations import permissions
from recommendations.models import Assignment, Recommendation
from tests.browser.conftest import CHROMIUM_ARGS, log_in
from tests.conftest import _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def world(live_server):
    """The documents' data (CSACVE-2015-1 assigned to each country of the region) and a coordinator."""
    call_command("loaddata", "documents", verbosity=0)
    _user("coordinator", permissions.COORDINATORS)
    recommendation = Recommendation.objects.get(code="CSACVE-2015-1")
    recommendation.live_url = live_server.url
    return recommendation


def blocking(page):
    return [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]]) for v in Axe().run(page).response["violations"]
    ]


def test_a_coordinator_moves_a_due_date_from_the_recommendations_page(page, world):
    log_in(page, "coordinator", next_url=world.get_absolute_url())
    page.get_by_role("link", name="Edit the recommendation").click()
    page.locator('[name="due_date"]').fill("2016-09-29")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("status")).to_contain_text("Saved your changes")
    assert urlsplit(page.url).path == world.get_absolute_url()
    followers = Assignment.objects.filter(recommendation=world, own_due_date=False)
    assert followers.exists()
    assert set(followers.values_list("due_date", flat=True)) == {datetime.date(2016, 9, 29)}


def test_the_edit_pages_have_no_axe_violations(page, world):
    log_in(page, "coordinator")
    event = Event.objects.get(code="CSACVE-2015")
    assignment = Assignment.objects.get(recommendation=world, actor__iso_code="KZ")
    urls = [
        f"/coordinate/events/{event.pk}/edit/",
        f"/coordinate/recommendations/{world.pk}/edit/",
        f"/coordinate/assignments/{assignment.pk}/edit/",
        assignment.get_absolute_url(),
    ]
    found = {}
    for width, height in ((1280, 900), (390, 800)):
        page.set_viewport_size({"width": width, "height": height})
        for url in urls:
            page.goto(url)
            if problems := blocking(page):
                found[f"{url} at {width}px"] = problems
        # In error: an assignment due before its event, the date typed kept.
        page.goto(f"/coordinate/assignments/{assignment.pk}/edit/")
        page.locator('[name="due_date"]').fill("2014-01-01")
        page.get_by_role("button", name="Save changes").click()
        expect(page.locator("#form-errors")).to_be_visible()
        expect(page.locator('[name="due_date"]')).to_have_value("2014-01-01")
        if problems := blocking(page):
            found[f"assignment form in error at {width}px"] = problems
        # The list with the bulk form; the bulk form in error (nothing ticked); a result with a refusal.
        page.goto(f"/assignments/?recommendation={world.pk}")
        if problems := blocking(page):
            found[f"assignment list at {width}px"] = problems
        page.get_by_role("button", name="Change the role").click()
        expect(page.locator("#form-errors")).to_be_visible()
        if problems := blocking(page):
            found[f"bulk form in error at {width}px"] = problems
        page.goto(f"/assignments/?recommendation={world.pk}")
        page.locator('#bulk-form [name="due_date"]').fill("2014-01-01")
        page.locator('[name="scope"][value="matching"]').check()
        page.get_by_role("button", name="Change the due date").click()
        expect(page.locator("#refused-heading")).to_be_visible()
        if problems := blocking(page):
            found[f"bulk result at {width}px"] = problems
    assert found == {}


def test_a_coordinator_changes_the_ticked_assignments_role_without_javascript(chromium, world, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    rows = list(Assignment.objects.filter(recommendation=world).select_related("actor").order_by("actor__name"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=world.live_url, java_script_enabled=False, locale="en-GB")
        try:
            page = context.new_page()
            log_in(page, "coordinator", next_url=f"/assignments/?recommendation={world.pk}")
            for row in rows[:2]:
                page.get_by_label(f"Tick {world.code} — {row.actor.name}").check()
            page.locator('#bulk-form [name="role"]').select_option("supporting")
            page.get_by_role("button", name="Change the role").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Changed the role of 2 assignments.")
        finally:
            context.close()
            browser.close()
            connections.close_all()
    changed = {a.pk: a.role for a in Assignment.objects.filter(recommendation=world)}
    assert [changed[row.pk] for row in rows[:2]] == ["supporting", "supporting"]
    assert {changed[row.pk] for row in rows[2:]} == {"lead"}
