"""What the dashboard, scorecards and reports say, and how statuses look everywhere."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from events.models import Actor, Event
from recommendations.choices import CURRENT_STATUS_ABBREVIATIONS, CURRENT_STATUS_ORDER, NO_REPORT, Status
from recommendations.reads import progress
from tests import factories

STYLESHEET = Path(settings.BASE_DIR, "static", "css", "cvetracker.css").read_text()
STATUS_COLOURS = Path(settings.BASE_DIR, "static", "css", "status.css").read_text()


@pytest.fixture
def reported(coordinator, focal_kz, focal_kg):
    """Kazakhstan implemented step 1 and is in progress on step 2; Kyrgyzstan stalled on step 1."""
    kz1 = factories.assignment("CSACVE-2015-1", "KZ", coordinator)
    factories.report(kz1, focal_kz, status="implemented", evidence_url="https://example.org/kz")
    factories.report(factories.assignment("CSACVE-2015-2", "KZ", coordinator), focal_kz, status="in_progress")
    factories.report(factories.assignment("CSACVE-2015-1", "KG", coordinator), focal_kg, status="stalled")
    return kz1


def cell(html, actor, column):
    """The matrix cell of `actor` in the given column (1-based)."""
    row = re.search(rf'<th scope="row"><a href="/actors/\d+/">{actor}</a></th>(.*?)</tr>', html, re.S).group(1)
    return re.findall(r"<td .*?</td>", row, re.S)[column - 1]


def test_the_dashboard_headline_figures(client, reported):
    context = client.get("/").context
    figures = context["summary"]
    assert (figures["total"], figures["implemented"], figures["stalled"], figures[NO_REPORT]) == (11, 1, 1, 8)
    assert context["event_count"] == 2 and context["recommendation_total"] == 12
    html = client.get("/").text
    assert '<span class="tile-figure">11</span> <span class="tile-label">assignments</span>' in html
    assert '<span class="tile-figure">9%</span> <span class="tile-label">implemented</span>' in html
    assert '<a href="/assignments/?overdue=true"><span class="tile-figure">9</span>' in html


def test_the_matrix_shows_countries_by_agreed_steps_with_text_and_links(client, reported):
    html = client.get("/").text
    implemented = cell(html, "Kazakhstan", 1)
    assert 'class="cell status-implemented"' in implemented
    assert f'<a href="{reported.get_absolute_url()}"' in implemented
    assert 'IM<span class="visually-hidden"> (Implemented)</span>' in implemented
    stalled = cell(html, "Kyrgyzstan", 1)
    assert "status-stalled is-overdue" in stalled and "(Stalled, overdue)" in stalled
    assert 'class="cell cell-none"><span class="visually-hidden">Not assigned</span>' in cell(html, "Kyrgyzstan", 2)
    # Every agreed step is a column, assigned or not; countries are rows.
    columns = client.get("/").context["matrix"].columns
    assert [column.code for column in columns] == [f"CSACVE-2015-{n}" for n in range(1, 8)]
    assert 'class="matrix"' in html and '<th scope="col" class="matrix-corner">Country</th>' in html


def test_the_matrix_flags_statuses_from_demo_data(client, coordinator, focal_kz):
    from cvetracker.datasets import Dataset

    factories.report(factories.assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz, dataset=Dataset.DEMO)
    html = client.get("/").text
    assert "(In progress, overdue, demo data)" in cell(html, "Kazakhstan", 1)
    assert "Some of these statuses come from illustrative demo data" in html


def test_a_focal_point_sees_their_own_figures_and_what_waits_for_them(client, focal_kz, reported):
    client.force_login(focal_kz)
    context = client.get("/").context
    assert context["my_summary"]["total"] == 3  # step 1 and 2, and the parliament's recommendation
    waiting = [f"{a.recommendation.code} {a.actor.name}" for a in context["my_attention"]]
    assert waiting == ["CTRT-2016-1 Parliament of Kazakhstan", "CSACVE-2015-2 Kazakhstan"]


def test_a_viewer_has_no_reporting_panel(client, viewer, reported):
    client.force_login(viewer)
    assert "Your reporting" not in client.get("/").text


def test_a_country_scorecard_includes_its_sub_bodies(client, reported):
    kazakhstan = Actor.objects.get(iso_code="KZ")
    response = client.get(kazakhstan.get_absolute_url())
    figures = response.context["summary"]
    assert (figures["total"], figures["implemented"], figures["in_progress"], figures[NO_REPORT]) == (3, 1, 1, 1)
    listed = {(a.recommendation.code, a.actor.name) for a in response.context["page_obj"].object_list}
    assert listed == {
        ("CSACVE-2015-1", "Kazakhstan"),
        ("CSACVE-2015-2", "Kazakhstan"),
        ("CTRT-2016-1", "Parliament of Kazakhstan"),
    }
    html = response.text
    assert "CTRT-2016-1" in html and "Parliament of Kazakhstan" in html
    assert [a.recommendation.code for a in response.context["overdue"]] == ["CSACVE-2015-2"]


def test_a_country_lists_each_event_it_or_its_bodies_took_part_in_once(client, documents):
    kazakhstan = Actor.objects.get(iso_code="KZ")
    html = client.get(kazakhstan.get_absolute_url()).text
    took_part = html[html.index("Took part in") :]
    items = re.findall(r'<li><a href="/events/\d+/">(.*?)</a> <span class="muted small">— (.*?)</span>', took_part)
    assert items == [
        # The 2016 roundtable: Kazakhstan itself is not listed, twelve of its bodies are.
        ("International roundtable discussion on countering terrorism (2016)", "12 sub-bodies took part"),
        (
            "Central and South Asian Regional Conference on Countering Violent Extremism (2015)",
            "organiser, participant; 4 sub-bodies took part",
        ),
    ]
    assert "Itself or through its sub-bodies." in took_part


def test_a_body_scorecard_shows_only_its_own_subtree(client, reported):
    parliament = Actor.objects.get(name="Parliament of Kazakhstan")
    response = client.get(parliament.get_absolute_url())
    assert response.context["summary"]["total"] == 1
    assert "Part of <a" in response.text and "Mazhilis" in response.text


def test_the_event_page_shows_provenance_and_progress_per_recommendation(client, reported):
    event = Event.objects.get(code="CSACVE-2015")
    response = client.get(event.get_absolute_url())
    html = response.text
    assert "2015 follows from its context" in html  # how the date was established
    assert "The Astana Times" in html and "Organisers" in html and "Supporter" in html
    step1 = next(r for r in response.context["recommendations"] if r.code == "CSACVE-2015-1")
    assert (step1.progress["total"], step1.progress["implemented"], step1.progress["stalled"]) == (9, 1, 1)
    assert html.index("Agreed steps") < html.index("Proposals")


def test_the_printable_report_lists_every_assignment_and_what_is_overdue(client, reported):
    event = Event.objects.get(code="CSACVE-2015")
    response = client.get(f"{event.get_absolute_url()}report/")
    html = response.text
    assert 'class="report"' in html and "Print this report" in html
    assert [a.recommendation.code for a in response.context["overdue"]][:1] == ["CSACVE-2015-1"]
    step1 = next(r for r in response.context["recommendations"] if r.code == "CSACVE-2015-1")
    assert len(step1.assignment_rows) == 9
    assert "@media print" in STYLESHEET and ".site-header, .site-footer" in STYLESHEET


def test_the_progress_bar_is_svg_with_text_and_segments_in_proportion():
    figures = progress.from_counts(implemented=2, in_progress=2, no_report=4, total=8, overdue=2)
    html = Template("{% load tracker %}{% progress_bar figures %}").render(Context({"figures": figures}))
    assert 'role="img"' in html
    assert 'aria-label="Assignments by status: Implemented 2, In progress 2, No report yet 4"' in html
    widths = [float(w) for w in re.findall(r'<rect class="fill-[a-z_]+" x="[\d.]+" y="0" width="([\d.]+)"', html)]
    assert widths == [25.0, 25.0, 50.0]
    assert "<strong>25%</strong> implemented" in html and "2 overdue" in html and "4 without a report" in html


def test_an_empty_bar_says_there_is_nothing_yet():
    figures = progress.from_counts()
    html = Template("{% load tracker %}{% progress_bar figures %}").render(Context({"figures": figures}))
    assert "No assignments yet." in html and "<svg" not in html


def _contrast(first, second):
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(first), luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("status", CURRENT_STATUS_ORDER)
def test_every_status_has_one_colour_with_aa_contrast_and_an_abbreviation(status):
    assert status in CURRENT_STATUS_ABBREVIATIONS
    background = re.search(rf"--{status}: (#[0-9a-f]{{6}});", STATUS_COLOURS).group(1)
    ink = re.search(rf"--{status}-ink: (#[0-9a-f]{{6}});", STATUS_COLOURS).group(1)
    assert _contrast(background, ink) >= 4.5
    assert f".status-{status} {{ background: var(--{status}); color: var(--{status}-ink); }}" in STATUS_COLOURS
    assert f".fill-{status} {{ fill: var(--{status}); }}" in STATUS_COLOURS


def test_the_status_order_covers_the_whole_vocabulary():
    assert sorted(CURRENT_STATUS_ORDER) == sorted([*Status.values, NO_REPORT])
