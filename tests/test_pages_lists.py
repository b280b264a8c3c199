"""The list pages: shared FilterSets, sorting, pagination, CSV export and bad input."""

import datetime
import re

import pytest
from django.urls import reverse

from cvetracker.datasets import Dataset
from events.filters import ActorFilterSet, EventFilterSet
from events.models import Actor, Event
from recommendations.filters import AssignmentFilterSet, RecommendationFilterSet, StatusUpdateFilterSet
from tests import factories
from web import forms, views

LISTS = ["event-list", "recommendation-list", "actor-list", "assignment-list"]

# The list's "Download CSV" link (its full name, "… of these rows", is for screen readers).
EXPORT_LINK = r'href="([^"]+)" download><span aria-hidden="true">Download CSV'


def table(html):
    """The results table alone (the filter form's options name every actor and event)."""
    match = re.search(r'<table class="data[ "].*?</table>', html, re.S)
    return match.group(0) if match else ""


def codes(html):
    """Recommendation codes in the order the table rows show them."""
    return re.findall(r'<td class="nowrap"><a href="/recommendations/\d+/">([A-Z0-9-]+)</a></td>', html)


def test_filters_narrow_each_list(client, documents):
    organisations = table(client.get("/actors/?kind=international_organisation").text)
    assert "United Nations" in organisations and "Afghanistan" not in organisations
    events = table(client.get("/events/?year=2015").text)
    assert "Central and South Asian" in events and "International roundtable" not in events
    assert codes(client.get("/recommendations/?kind=proposal").text) == [f"CSACVE-2015-P{n}" for n in range(1, 5)]
    html = client.get("/assignments/?country=KZ").text
    assert "2 assignments match the filters" in html
    assert "Parliament of Kazakhstan" in table(html) and "Kyrgyzstan" not in table(html)


def test_the_filter_form_is_the_filtersets_form_with_native_widgets(client, documents):
    html = client.get("/assignments/?status=no_report&overdue=true").text
    assert '<input type="checkbox" name="status" value="no_report" id="id_status_6" checked>' in html
    assert '<option value="true" selected>Yes</option>' in html
    assert '<input type="date" name="due_before"' in html
    assert '<label for="id_ordering">Sort by:</label>' in html


@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/events/?year=abc", "year", "Enter a whole number."),
        ("/events/?starts_after=31-31-2020", "starts_after", "Enter a valid date."),
        ("/recommendations/?event=999999", "event", "Select a valid choice."),
        ("/actors/?region=nowhere", "region", "Select a valid choice."),
        ("/assignments/?status=done", "status", "Select a valid choice. done is not one of the available choices."),
        ("/assignments/?ordering=nonsense", "ordering", "Select a valid choice."),
        ("/assignments/?country=XX", "country", "No country has the code XX."),
        ("/recommendations/?actor=%D9%A1", "actor", "Not an id"),  # an Arabic-Indic 1
        ("/assignments/?recommendation=99999", "recommendation", "Select a valid choice."),
    ],
)
def test_invalid_filter_input_shows_the_error_beside_the_field(client, documents, url, field, message):
    response = client.get(url)
    assert response.status_code == 200
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.text, re.S)
    assert error and message in error.group(1)
    assert "Some filters are not valid" in response.text
    assert '<table class="data' not in response.text


def test_column_headers_sort_through_the_filtersets_ordering(client, documents):
    html = client.get("/recommendations/?kind=agreed_step&ordering=-code").text
    assert codes(html) == [f"CSACVE-2015-{n}" for n in range(7, 0, -1)]
    assert (
        '<th scope="col" aria-sort="descending"><a class="sort-link" href="?kind=agreed_step&amp;ordering=code">'
        in (html)
    )


def test_pagination_keeps_the_filters_and_order(client, documents, monkeypatch):
    monkeypatch.setattr(views.RecommendationListView, "paginate_by", 3)
    first = client.get("/recommendations/?kind=agreed_step&ordering=code").text
    assert codes(first) == ["CSACVE-2015-1", "CSACVE-2015-2", "CSACVE-2015-3"]
    assert 'href="?kind=agreed_step&amp;ordering=code&amp;page=2" rel="next"' in first
    assert "Page 1 of 3" in first
    third = client.get("/recommendations/?kind=agreed_step&ordering=code&page=3").text
    assert codes(third) == ["CSACVE-2015-7"]


def test_sorting_goes_back_to_the_first_page(client, documents):
    html = client.get("/recommendations/?kind=agreed_step&page=1").text
    assert 'href="?kind=agreed_step&amp;ordering=code"' in html


@pytest.mark.parametrize("page", ["999", "x"])
def test_a_page_past_the_end_is_not_found(client, documents, page):
    assert client.get(f"/events/?page={page}").status_code == 404


