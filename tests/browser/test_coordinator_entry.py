"""A coordinator enters a meeting and assigns it, only through the site's own pages (not /admin/),
counting the pages the browser loads; and axe on those pages, at desktop and phone width."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from events.models import Actor, ActorGroup, Event
from recommendations import permissions
from recommendations.models import Assignment, Recommendation
from tests.browser.conftest import log_in
from tests.conftest import _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGE_LOADS_ALLOWED = 12
STEPS = [
    ("Name national coordinators", "identify persons responsible for countering extremism in each country"),
    ("National strategies", "develop inclusive national strategies"),
    ("Good practices", "implement the good practices of the Global Counterterrorism Forum"),
    ("Support NGOs", "support national NGOs that fight extremism"),
    ("Train public servants", "train public servants in programmes that promote rights"),
    ("Prisons", "counter radicalisation in prisons and rehabilitate offenders"),
    ("Civil society", "strengthen civil society organisations that counter extremist messages"),
]
TEXT = "At the close of the meeting the participants agreed to " + "; to ".join(quote for _, quote in STEPS) + "."


@pytest.fixture
def world(live_server):
    """The documents' data and a coordinator, made inside the test (the live server is transactional)."""
    call_command("loaddata", "documents", verbosity=0)
    _user("coordinator", permissions.COORDINATORS)


def fill_recommendation(page, row, title, quote):
    prefix = f"recommendations-{row}"
    page.locator(f'[name="{prefix}-title_en"]').fill(title)
    page.locator(f'[name="{prefix}-text_en"]').fill(f"The participants agreed to {quote}.")
    page.locator(f'[name="{prefix}-source_quote"]').fill(quote)
    page.locator(f'[name="{prefix}-milestone"]').fill("Before the CVE leaders’ summit")


def test_a_coordinator_enters_a_meeting_and_assigns_it_in_at_most_twelve_page_loads(page, world):
    log_in(page, "coordinator")
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))

    page.get_by_role("link", name="Enter a meeting").click()
    page.locator('[name="event-title_en"]').fill("Regional meeting on preventing violent extremism")
    page.locator('[name="event-code"]').fill("RMPVE-2017")
    page.locator('[name="event-kind"]').select_option("meeting")
    page.locator('[name="event-start_date"]').fill("2017-06-20")
    page.locator('[name="event-end_date"]').fill("2017-06-21")
    page.locator('[name="event-date_note"]').fill("The dates are in the communiqué.")
    page.locator('[name="event-place"]').fill("Bishkek")
    page.locator('[name="participants-0-actor"]').select_option(label="Kyrgyzstan")
    page.locator('[name="participants-0-role"]').select_option("organiser")
    page.locator('[name="participants-1-actor"]').select_option(
        label="Organization for Security and Co-operation in Europe"
    )
    page.locator('[name="participants-1-role"]').select_option("supporter")
    page.locator('[name="document-title"]').fill("Communiqué of the regional meeting")
    page.locator('[name="document-publisher"]').fill("OSCE")
    page.locator('[name="document-published_on"]').fill("2017-06-22")
    page.locator('[name="document-location"]').fill("https://example.org/communique")
    page.locator('[name="document-text"]').fill(TEXT)
    for row, (title, quote) in enumerate(STEPS[:5]):
        fill_recommendation(page, row, title, quote)
    page.get_by_role("button", name="Add rows").click()  # five blank rows more, what was typed kept
    expect(page.locator('[name="recommendations-4-title_en"]')).to_have_value(STEPS[4][0])
    for row, (title, quote) in enumerate(STEPS[5:], start=5):
        fill_recommendation(page, row, title, quote)
    page.get_by_role("button", name="Enter the meeting").click()

    assert page.locator(".errorlist").all_inner_texts() == []
    expect(page.get_by_role("status")).to_contain_text("with 7 recommendations")
    event = Event.objects.get(code="RMPVE-2017")
    assert page.url.endswith(event.get_absolute_url())
    steps = list(event.recommendations.order_by("sequence"))
    assert [(r.code, r.title_en) for r in steps] == [(f"RMPVE-2017-{n}", t) for n, (t, _) in enumerate(STEPS, 1)]

    # All seven (each is ticked already) to every country of the region, from the event's page.
    assign = page.locator("#assign")
    assign.get_by_label("Region or group").select_option(label="Central and South Asia")
    assign.get_by_role("button", name="Assign to the region").click()
    expect(page.get_by_role("status")).to_contain_text("Created 63 assignments")

    # Two of them also to a body, from their own pages.
    penal = Actor.objects.get(name="Committee of the Penal System")
    for number, recommendation in enumerate(steps[:2]):
        if number:  # back to the event's page, by the breadcrumb
            page.get_by_role("link", name=event.code, exact=True).click()
        page.get_by_role("link", name=f"{recommendation.code} {recommendation.title}").click()
        page.locator("#assign").get_by_label(
            "Kazakhstan › Ministry of Internal Affairs of Kazakhstan › Committee of the Penal System"
        ).check()
        page.locator("#assign").get_by_role("button", name="Assign").click()
        expect(page.get_by_role("status")).to_contain_text("Created 1 assignment;")

    countries = set(ActorGroup.objects.get(slug="central-south-asia").members.countries())
    for recommendation in steps:
        actors = {a.actor for a in Assignment.objects.filter(recommendation=recommendation).select_related("actor")}
        assert actors == countries | ({penal} if recommendation in steps[:2] else set())
    print(f"page loads for the entry of the event, its 7 recommendations and their assignments: {len(loads)}")
    assert len(loads) <= PAGE_LOADS_ALLOWED, loads


def violations(page, url):
    page.goto(url)
    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]]) for v in found]


def test_the_coordinators_pages_and_forms_have_no_axe_violations(page, world):
    log_in(page, "coordinator")
    event = Event.objects.get(code="CSACVE-2015")
    recommendation = Recommendation.objects.get(code="CSACVE-2015-1")
    urls = [
        "/coordinate/meetings/new/",
        f"/coordinate/recommendations/{recommendation.pk}/assign/",
        f"/coordinate/events/{event.pk}/assign/",
        recommendation.get_absolute_url(),
        event.get_absolute_url(),
    ]
    found = {}
    for width, height in ((1280, 900), (390, 800)):
        page.set_viewport_size({"width": width, "height": height})
        for url in urls:
            if problems := violations(page, url):
                found[f"{url} at {width}px"] = problems
        # The forms in error: a quote not in the text, and an assignment to nobody.
        page.goto("/coordinate/meetings/new/")
        page.locator('[name="document-text"]').fill(TEXT)
        page.locator('[name="recommendations-0-source_quote"]').fill("words the document does not have")
        page.get_by_role("button", name="Enter the meeting").click()
        expect(page.locator("#form-errors")).to_be_visible()
        expect(page.locator('[name="recommendations-0-source_quote"]')).to_have_value(
            "words the document does not have"
        )
        if problems := [(v["id"], v["impact"]) for v in Axe().run(page).response["violations"]]:
            found[f"meeting form in error at {width}px"] = problems
        page.goto(f"/coordinate/recommendations/{recommendation.pk}/assign/")
        page.locator("#assign-heading ~ form").get_by_role("button", name="Assign").click()
        expect(page.locator("#form-errors")).to_be_visible()
        if problems := [(v["id"], v["impact"]) for v in Axe().run(page).response["violations"]]:
            found[f"assign form in error at {width}px"] = problems
    assert found == {}
