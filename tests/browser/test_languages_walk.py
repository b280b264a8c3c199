"""Issue 12's proof: every main page, the reporting form and the admin, in Russian and in Kazakh chosen
through the language switch, show no English words but the names that come from the data.

One browser and one server walk the pages in each language. A page's words are its visible text and
the attributes people read; what the database holds (names of people, bodies, countries, documents,
codes, quotes, addresses) is taken out first, then any word of three or more Latin letters is flagged.
"""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone, translation
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname
from playwright.sync_api import expect

from events.models import Actor, Event
from recommendations import permissions
from recommendations.models import Assignment, Recommendation
from tests.browser.conftest import switch
from tests.conftest import PASSWORD, _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Latin words a Russian or Kazakh page may keep, each for a reason.
ALLOWED = {
    "cvetracker",  # the product's name, the same in every language
    "English",  # the language switch names each language in its own name
    "API",  # the interface's name, written so in Russian and Kazakh technical texts too
    "CSV",  # the lists' download links name the file formats
    "XLSX",  # likewise
    "Atom",  # the feeds' format, named in their links ("Лента Atom")
    "ISO",  # the standard the country codes come from (the admin's actor list)
    "REST",  # "REST API", the architecture's name, written so in Russian and Kazakh too
    "URL",  # the translations write "URL" as Russian and Kazakh technical texts do
    # The evidence files' formats, by their own names ("документ PDF", "документ Word"), as everywhere.
    *("PDF", "PNG", "JPEG", "GIF", "WebP", "Word", "Excel", "PowerPoint", "OpenDocument", "Office"),
}
# Django's admin writes these into images' alt literally, not through gettext: the search icon's
# "Search" (admin/search_form.html) and the yes/no icons' "True"/"False" (admin_list._boolean_icon).
# Translating them would mean copying Django's template and function; the words beside them are translated.
# "Control", "Command", "Mac": the keys as printed on keyboards, which Django's own Russian and Kazakh
# keep in the help of multiple-choice fields ("Удерживайте “Control“ (или “Command“ на Mac)…").
ADMIN_ALLOWED = ALLOWED | {"Search", "True", "False", "Control", "Command", "Mac"}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
READ_ATTRIBUTES = """() => {
    const said = [document.title, document.body.innerText];
    for (const element of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
        for (const name of ["title", "aria-label", "placeholder", "alt"]) {
            if (element.hasAttribute(name)) said.push(element.getAttribute(name));
        }
    }
    for (const button of document.querySelectorAll("input[type=submit], input[type=button], input[type=reset]")) {
        said.push(button.value);
    }
    return said.join("\\n");
}"""
TEXT_FIELDS = (models.CharField, models.TextField)  # SlugField, URLField and EmailField are CharFields


def data_names(language):
    """One pattern for every text the database holds for events, actors, recommendations and their
    updates, and the users' names, as a page in `language` shows them: a translated field
    (django-modeltranslation) only in that language, else English, so an English name where a
    translation exists is flagged. Whole words only, and without regard to case, since the styles
    write some in capitals (text-transform). Not auth's groups and permissions: those are the roles'
    fixed English names, which the walked pages must not show untranslated."""
    found = set()
    user = apps.get_model("auth", "User")
    tracker = [model for label in ("events", "recommendations") for model in apps.get_app_config(label).get_models()]
    registered = translator.get_registered_models()
    for model in [*tracker, user]:
        if not model._meta.managed:  # the running tallies, which are views
            continue
        translated = list(translator.get_options_for_model(model).fields) if model in registered else []
        columns = {build_localized_fieldname(field, code) for field in translated for code in AVAILABLE_LANGUAGES}
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, TEXT_FIELDS) and not f.choices and f.name not in {"password", *translated, *columns}
        ]
        for row in model.objects.values_list(*fields):
            found.update(value for value in row if value)
        with translation.override(language):
            for row in model.objects.all():
                found.update(getattr(row, field) or "" for field in translated)
    found.update(person.get_full_name() for person in user.objects.all())
    found = {" ".join(value.split()) for value in found if LATIN_WORD.search(value)}
    names = "|".join(re.escape(name) for name in sorted(found, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)", re.I)


def english_words(page, names, allowed=ALLOWED):
    """The Latin words left on the page once the data's names and the allowed words are taken out."""
    text = names.sub(" ", " ".join(page.evaluate(READ_ATTRIBUTES).split()))
    text = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", text)  # addresses and paths
    return sorted({word for word in LATIN_WORD.findall(text) if word not in allowed})


def visit(page, url):
    assert page.goto(url).ok, url  # a page, not a translated error page


def log_in(page, username):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("form.logout, [action='/accounts/logout/']").first).to_be_attached()


