"""The coordinators' pages end to end, in Chromium and only through the site's own pages (never
/admin/): a coordinator enters a new event with its source document and seven recommendations,
assigns all seven to every country of the region and two of them also to a body, moves one due
date, and invites a focal point, who sets a password from the mailed link (a real SMTP server),
signs in and sees their assignments. The page loads are counted: the entry of the event, its seven
recommendations and their assignments takes at most 12."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from events.models import Actor, ActorGroup, Event
from recommendations import permissions
from recommendations.models import Assignment
from tests.browser.conftest import log_in
from tests.browser.test_coordinator_entry import PAGE_LOADS_ALLOWED, STEPS, TEXT, fill_recommendation
from tests.conftest import _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PENAL = "Kazakhstan › Ministry of Internal Affairs of Kazakhstan › Committee of the Penal System"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/[^/\s]+/)")
PASSWORD = "a-focal-points-own-passphrase-3"
MOVED = datetime.date(2018, 3, 31)


@pytest.fixture
def world(live_server):
    """The documents' data and a coordinator, made inside the test (the live server is transactional)."""
    call_command("loaddata", "documents", verbosity=0)
    _user("coordinator", permissions.COORDINATORS)


def enter_the_meeting(page):
    page.get_by_role("link", name="Enter a meeting").click()
    page.locator('[name="event-title_en"]').fill("Regional meeting on preventing violent extremism")
    page.locator('[name="event-code"]').fill("RMPVE-2017")
    page.locator('[name="event-kind"]').select_option("meeting")
    page.locator('[name="event-start_date"]').fill("2017-06-20")
    page.locator('[name="event-place"]').fill("Bishkek")
    page.locator('[name="participants-0-actor"]').select_option(label="Kyrgyzstan")
    page.locator('[name="participants-0-role"]').select_option("organiser")
    page.locator('[name="document-title"]').fill("Communiqué of the regional meeting")
    page.locator('[name="document-publisher"]').fill("OSCE")
    page.locator('[name="document-published_on"]').fill("2017-06-22")
    page.locator('[name="document-location"]').fill("https://example.org/communique")
    page.locator('[name="document-text"]').fill(TEXT)  # so every quote is checked against it
    for row, (title, quote) in enumerate(STEPS[:5]):
        fill_recommendation(page, row, title, quote)
    page.get_by_role("button", name="Add rows").click()  # five blank rows more, what was typed kept
    for row, (title, quote) in enumerate(STEPS[5:], start=5):
        fill_recommendation(page, row, title, quote)
    page.get_by_role("button", name="Enter the meeting").click()
    expect(page.get_by_role("status")).to_contain_text("with 7 recommendations")


def test_a_coordinator_enters_assigns_and_updates_a_meeting_and_its_focal_point_signs_in(page, world, smtp):
    log_in(page, "coordinator")
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))

    # The event, its document and its seven recommendations, in one form.
    enter_the_meeting(page)
    event = Event.objects.get(code="RMPVE-2017")
    steps = list(event.recommendations.order_by("sequence"))
    assert [r.title_en for r in steps] == [title for title, _ in STEPS]
    assert {r.source_document.title for r in steps} == {"Communiqué of the regional meeting"}

    # All seven (each ticked already) to every country of the region, from the event's page.
    page.locator("#assign").get_by_label("Region or group").select_option(label="Central and South Asia")
    page.locator("#assign").get_by_role("button", name="Assign to the region").click()
    expect(page.get_by_role("status")).to_contain_text("Created 63 assignments")

    # Two of them also to a body, from their own pages.
    for number, recommendation in enumerate(steps[:2]):
        if number:  # back to the event's page, by the breadcrumb
            page.get_by_role("link", name=event.code, exact=True).click()
        page.get_by_role("link", name=f"{recommendation.code} {recommendation.title}").click()
        page.locator("#assign").get_by_label(PENAL).check()
        page.locator("#assign").get_by_role("button", name="Assign").click()
        expect(page.get_by_role("status")).to_contain_text("Created 1 assignment;")
    entry_loads = len(loads)

    countries = set(ActorGroup.objects.get(slug="central-south-asia").members.countries())
    penal = Actor.objects.get(name="Committee of the Penal System")
    for recommendation in steps:
        assigned = {a.actor for a in Assignment.objects.filter(recommendation=recommendation).select_related("actor")}
        assert assigned == countries | ({penal} if recommendation in steps[:2] else set())

    # One due date moved, from the second recommendation's page: its assignments follow it.
    page.get_by_role("link", name="Edit the recommendation").click()
    page.locator("[name=due_date]").fill(MOVED.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_be_visible()
    moved = steps[1]
    assert set(Assignment.objects.filter(recommendation=moved).values_list("due_date", flat=True)) == {MOVED}
    assert not Assignment.objects.exclude(recommendation=moved).filter(due_date=MOVED).exists()

    # A focal point for Kazakhstan, invited from its page: by its assignment under "Who is responsible".
    page.locator("#assignments-heading ~ .table-scroll").get_by_role("link", name="Kazakhstan", exact=True).click()
    page.get_by_role("heading", level=1).get_by_role("link", name="Kazakhstan").click()
    page.get_by_role("link", name="Invite a focal point").click()
    page.get_by_label("Name").fill("Aigerim Bekova")
    page.get_by_label("E-mail address").fill("aigerim@example.org")
    page.locator("#id_language").select_option(label="English")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status")).to_contain_text("Invited Aigerim Bekova as a focal point of Kazakhstan.")
    coordinator_loads = len(loads)

    # The invitee: the mailed link, a password of their own, signed in; then signs in again with it.
    (received,) = smtp.wait_for(1)
    link = LINK.search(received["message"].get_content()).group(1)
    invitee = page.context.browser.new_context(base_url=page.url.split("/actors/")[0], locale="en-GB").new_page()
    try:
        invitee.goto(link)
        invitee.locator("[name=new_password1]").fill(PASSWORD)
        invitee.locator("[name=new_password2]").fill(PASSWORD)
        invitee.get_by_role("button", name="Set the password and sign in").click()
        invitee.wait_for_url("**/")
        invitee.get_by_role("button", name="Log out").click()
        kazakhstan = Actor.objects.get(iso_code="KZ")
        log_in(invitee, "aigerim@example.org", PASSWORD, next_url=kazakhstan.get_absolute_url())

        # Their assignments: of the new event, Kazakhstan's seven and the Committee's two, each open to
        # their report; with those the documents give Kazakhstan's bodies.
        scorecard = invitee.locator("#assignments-heading ~ .table-scroll")
        reach = Assignment.objects.filter(actor__in=Actor.objects.subtree_ids([kazakhstan.pk])).count()
        expect(invitee.locator("#assignments-heading")).to_contain_text(f"({reach})")
        for recommendation in steps:
            expect(scorecard).to_contain_text(recommendation.code)
        mine = Assignment.objects.filter(recommendation__event=event, actor__in=[kazakhstan, penal])
        for assignment in mine:
            expect(invitee.locator(f'a[href="{assignment.get_absolute_url()}#record-update"]')).to_have_count(1)
        assert mine.count() == 9
    finally:
        invitee.context.close()

    print(
        f"page loads: the entry of the event, its 7 recommendations and their assignments {entry_loads}; "
        f"with the due date moved and the focal point invited {coordinator_loads}"
    )
    assert entry_loads <= PAGE_LOADS_ALLOWED, loads
    assert not [url for url in loads if "/admin/" in url]
