"""A coordinator invites a focal point from an actor's page; the invitee opens the link from the
mail (received by a real SMTP server), sets a password, is signed in and sees their assignments,
and signs in again with it. Page loads counted; axe on the new pages at desktop and phone width."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from events.models import Actor
from recommendations import permissions
from tests import factories
from tests.browser.conftest import log_in
from tests.conftest import _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "a-brand-new-passphrase-7"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/[^/\s]+/)")
WIDTHS = ((1280, 900), (390, 800))


@pytest.fixture
def world(live_server):
    """The documents' data, a coordinator and one assignment of Kazakhstan's (made inside the test:
    the live server is transactional)."""
    call_command("loaddata", "documents", verbosity=0)
    coordinator = _user("coordinator", permissions.COORDINATORS)
    return factories.assignment("CSACVE-2015-1", "KZ", coordinator)


def axe_problems(page):
    return [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]]) for v in Axe().run(page).response["violations"]
    ]


def test_a_coordinator_invites_a_focal_point_who_sets_a_password_and_sees_their_assignments(page, world, smtp):
    kazakhstan = Actor.objects.get(iso_code="KZ")
    log_in(page, "coordinator", next_url=kazakhstan.get_absolute_url())
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))

    page.get_by_role("link", name="Invite a focal point").click()
    page.get_by_label("Name").fill("Aigerim Bekova")
    page.get_by_label("E-mail address").fill("aigerim@example.org")
    page.locator("#id_language").select_option(label="English")
    page.get_by_role("button", name="Invite").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text("Invited Aigerim Bekova as a focal point of Kazakhstan.")
    expect(status).to_contain_text("The invitation was mailed to aigerim@example.org.")
    shown = LINK.search(status.inner_text()).group(0)
    expect(page.locator("#focal-points-heading ~ .table-scroll")).to_contain_text("Invited")
    coordinator_loads = len(loads)

    (received,) = smtp.wait_for(1)
    mailed = LINK.search(received["message"].get_content())
    assert mailed.group(0) == shown  # the coordinator saw the link that was mailed
    invitee = page.context.browser.new_context(base_url=page.url.split("/actors/")[0], locale="en-GB").new_page()
    invitee.on("load", lambda loaded: loads.append(loaded.url))
    invitee.goto(mailed.group(1))
    expect(invitee.get_by_role("heading", name="Choose your password")).to_be_visible()
    invitee.locator("[name=new_password1]").fill(NEW_PASSWORD)
    invitee.locator("[name=new_password2]").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Set the password and sign in").click()

    invitee.wait_for_url("**/")
    expect(invitee.get_by_text("You report for")).to_contain_text("Kazakhstan")
    expect(invitee.locator(f'a[href="{world.get_absolute_url()}#record-update"]')).to_be_visible()
    invitee_loads = len(loads) - coordinator_loads
    invitee.get_by_role("button", name="Log out").click()
    log_in(invitee, "aigerim@example.org", NEW_PASSWORD)
    expect(invitee.get_by_text("You report for")).to_contain_text("Kazakhstan")
    invitee.goto(mailed.group(1))  # used: no longer works
    expect(invitee.get_by_role("heading", name="This invitation no longer works")).to_be_visible()

    print(f"page loads: the coordinator's invitation {coordinator_loads}, the invitee's first sign-in {invitee_loads}")
    assert (coordinator_loads, invitee_loads) == (2, 2), loads
    invitee.context.close()


def test_the_focal_point_pages_have_no_axe_violations(page, world, smtp):
    kazakhstan = Actor.objects.get(iso_code="KZ")
    focal = _user("focal-kz", permissions.FOCAL_POINTS, ["KZ"])
    log_in(page, "coordinator")
    page.goto(f"/coordinate/actors/{kazakhstan.pk}/invite/")
    page.get_by_label("Name").fill("Aigerim Bekova")
    page.get_by_label("E-mail address").fill("aigerim@example.org")
    page.get_by_role("button", name="Invite").click()
    link = LINK.search(smtp.wait_for(1)[0]["message"].get_content()).group(1)
    pages = [
        kazakhstan.get_absolute_url(),
        f"/coordinate/actors/{kazakhstan.pk}/invite/",
        f"/coordinate/actors/{kazakhstan.pk}/focal-points/{focal.pk}/unlink/",
    ]
    found = {}
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for url in pages:
            page.goto(url)
            if problems := axe_problems(page):
                found[f"{url} at {width}px"] = problems
        page.goto(f"/coordinate/actors/{kazakhstan.pk}/invite/")
        page.get_by_label("E-mail address").fill("not an address")
        page.get_by_role("button", name="Invite").click()
        expect(page.locator("#form-errors")).to_be_visible()
        expect(page.get_by_label("E-mail address")).to_have_value("not an address")
        if problems := axe_problems(page):
            found[f"invite form in error at {width}px"] = problems
    invitee = page.context.browser.new_context(base_url=page.url.split("/coordinate/")[0]).new_page()
    for width, height in WIDTHS:
        invitee.set_viewport_size({"width": width, "height": height})
        for url in (link, link.replace("/invitation/", "/invitation/x")):  # the form, and a link that does not work
            invitee.goto(url)
            if problems := axe_problems(invitee):
                found[f"{url} at {width}px"] = problems
    invitee.context.close()
    assert found == {}
