"""Choosing a language (docs/translations.md): the switch without JavaScript, the browser's
Accept-Language, a signed-in user's stored language on every device, the API's Content-Language
and translated errors, cached answers per language, CSV for spreadsheets, the Kazakh formats."""

import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import formats, timezone, translation
from rest_framework import serializers

from accounts.models import Profile
from api.export import _lines, columns
from recommendations.choices import CURRENT_STATUS_LABELS
from recommendations.models import StatusUpdate
from tests.conftest import PASSWORD
from tests.factories import assignment, report
from tests.helpers import postgresql_only

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


def test_the_switch_works_without_javascript(client, documents):
    page = client.get("/")
    assert html_lang(page) == "en"
    assert 'action="/i18n/setlang/"' in page.content.decode()

    switched = client.post("/i18n/setlang/", {"language": "ru", "next": "/events/"})

    assert (switched.status_code, switched["Location"]) == (302, "/events/")
    after = client.get("/events/")
    assert html_lang(after) == "ru" and after["Content-Language"] == "ru"
    assert "Язык" in after.content.decode()  # the switch's own label, from locale/ru
    assert all(f">{name}</option>" in after.content.decode() for name in ("English", "Русский", "Қазақша"))


def test_an_anonymous_reader_needs_no_csrf_token_to_switch(documents):
    reader = Client(enforce_csrf_checks=True)

    assert reader.post("/i18n/setlang/", {"language": "kk", "next": "/"}).status_code == 302
    assert html_lang(reader.get("/")) == "kk"


def test_a_signed_in_user_switches_with_the_csrf_check(focal_kz):
    user = Client(enforce_csrf_checks=True)
    user.force_login(focal_kz)

    assert user.post("/i18n/setlang/", {"language": "kk", "next": "/"}).status_code == 403
    assert not Profile.objects.filter(user=focal_kz).exists()


def test_the_first_visit_follows_accept_language(client, documents):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="kk, ru;q=0.8, en;q=0.5")

    assert html_lang(page) == "kk" and page["Content-Language"] == "kk"
    assert "Accept-Language" in page["Vary"] and "Cookie" in page["Vary"]
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="fr, en-GB;q=0.5")) == "en"


def test_a_stored_language_follows_the_user_to_another_device(focal_kz):
    laptop, phone = Client(), Client()
    laptop.force_login(focal_kz)
    laptop.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert Profile.objects.get(user=focal_kz).language == "ru"

    # The phone's browser asks for Kazakh, and had Kazakh chosen before signing in.
    phone.post("/i18n/setlang/", {"language": "kk", "next": "/"})
    assert html_lang(phone.get("/", HTTP_ACCEPT_LANGUAGE="kk")) == "kk"
    signed_in = phone.post(
        "/accounts/login/", {"username": "focal-kz", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="kk"
    )

    assert signed_in.status_code == 302 and signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert html_lang(phone.get("/", HTTP_ACCEPT_LANGUAGE="kk")) == "ru"
    assert html_lang(phone.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="kk")) == "ru"
    phone.post("/accounts/logout/")
    assert html_lang(phone.get("/", HTTP_ACCEPT_LANGUAGE="kk")) == "ru"  # the device keeps it


def test_signing_in_without_a_stored_language_changes_nothing(client, focal_kz):
    signed_in = client.post("/accounts/login/", {"username": "focal-kz", "password": PASSWORD})

    assert signed_in.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in signed_in.cookies
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="kk")) == "kk"


