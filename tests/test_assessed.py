"""The independent assessment beside the self-report, everywhere: the lists, the scorecard, the matrix,
the event report, the API and the exports show both statuses and flag where they disagree, and
`?disagrees=true` keeps exactly the assignments whose assessment disagrees (counted here by hand)."""

import csv
import datetime
import io
import re

import pytest

from events.models import Actor
from recommendations.models import Assignment
from tests.factories import assignment, report

pytestmark = pytest.mark.django_db

FLAG = "Disagrees with the self-report"
EVIDENCE = {"evidence_url": "https://example.org/evidence"}
PAST = datetime.date(2015, 10, 1)  # after the first assessments, before the later ones


@pytest.fixture
def assessed(coordinator):
    """Self-reports and assessments of the conference's first two steps: some agree, some disagree,
    one assessment without any report, one assignment never assessed; one assessment corrected."""
    step = {iso: assignment("CSACVE-2015-1", iso, coordinator) for iso in ("KZ", "KG", "TJ", "AF")}
    second = assignment("CSACVE-2015-2", "KZ", coordinator)

    def assess(row, status, day, **extra):
        return report(row, coordinator, status, day, kind="assessment", **extra)

    report(step["KZ"], coordinator, "in_progress", datetime.date(2015, 8, 1))
    assess(step["KZ"], "in_progress", datetime.date(2015, 9, 1))  # agreed then
    assess(step["KZ"], "stalled", datetime.date(2016, 2, 1))  # disagrees now
    report(step["KG"], coordinator, "implemented", datetime.date(2015, 9, 10), **EVIDENCE)
    wrong = assess(step["KG"], "stalled", datetime.date(2015, 9, 20))  # disagreed then
    assess(step["KG"], "implemented", datetime.date(2015, 9, 20), corrects=wrong, **EVIDENCE)  # corrected: agrees
    report(step["TJ"], coordinator, "in_progress", datetime.date(2015, 9, 1))  # never assessed
    assess(step["AF"], "not_started", datetime.date(2015, 9, 15))  # no report at all: disagrees
    report(second, coordinator, "not_started", datetime.date(2015, 9, 20))
    assess(second, "in_progress", datetime.date(2016, 3, 1))  # disagrees, from 2016
    return {**step, "second": second}


def by_hand(rows):
    """The disagreeing ones, by the definition: an assessment exists and differs from the self-report."""
    return {row.pk for row in rows if row.assessed_status and row.assessed_status != row.status}


def listed_ids(html):
    return {int(pk) for pk in re.findall(r'href="/assignments/(\d+)/"', html)}


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_the_rule_is_one_in_memory_and_in_the_database(assessed):
    rows = list(Assignment.objects.all())
    expected = {assessed[key].pk for key in ("KZ", "AF", "second")}

    assert by_hand(rows) == expected
    assert {row.pk for row in rows if row.disagrees} == expected
    assert set(Assignment.objects.disagreeing().values_list("pk", flat=True)) == expected


def test_the_assignment_list_filters_on_it_and_shows_both_statuses(client, assessed):
    disagreeing = client.get("/assignments/?disagrees=true")
    agreeing = client.get("/assignments/?disagrees=false")
    everything = client.get("/assignments/").content.decode()

    assert listed_ids(disagreeing.content.decode()) == by_hand(Assignment.objects.all())
    assert listed_ids(agreeing.content.decode()) == set(Assignment.objects.values_list("pk", flat=True)) - by_hand(
        Assignment.objects.all()
    )
    assert everything.count(FLAG) == 3
    assert everything.count("Independent assessment:") == 4  # every assessed one, agreeing or not
    assert "Stalled" in everything  # Kazakhstan's assessment, beside its "In progress"


def test_a_value_other_than_true_or_false_is_refused(client, api, assessed):
    assert api().get("/api/assignments/?disagrees=maybe").status_code == 400
    assert "Select a valid choice" in client.get("/assignments/?disagrees=maybe").content.decode()


