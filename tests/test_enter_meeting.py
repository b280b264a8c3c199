"""Entering a meeting on one page (/coordinate/meetings/new/, workflow.enter_meeting): what a valid
entry writes, that every kind of error keeps what was typed and writes nothing, and who may."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Actor, Event, EventParticipation, SourceDocument
from recommendations import workflow
from recommendations.models import Recommendation, Theme

pytestmark = pytest.mark.django_db

URL = reverse("coordinate-meeting")
TEXT = "The ministers agreed to train public servants. They proposed a regional research network."


def entry(**changes):
    """A complete entry: an event, two participants, a document with its text, two recommendations."""
    kz, osce = Actor.objects.get(iso_code="KZ"), Actor.objects.get(short_name="OSCE")
    data = {
        "event-title_en": "Regional workshop on prevention",
        "event-code": "RWP-2017",
        "event-kind": "workshop",
        "event-start_date": "2017-05-10",
        "event-end_date": "2017-05-11",
        "event-date_note": "Dates from the press release.",
        "event-place": "Almaty",
        "event-host_country": str(kz.pk),
        "event-participants_note": "",
        "participants-TOTAL_FORMS": "4",
        "participants-INITIAL_FORMS": "0",
        "participants-0-actor": str(kz.pk),
        "participants-0-role": "organiser",
        "participants-0-note": "",
        "participants-1-actor": str(osce.pk),
        "participants-1-role": "supporter",
        "participants-1-note": "Through its Programme Office",
        "document-title": "Workshop closes",
        "document-publisher": "The Press",
        "document-kind": "News article",
        "document-published_on": "2017-05-12",
        "document-date_note": "",
        "document-language": "en",
        "document-location": "https://example.org/workshop",
        "document-text": TEXT,
        "recommendations-TOTAL_FORMS": "5",
        "recommendations-INITIAL_FORMS": "0",
        "recommendations-0-kind": "agreed_step",
        "recommendations-0-code": "",
        "recommendations-0-title_en": "Train public servants",
        "recommendations-0-text_en": "Train public servants in CVE.",
        "recommendations-0-source_quote": "agreed to train  public servants",
        "recommendations-0-themes": [str(Theme.objects.order_by("pk").first().pk)],
        "recommendations-0-due_date": "2018-01-01",
        "recommendations-0-milestone": "",
        "recommendations-1-kind": "proposal",
        "recommendations-1-code": "",
        "recommendations-1-title_en": "Research network",
        "recommendations-1-text_en": "A regional research network.",
        "recommendations-1-source_quote": "a regional research network",
        "recommendations-1-due_date": "",
        "recommendations-1-milestone": "Next ministerial",
    }
    for blank in range(2, 5):  # the blank rows a browser sends: the default kind, nothing else
        data[f"recommendations-{blank}-kind"] = "agreed_step"
    return {**data, **changes}


def written():
    models = [Event, EventParticipation, SourceDocument, Recommendation]
    return {model.__name__: model.objects.count() for model in models}


def field_errors(html, name):
    """The messages shown beside the field `name` (its error list, as Django renders it)."""
    match = re.search(rf'<ul class="errorlist" id="id_{re.escape(name)}_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


def value_of(html, name):
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_valid_entry_writes_exactly_the_event_its_document_participants_and_recommendations(signed_in):
    before = written()
    response = signed_in.post(URL, entry())

    event = Event.objects.get(code="RWP-2017")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert written() == {
        "Event": before["Event"] + 1,
        "EventParticipation": before["EventParticipation"] + 2,
        "SourceDocument": before["SourceDocument"] + 1,
        "Recommendation": before["Recommendation"] + 2,
    }
    assert (event.title_en, event.place, event.host_country.iso_code) == (
        "Regional workshop on prevention",
        "Almaty",
        "KZ",
    )
    assert sorted(event.participations.values_list("role", "note")) == [
        ("organiser", ""),
        ("supporter", "Through its Programme Office"),
    ]
    document = event.documents.get()
    assert (document.title, document.text, document.language) == ("Workshop closes", TEXT, "en")
    step, proposal = event.recommendations.order_by("sequence")
    # Codes suggested from the event's, numbered as the documents number them.
    assert [(r.code, r.sequence, r.kind) for r in (step, proposal)] == [
        ("RWP-2017-1", 1, "agreed_step"),
        ("RWP-2017-P1", 2, "proposal"),
    ]
    assert step.source_document == document and step.title_en == "Train public servants"
    assert list(step.themes.all()) == [Theme.objects.order_by("pk").first()]
    assert (str(step.due_date), proposal.due_date, proposal.milestone) == ("2018-01-01", None, "Next ministerial")
    assert (
        "Entered Regional workshop on prevention (2017) with 2 recommendations."
        in signed_in.get(response["Location"]).content.decode()
    )


def test_the_order_field_reorders_the_rows_and_a_typed_code_is_kept(signed_in):
    signed_in.post(
        URL, entry(**{"recommendations-0-ORDER": "2", "recommendations-1-ORDER": "1", "recommendations-0-code": "X-9"})
    )
    rows = Recommendation.objects.filter(event__code="RWP-2017").order_by("sequence")
    assert [(r.code, r.sequence) for r in rows] == [("RWP-2017-P1", 1), ("X-9", 2)]


def test_an_attached_text_file_is_the_documents_text(signed_in):
    data = entry(**{"document-text": ""})
    data["document-text_file"] = SimpleUploadedFile("text.txt", TEXT.encode(), content_type="text/plain")
    assert signed_in.post(URL, data).status_code == 302
    assert SourceDocument.objects.get(title="Workshop closes").text == TEXT


def _refused(client, data):
    before = written()
    response = client.post(URL, data)
    assert response.status_code == 200
    assert written() == before, "nothing is written"
    html = response.content.decode()
    assert "Nothing was saved: please correct the errors marked below." in html
    # Whatever was typed is on the page again.
    assert value_of(html, "event-place") == data["event-place"]
    assert value_of(html, "recommendations-1-title_en") == data["recommendations-1-title_en"]
    assert "agreed to train  public servants</textarea>" in html
    return html


def test_a_quote_not_in_the_attached_text_is_an_error_beside_it(signed_in):
    html = _refused(signed_in, entry(**{"recommendations-1-source_quote": "a global database"}))
    assert field_errors(html, "recommendations-1-source_quote") == [
        "This wording does not appear in the source document."
    ]
    assert field_errors(html, "recommendations-0-source_quote") == []
    assert "a global database</textarea>" in html


def test_without_a_text_any_quote_is_taken(signed_in):
    signed_in.post(URL, entry(**{"document-text": "", "recommendations-1-source_quote": "anything"}))
    assert Recommendation.objects.get(code="RWP-2017-P1").source_quote == "anything"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"event-title_en": ""}, "event-title_en", "This field is required."),
        ({"event-code": "CSACVE-2015"}, "event-code", "Event with this Code already exists."),
        ({"event-end_date": "2017-05-01"}, "event-__all__", "The end date cannot be before the start date."),
        ({"document-publisher": ""}, "document-publisher", "This field is required."),
        ({"recommendations-1-text_en": ""}, "recommendations-1-text_en", "This field is required."),
        ({"recommendations-1-code": "CSACVE-2015-1"}, "recommendations-1-code", None),
        ({"recommendations-1-due_date": "2017-01-01"}, "recommendations-1-due_date", None),
        ({"recommendations-1-code": "SAME", "recommendations-0-code": "SAME"}, "recommendations-1-code", None),
        ({"participants-1-actor": "999999"}, "participants-1-actor", None),
        (
            {"participants-1-actor": None, "participants-1-role": "organiser"},
            "participants-1-__all__",
            "Event participation with this Event, Actor and Role already exists.",
        ),
    ],
    ids=[
        "event without title",
        "event code taken",
        "ends before it starts",
        "document without publisher",
        "recommendation without text",
        "code taken",
        "due before the event",
        "two rows with one code",
        "unknown actor",
        "same participant twice",
    ],
)
def test_each_kind_of_error_is_shown_beside_its_field_and_keeps_the_input(signed_in, changes, field, message):
    data = entry()
    for name, value in changes.items():
        data[name] = value if value is not None else data["participants-0-actor"]
    html = _refused(signed_in, data)
    if field.endswith("__all__"):
        form = field.removesuffix("-__all__")
        assert message in html, form
    else:
        errors = field_errors(html, field)
        assert errors, f"an error beside {field}"
        if message:
            assert errors == [message]


def test_add_rows_sends_the_page_back_with_more_rows_and_no_errors(signed_in):
    before = written()
    data = entry(**{"event-code": "", "add_rows": "1"})
    html = signed_in.post(URL, data).content.decode()
    assert written() == before
    assert value_of(html, "recommendations-TOTAL_FORMS") == "10"
    assert value_of(html, "participants-TOTAL_FORMS") == "9"
    assert 'name="recommendations-9-title_en"' in html
    assert value_of(html, "recommendations-1-title_en") == "Research network"
    assert "errorlist" not in html and "Nothing was saved" not in html


def test_add_rows_with_a_tampered_row_count_is_the_formsets_error_not_a_500(signed_in):
    before = written()
    answer = signed_in.post(URL, entry(**{"participants-TOTAL_FORMS": "many", "add_rows": "1"}))
    assert answer.status_code == 200
    assert written() == before


def test_the_document_language_is_named_in_the_readers_language(signed_in):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = signed_in.get(URL).content.decode()
    assert '<option value="kk">Казахский</option>' in html
    assert '<option value="en" selected>Английский</option>' in html


def test_the_blank_page_offers_the_rows_and_the_nav_link(signed_in):
    html = signed_in.get(URL).content.decode()
    assert value_of(html, "recommendations-TOTAL_FORMS") == "5"
    assert value_of(html, "participants-TOTAL_FORMS") == "4"
    assert 'enctype="multipart/form-data"' in html
    assert f'<a href="{URL}" aria-current="page" class="current">Enter a meeting</a>' in html


def test_the_nav_link_is_for_coordinators_only(client, viewer, focal_kz):
    assert f'href="{URL}"' not in client.get("/").content.decode()
    for user in (viewer, focal_kz):
        client.force_login(user)
        assert f'href="{URL}"' not in client.get("/").content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ["viewer", "focal_kz"])
def test_other_signed_in_users_are_refused(client, request, role, method):
    client.force_login(request.getfixturevalue(role))
    before = written()
    assert getattr(client, method)(URL, entry() if method == "post" else None).status_code == 403
    assert written() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_out_visitors_are_sent_to_sign_in(client, documents, method):
    before = written()
    response = getattr(client, method)(URL, entry() if method == "post" else None)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert written() == before


def test_the_workflow_refuses_anyone_but_a_coordinator(viewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        workflow.enter_meeting(by=viewer, event=Event(), document=SourceDocument())


def test_the_workflow_says_which_row_is_wrong_and_writes_nothing(coordinator):
    event = Event(title_en="Meeting", code="M-1", kind="meeting", start_date="2017-01-01")
    document = SourceDocument(title="Notes", publisher="Office", text="We agreed on one thing.")
    good = Recommendation(kind="agreed_step", title="One", text="One.", source_quote="agreed on one thing")
    bad = Recommendation(kind="agreed_step", title="Two", text="Two.", source_quote="two things")
    before = written()
    with pytest.raises(workflow.MeetingRefused) as refused:
        workflow.enter_meeting(by=coordinator, event=event, document=document, recommendations=[(good, []), (bad, [])])
    assert list(refused.value.parts["recommendations"]) == [1]
    assert refused.value.parts["recommendations"][1].message_dict == {
        "source_quote": ["This wording does not appear in the source document."]
    }
    assert written() == before