def log_out(page):
    page.locator("form[action$='/logout/'] [type=submit]").first.click()
    page.wait_for_load_state()


@pytest.fixture
def world(live_server):
    """The documents' data, a focal point for Kazakhstan and a coordinator (made inside the test: the
    live server is transactional), with one report so timelines and the dashboard have an entry."""
    call_command("loaddata", "documents", verbosity=0)
    # Usernames that are no English words, so that taking the data's names out hides no UI word.
    _user("aigerim", permissions.FOCAL_POINTS, ["KZ"], first_name="Aigerim", last_name="Sadykova")
    _user("daniyar", permissions.COORDINATORS, is_staff=True, first_name="Daniyar", last_name="Akhmetov")


def main_pages():
    event = Event.objects.order_by("pk").first()
    recommendation = Recommendation.objects.get(code="CSACVE-2015-1")
    assignment = Assignment.objects.filter(actor__iso_code="KZ").order_by("pk").first()
    return [
        "/",
        "/events/",
        event.get_absolute_url(),
        f"{event.get_absolute_url()}report/",
        "/recommendations/",
        recommendation.get_absolute_url(),
        "/actors/",
        Actor.objects.get(iso_code="KZ").get_absolute_url(),
        "/assignments/",
        assignment.get_absolute_url(),
        "/accounts/password_change/",
    ]


def admin_pages():
    assignment = Assignment.objects.order_by("pk").first()
    return [
        "/admin/",
        "/admin/recommendations/assignment/?role__exact=lead",
        f"/admin/recommendations/assignment/{assignment.pk}/change/",
        "/admin/recommendations/recommendation/",
        f"/admin/recommendations/recommendation/{assignment.recommendation_id}/change/",
        "/admin/events/actor/",
    ]


def report_with_errors_then_right(page, assignment_url, found):
    """The reporting form: a submission the workflow refuses, its messages, then a right one."""
    page.goto(assignment_url)
    form = page.locator("#record-update form")
    form.locator("[name=status]").select_option("implemented")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form.locator("[name=date]").fill(tomorrow.isoformat())
    form.locator("[name=note]").fill("Рабочая группа создана.")
    form.locator("[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_evidence_url_error")).to_be_visible()
    expect(page.locator("#id_date_error")).to_be_visible()
    found[f"{assignment_url} (errors)"] = english_words(page, found["names"])

    form = page.locator("#record-update form")
    form.locator("[name=status]").select_option("in_progress")
    form.locator("[name=date]").fill("2016-03-01")
    form.locator("[type=submit]").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_be_visible()
    found[f"{assignment_url} (recorded)"] = english_words(page, found["names"])


def walk(page, language, code):
    """Every page of the walk in `language`, chosen on the sign-in page; {page: English words}."""
    names = data_names(code)
    found = {"names": names}
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    switch(page, language)
    found["/accounts/login/"] = english_words(page, names)
    for url in ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/MQ/an-invalid-token/"]:
        visit(page, url)
        found[url] = english_words(page, names)
    log_in(page, "aigerim")
    for url in main_pages():
        visit(page, url)
        found[url] = english_words(page, names)
    assignment = Assignment.objects.filter(actor__iso_code="KZ").order_by("pk").first()
    report_with_errors_then_right(page, assignment.get_absolute_url(), found)
    page.goto("/")
    found["/ (after the report)"] = english_words(page, data_names(code))
    log_out(page)
    log_in(page, "daniyar")
    for url in admin_pages():
        visit(page, url)
        if "?" in url:
            expect(page.locator("#changelist-filter")).to_be_visible()  # the filters are walked too
        found[url] = english_words(page, names, ADMIN_ALLOWED)
    log_out(page)
    del found["names"]
    return {url: words for url, words in found.items() if words}


def test_russian_and_kazakh_pages_have_no_english_left(page, world):
    page.goto("/accounts/login/")
    english = page.locator("main").inner_text()
    assert english_words(page, data_names("en")), "the detector finds the English page's words"

    results = {}
    for language, code in [("Русский", "ru"), ("Қазақша", "kk")]:
        found = walk(page, language, code)
        assert page.locator("html").get_attribute("lang") == code
        results[code] = found
    assert results == {"ru": {}, "kk": {}}, json.dumps(results, ensure_ascii=False, indent=1)

    switch(page, "English")
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main").inner_text() == english  # the same page in English is unchanged