def test_the_api_and_its_csv_give_both_statuses_and_exactly_the_disagreeing(api, assessed):
    expected = by_hand(Assignment.objects.all())
    listed = api().get("/api/assignments/?disagrees=true&page_size=100").json()["results"]
    exported = csv_rows(api().get("/api/assignments/?disagrees=true&format=csv"))
    kz = api().get(f"/api/assignments/{assessed['KZ'].pk}/").json()

    assert {row["id"] for row in listed} == expected
    assert {int(row["id"]) for row in exported} == expected
    assert (kz["status"], kz["assessed_status"], kz["disagrees"]) == ("in_progress", "stalled", True)
    af = next(row for row in exported if int(row["id"]) == assessed["AF"].pk)
    assert (af["status"], af["assessed_status"], af["disagrees"]) == ("no_report", "not_started", "true")
    tj = api().get(f"/api/assignments/{assessed['TJ'].pk}/").json()
    assert (tj["assessed_status"], tj["disagrees"]) == (None, False)


def test_the_xlsx_export_has_both_statuses(api, assessed):
    from openpyxl import load_workbook

    response = api().get("/api/assignments/?disagrees=true&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.values)
    shown = {
        row[header.index("id")]: (row[header.index("assessed_status")], row[header.index("disagrees")]) for row in rows
    }

    assert set(shown) == by_hand(Assignment.objects.all())
    assert shown[assessed["KZ"].pk] == ("stalled", True)


def cell(html, pk):
    """The matrix cell of assignment `pk`: its link's title and content."""
    found = re.search(rf'<a href="/assignments/{pk}/" title="([^"]*)">(.*?)</a>', html, re.S)
    assert found, pk
    return found.groups()


def test_the_matrix_shows_the_assessment_under_the_status_and_flags_disagreement(client, assessed):
    html = client.get("/events/1/").content.decode()

    title, content = cell(html, assessed["KZ"].pk)
    assert "independent assessment: Stalled, disagrees with the self-report" in title
    assert "≠ ST" in content and "disagrees with the self-report" in content
    title, content = cell(html, assessed["KG"].pk)
    assert "independent assessment: Implemented" in title and "disagrees" not in title
    assert "= IM" in content
    title, content = cell(html, assessed["TJ"].pk)
    assert "assessment" not in title and "cell-assessed" not in content


def test_the_matrix_as_of_a_past_day_shows_the_assessment_that_stood_then(client, assessed):
    html = client.get(f"/events/1/?as_of={PAST:%Y-%m-%d}").content.decode()

    title, _ = cell(html, assessed["KZ"].pk)  # assessed in progress by then, as reported
    assert "independent assessment: In progress" in title and "disagrees" not in title
    title, _ = cell(html, assessed["KG"].pk)  # the stalled assessment stood corrected by then
    assert "independent assessment: Implemented" in title and "disagrees" not in title
    title, _ = cell(html, assessed["AF"].pk)
    assert "independent assessment: Not started, disagrees" in title


def test_the_scorecard_shows_both_statuses(client, assessed):
    html = client.get(f"/actors/{assessed['KZ'].actor_id}/").content.decode()
    past = client.get(f"/actors/{assessed['KZ'].actor_id}/?as_of={PAST:%Y-%m-%d}").content.decode()

    assert html.count("Independent assessment:") == 2 and html.count(FLAG) == 2
    # On the past day the first step's assessment agreed and the second had none yet.
    assert past.count("Independent assessment:") == 1 and FLAG not in past


def test_the_event_report_and_the_recommendation_page_show_both_statuses(client, assessed):
    report_page = client.get("/events/1/report/").content.decode()
    recommendation = client.get(f"/recommendations/{assessed['KZ'].recommendation_id}/").content.decode()

    # KZ and AF on the first step, KZ on the second: in the rows of each step, and again among the
    # overdue (all three are past the steps' due date and not implemented).
    assert report_page.count(FLAG) == 3 * 2
    assert recommendation.count("Independent assessment:") == 3 and recommendation.count(FLAG) == 2


def test_the_assignment_page_flags_the_disagreement(client, assessed):
    assert FLAG in client.get(f"/assignments/{assessed['KZ'].pk}/").content.decode()
    assert FLAG not in client.get(f"/assignments/{assessed['KG'].pk}/").content.decode()


# Figures as assessed ------------------------------------------------------------------------------

STATUSES = ["implemented", "partially_implemented", "in_progress", "not_started", "stalled", "not_applicable"]


def as_assessed_by_hand(assignments, day=None):
    """Counts per status with each assignment's assessment where it has one (that stood on `day`), else
    its self-report (that stood then), counted here from the updates themselves."""
    counts = dict.fromkeys([*STATUSES, "no_report"], 0)
    for row in assignments:
        updates = [u for u in row.updates.all() if day is None or u.date <= day]
        if day is not None and not updates and row.created_at.date() > day:
            continue  # did not exist yet
        standing = {}
        for kind in ("report", "assessment"):
            mine = [u for u in updates if u.kind == kind and not u.corrections.exists()]
            standing[kind] = max(mine, key=lambda u: (u.date, u.created_at, u.pk)).status if mine else None
        counts[standing["assessment"] or standing["report"] or "no_report"] += 1
    return counts


def figures_of(row):
    return {key: row[key] for key in [*STATUSES, "no_report"]}


def test_the_api_gives_figures_as_assessed_against_a_hand_count(api, assessed):
    everything = Assignment.objects.all()
    reported = api().get("/api/progress/").json()
    as_assessed = api().get("/api/progress/?basis=assessed").json()
    by_event = api().get("/api/progress/?basis=assessed&by=event").json()["breakdown"]
    past = api().get(f"/api/progress/?basis=assessed&as_of={PAST:%Y-%m-%d}").json()

    assert as_assessed["basis"] == "assessed" and reported["basis"] == "reported"
    assert figures_of(as_assessed["summary"]) == as_assessed_by_hand(everything)
    assert as_assessed["summary"]["stalled"] == 1 and reported["summary"]["stalled"] == 0  # Kazakhstan's
    first_event = next(row for row in by_event if row["key"] == 1)
    assert figures_of(first_event) == as_assessed_by_hand(everything.filter(recommendation__event=1))
    assert figures_of(past["summary"]) == as_assessed_by_hand(everything, PAST)
    # The two bases differ by the disagreeing assignments alone.
    agreeing = api().get("/api/progress/?basis=assessed&disagrees=false").json()["summary"]
    assert agreeing == api().get("/api/progress/?disagrees=false").json()["summary"]


def test_the_csv_of_figures_takes_the_basis(api, assessed):
    (row,) = csv_rows(api().get("/api/progress/?basis=assessed&format=csv"))

    assert {key: int(row[key]) for key in [*STATUSES, "no_report"]} == as_assessed_by_hand(Assignment.objects.all())


def test_an_unknown_basis_is_refused(api, client, assessed):
    response = api().get("/api/progress/?basis=guessed")
    page = client.get("/?basis=guessed")

    assert response.status_code == 400 and "basis" in response.json()
    by_month = api().get("/api/progress/?basis=assessed&by=month")  # by month is as self-reported only
    assert by_month.status_code == 400 and "basis" in by_month.json()
    assert "Figures are as self-reported or as assessed" in page.content.decode()
    assert page.context["basis"] == "reported"


@pytest.mark.parametrize("url", ["/", "/events/1/", "/events/1/report/", "/actors/{KZ}/", "/recommendations/{rec}/"])
def test_the_pages_figures_as_assessed_against_a_hand_count(client, assessed, url):
    url = url.format(KZ=assessed["KZ"].actor_id, rec=assessed["KZ"].recommendation_id)
    scope = {
        "/": Assignment.objects.all(),
        "/events/1/": Assignment.objects.filter(recommendation__event=1),
        "/events/1/report/": Assignment.objects.filter(recommendation__event=1),
        f"/actors/{assessed['KZ'].actor_id}/": Assignment.objects.filter(
            actor__in=Actor.objects.subtree_ids([assessed["KZ"].actor_id])  # its bodies' too
        ),
        f"/recommendations/{assessed['KZ'].recommendation_id}/": Assignment.objects.filter(
            recommendation=assessed["KZ"].recommendation_id
        ),
    }[url]
    for day in (None, PAST):
        query = "?basis=assessed" + (f"&as_of={day:%Y-%m-%d}" if day else "")
        response = client.get(url + query)
        assert figures_of(response.context["summary"]) == as_assessed_by_hand(scope, day), day
        assert "Show the self-reported figures" in response.content.decode()
    assert "Show the self-reported figures" not in client.get(url).content.decode()


def test_figures_as_assessed_cost_the_queries_the_self_reported_do(client, assessed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in ("/", "/events/1/", f"/actors/{assessed['KZ'].actor_id}/", "/api/progress/?by=event"):
        separator = "&" if "?" in url else "?"
        with CaptureQueriesContext(connection) as reported:
            client.get(url)
        with CaptureQueriesContext(connection) as as_assessed:
            client.get(f"{url}{separator}basis=assessed")
        assert len(as_assessed) == len(reported), url