@pytest.mark.parametrize(
    ("page", "api"),
    [
        ("event-list", "api:events-list"),
        ("recommendation-list", "api:recommendations-list"),
        ("actor-list", "api:actors-list"),
        ("assignment-list", "api:assignments-list"),
    ],
)
def test_each_list_exports_the_same_filtered_rows_through_the_api(client, documents, page, api):
    html = client.get(f"{reverse(page)}?search=kaz&page=1").text
    export = re.search(r'<a class="button button-secondary" ' + EXPORT_LINK, html).group(1)
    assert export.replace("&amp;", "&") == f"{reverse(api)}?search=kaz&format=csv"


def test_the_csv_export_link_answers_with_the_filtered_rows(client, documents):
    html = client.get("/assignments/?country=KZ").text
    export = re.search(EXPORT_LINK, html).group(1).replace("&amp;", "&")
    response = client.get(export)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    csv = b"".join(response.streaming_content).decode()
    assert len(csv.strip().splitlines()) == 3  # the header, Kazakhstan's and its parliament's assignment
    assert "Parliament of Kazakhstan" in csv


def test_rows_from_demo_data_carry_a_badge(client, coordinator, focal_kz):
    assignment = factories.assignment("CSACVE-2015-1", "KZ", coordinator)
    factories.report(assignment, focal_kz, dataset=Dataset.DEMO)
    html = client.get("/assignments/?country=KZ").text
    assert html.count('<span class="badge badge-demo"') == 1 + 1  # the row, and the footer's explanation


def test_the_actor_list_counts_sub_bodies_assignments(client, documents):
    response = client.get("/actors/?kind=country")
    kazakhstan = next(actor for actor in response.context["object_list"] if actor.iso_code == "KZ")
    assert kazakhstan.progress["total"] == 2  # its own step 1, and its parliament's roundtable recommendation
    parliament = Actor.objects.get(name="Parliament of Kazakhstan")
    assert "Mazhilis" in client.get(f"/actors/?parent={parliament.pk}").text


def test_empty_results_say_so(client, documents):
    html = client.get("/events/?search=nothing-like-this").text
    assert "0 events match the filters" in html and "Nothing matches" in html


def select_options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)


def test_the_actor_select_offers_countries_and_organisations_and_keeps_a_chosen_body(client, documents):
    parliament = Actor.objects.get(name="Parliament of Kazakhstan")
    html = client.get(f"/assignments/?actor={parliament.pk}").text
    options = select_options(html, "actor")
    assert options[0] == ("", "", "Any")
    offered = {label for _, _, label in options[1:]}
    assert {"Kazakhstan", "United Nations", "Lapis Communications"} <= offered
    assert "Committee of the Penal System" not in offered
    assert (str(parliament.pk), " selected", "Parliament of Kazakhstan") in options
    assert "CTRT-2016-1" in table(html) and "1 assignment matches the filters" in html


def test_the_event_select_offers_the_most_recent_events_and_keeps_an_older_one_chosen(client, documents):
    Event.objects.bulk_create(
        Event(
            title=f"Meeting {n}",
            code=f"M-{n}",
            kind="meeting",
            start_date=datetime.date(2017, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(forms.RECENT_EVENTS + 5)
    )
    oldest = Event.objects.get(code="CSACVE-2015")
    options = select_options(client.get(f"/recommendations/?event={oldest.pk}").text, "event")
    assert len(options) == 1 + forms.RECENT_EVENTS + 1  # "Any", the recent ones, and the one in use
    assert options[1][2] == f"Meeting {forms.RECENT_EVENTS + 4} (2017)"
    assert (str(oldest.pk), " selected", str(oldest)) in options


def test_the_assignment_list_adds_up_its_figures_only_when_filtered(client, documents):
    assert "Progress of these assignments" not in client.get("/assignments/").text
    assert "Progress of these assignments" not in client.get("/assignments/?search=&ordering=status").text
    filtered = client.get("/assignments/?country=KZ")
    assert filtered.context["summary"]["total"] == 2
    assert "Progress of these assignments" in filtered.text


@pytest.mark.parametrize(
    "filterset", [EventFilterSet, ActorFilterSet, RecommendationFilterSet, AssignmentFilterSet, StatusUpdateFilterSet]
)
def test_every_filter_has_a_label_and_a_help_text_a_reader_understands(filterset):
    for name, declared in filterset.base_filters.items():
        label = str(declared.label or "")
        assert label and " id" not in label.lower() and "iso" not in label.lower(), (name, label)
        if name != "ordering":
            assert declared.extra.get("help_text"), name
    for value, label in filterset.base_filters["ordering"].extra["choices"]:
        assert "Iso" not in label and "_" not in label, (value, label)