def test_the_admin_the_sign_in_page_and_the_browsable_api_have_the_switch(client, superuser):
    for url in ("/accounts/login/", "/admin/login/"):
        assert 'id="language-switch"' in client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode(), url
    browsable = client.get("/api/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'id="language-switch"' in browsable
    client.force_login(superuser)
    admin = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru")
    assert html_lang(admin) == "ru" and 'id="language-switch"' in admin.content.decode()


def test_api_errors_keep_their_code_and_speak_the_language(api, documents):
    english = api().post("/api/status-updates/", {}, format="json")
    russian = api().post("/api/status-updates/", {}, format="json", HTTP_ACCEPT_LANGUAGE="ru")

    assert english.status_code == russian.status_code == 401
    assert english.json()["code"] == russian.json()["code"] == "not_authenticated"
    with translation.override("ru"):  # Django REST framework's own Russian catalogue
        expected = translation.gettext("Authentication credentials were not provided.")
    assert russian.json()["detail"] == expected != english.json()["detail"]
    assert (english["Content-Language"], russian["Content-Language"]) == ("en", "ru")
    assert "Accept-Language" in russian["Vary"]


def test_the_workflows_refusals_on_the_api_speak_the_language_under_the_same_keys(api, coordinator, focal_kz, focal_kg):
    target = assignment("CSACVE-2015-1", "KZ", coordinator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    in_the_future = {"assignment": target.pk, "status": "in_progress", "date": tomorrow.isoformat()}

    def post(user, language):
        return api(user).post("/api/status-updates/", in_the_future, format="json", HTTP_ACCEPT_LANGUAGE=language)

    with translation.override("ru"):
        future = translation.gettext("The date cannot be in the future.")
        not_theirs = translation.gettext("You cannot report on the assignments of %(actor)s.") % {"actor": target.actor}
    # A 400: the workflow's date_in_future, under the field's key (a 400 carries no separate code).
    assert post(focal_kz, "en").json() == {"date": ["The date cannot be in the future."]}
    assert post(focal_kz, "ru").json() == {"date": [future]} and future != "The date cannot be in the future."
    # A 403: the same code, the message in Russian, the country's name too.
    refused = post(focal_kg, "ru")
    assert (refused.status_code, refused.json()) == (403, {"detail": not_theirs, "code": "permission_denied"})
    assert "Казахстан" in not_theirs
    assert not StatusUpdate.objects.exists()


@postgresql_only("only PostgreSQL caches answers (the data version's triggers)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_language_has_its_own_cached_answer(documents):
    reader = Client()
    pages = {language: reader.get("/events/", HTTP_ACCEPT_LANGUAGE=language) for language in ("en", "ru", "kk")}
    again = {language: reader.get("/events/", HTTP_ACCEPT_LANGUAGE=language) for language in ("en", "ru", "kk")}

    assert {language: html_lang(page) for language, page in again.items()} == {"en": "en", "ru": "ru", "kk": "kk"}
    assert all(again[language].content == pages[language].content for language in pages)


def test_csv_for_excel_starts_with_a_byte_order_mark_and_labels_the_vocabularies(api, focal_kz, coordinator):
    report(assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz)

    url = "/api/assignments/?format=csv&country=KZ&status=in_progress"
    plain = b"".join(api().get(url).streaming_content)
    excel = b"".join(api().get(f"{url}&bom=1", HTTP_ACCEPT_LANGUAGE="ru").streaming_content)

    assert not plain.startswith(b"\xef\xbb\xbf") and excel.startswith(b"\xef\xbb\xbf")
    (row,) = csv.DictReader(io.StringIO(excel.decode("utf-8-sig")))
    with translation.override("ru"):
        label = str(CURRENT_STATUS_LABELS[row["status"]])
    assert (row["status"], row["status_label"]) == ("in_progress", label)
    assert "role_label" in row


def test_csv_labels_are_written_in_the_language_of_the_request():
    class Row(serializers.Serializer):
        status = serializers.ChoiceField(choices=[("missing", translation.gettext_lazy("Not found."))])

    def export(language):
        return "".join(_lines(columns(Row()), [{"status": "missing"}], language, bom=False)).splitlines()

    with translation.override("ru"):  # Django REST framework's own Russian catalogue
        russian = translation.gettext("Not found.")
    assert export("en") == ["status,status_label", "missing,Not found."]
    assert export("ru") == ["status,status_label", f"missing,{russian}"] and russian != "Not found."


@pytest.mark.parametrize(
    "language, long, short, number",
    [
        ("kk", "2015 жылғы 29 қыркүйек", "29.09.2015", "12\xa0345,5"),
        ("ru", "29 сентября 2015 г.", "29.09.2015", "12\xa0345,5"),
        ("en", "29 September 2015", "29 Sep 2015", "12,345.5"),
    ],
)
def test_dates_and_numbers_follow_the_language(language, long, short, number):
    day = datetime.date(2015, 9, 29)
    with translation.override(language):
        assert formats.date_format(day, "DATE_FORMAT") == long
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short
        assert formats.number_format(12345.5, 1, force_grouping=True) == number
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
