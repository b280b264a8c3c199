"""Progress through time: a row per month, each as it stood on the month's last day, rebuilt from the
dated reports with the as-of rules (recommendations.reads.progress.by_month), in the API and on the pages."""

import datetime
import math
import random
import re

import pytest
from django.utils import timezone

from events.models import Actor, Event
from recommendations.choices import Status, UpdateKind
from recommendations.models import Assignment
from recommendations.reads import progress
from tests.factories import assignment, report

pytestmark = pytest.mark.django_db

STEP = "CSACVE-2015-2"


@pytest.fixture
def history(coordinator):
    """Three assignments of one step: KZ reported in August and October 2015, KG from September 2015
    (its October report corrected in November), TJ never (made today, so it counts from today)."""
    kz, kg, tj = (assignment(STEP, iso, coordinator) for iso in ("KZ", "KG", "TJ"))
    report(kz, coordinator, "in_progress", datetime.date(2015, 8, 10))
    report(kz, coordinator, "implemented", datetime.date(2015, 10, 5), evidence_url="https://e.org/kz")
    report(kg, coordinator, "not_started", datetime.date(2015, 9, 20))
    mistaken = report(kg, coordinator, "stalled", datetime.date(2015, 10, 30))
    report(kg, coordinator, "in_progress", datetime.date(2015, 10, 30), corrects=mistaken)
    return Assignment.objects.filter(recommendation__code=STEP)


def _figures(row):
    return {name: count for name, count in row.items() if name not in {"key", "label", "day"} and count}


def test_each_month_is_what_stood_at_its_end(history):
    rows = progress.by_month(history, progress.month_ends(history))

    today = timezone.localdate()
    assert rows[0]["key"] == "2015-08"
    assert rows[-1]["key"] == f"{today:%Y-%m}" and rows[-1]["day"] == today
    assert len(rows) == (today.year - 2015) * 12 + today.month - 7
    by_key = {row["key"]: row for row in rows}
    # Recomputed by hand from the reports above; the step was due on 29 September 2015.
    assert _figures(by_key["2015-08"]) == {"in_progress": 1, "total": 1, "applicable": 1}
    assert _figures(by_key["2015-09"]) == {
        "in_progress": 1,
        "not_started": 1,
        "total": 2,
        "applicable": 2,
        "overdue": 2,
    }
    assert by_key["2015-09"]["share_implemented"] == 0
    assert _figures(by_key["2015-10"]) == {
        "implemented": 1,
        "in_progress": 1,  # the correction, not the stalled report it corrects
        "total": 2,
        "applicable": 2,
        "overdue": 1,
        "share_implemented": 0.5,
    }
    assert _figures(rows[-1]) == {
        "implemented": 1,
        "in_progress": 1,
        "no_report": 1,  # TJ, made today
        "total": 3,
        "applicable": 3,
        "overdue": 2,
        "share_implemented": 0.3333,
    }


def test_at_most_a_number_of_months_counting_back_from_the_last(history):
    days = progress.month_ends(history, until=datetime.date(2016, 11, 15), most=4)

    # August 2015 to November 2016: 16 months, so every 4th, counting back from the day asked for.
    assert days == [
        datetime.date(2015, 11, 30),
        datetime.date(2016, 3, 31),
        datetime.date(2016, 7, 31),
        datetime.date(2016, 11, 15),
    ]


def test_before_the_first_report_there_are_no_months(history):
    assert progress.month_ends(history, datetime.date(2015, 7, 31)) == []
    assert progress.by_month(history, []) == []
    assert progress.month_ends(Assignment.objects.none()) == []


def test_any_number_of_months_costs_three_queries(history, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert len(progress.by_month(history, progress.month_ends(history))) > 100


def test_each_day_equals_the_summary_as_of_that_day_on_a_varied_history(coordinator):
    # Reports, corrections and assessments at random over two events, due dates moved or cleared:
    # every day's row must be what the one-day rebuild (summary as of the day) counts, even once an
    # event's start is moved after reports on it.
    rng = random.Random(5)
    codes = ["CTRT-2016-1", "CSACVE-2015-1", "CSACVE-2015-4", "CSACVE-2015-7", "CSACVE-2015-P1"]
    made = [assignment(code, iso, coordinator) for code in codes for iso in ("KZ", "KG", "TJ", "UZ")]
    statuses = [status for status in Status.values if status != Status.IMPLEMENTED] + [Status.IMPLEMENTED] * 2
    for target in made[:-3]:  # the last three have no report: counted from the day they were made
        start = target.recommendation.event.start_date
        reports = []
        for _ in range(rng.randint(1, 5)):
            day = start + datetime.timedelta(days=rng.randint(0, 900))
            kind = UpdateKind.ASSESSMENT if rng.random() < 0.2 else UpdateKind.REPORT
            corrects = rng.choice(reports) if reports and kind == UpdateKind.REPORT and rng.random() < 0.3 else None
            status = rng.choice(statuses)
            update = report(
                target, coordinator, status, day, kind=kind, corrects=corrects, evidence_url="https://e.org/1"
            )
            reports = [one for one in reports if one != corrects] + ([update] if kind == UpdateKind.REPORT else [])
    Assignment.objects.filter(pk=made[0].pk).update(due_date=None)
    Assignment.objects.filter(pk=made[5].pk).update(due_date=datetime.date(2016, 6, 1))
    Event.objects.filter(code__startswith="CTRT").update(start_date=datetime.date(2016, 9, 1))  # after reports
    everything = Assignment.objects.filter(pk__in=[one.pk for one in made])
    days = sorted(
        {*progress.month_ends(everything), datetime.date(2015, 6, 1), datetime.date(2015, 6, 29)}
        | {datetime.date(2015, 7, 1) + datetime.timedelta(days=rng.randint(0, 1000)) for _ in range(15)}
    )

    rows = progress.by_month(everything, days)

    for day, row in zip(days, rows, strict=True):
        expected = progress.summary(everything, day)
        assert {name: row[name] for name in expected} == expected, day
    assert rows[0]["total"] == 0 and rows[-1]["total"] == len(made)


def test_the_api_gives_a_row_per_month_with_the_filters(api, history):
    kg = Actor.objects.get(iso_code="KG")
    body = (
        api()
        .get(
            "/api/progress/",
            {"by": "month", "recommendation": history[0].recommendation_id, "actor": kg.pk, "as_of": "2015-11-15"},
        )
        .json()
    )

    assert body["by"] == "month"
    assert body["count"] == 3  # September to November 2015: KG's first report is of September
    assert [(row["key"], row["label"]) for row in body["breakdown"]] == [
        ("2015-09", "September 2015"),
        ("2015-10", "October 2015"),
        ("2015-11", "November 2015"),
    ]
    assert [(row["not_started"], row["in_progress"], row["total"]) for row in body["breakdown"]] == [
        (1, 0, 1),
        (0, 1, 1),
        (0, 1, 1),
    ]
    assert body["summary"]["in_progress"] == 1


def test_the_api_before_the_first_report_has_no_rows(api, history):
    body = (
        api()
        .get("/api/progress/", {"by": "month", "as_of": "2015-07-31", "recommendation": history[0].recommendation_id})
        .json()
    )

    assert (body["count"], body["breakdown"]) == (0, [])


def test_the_actor_page_charts_a_dozen_months_with_the_figures_in_a_table(client, history):
    page = client.get(Actor.objects.get(iso_code="KG").get_absolute_url()).content.decode()

    assert 'aria-labelledby="trend-title trend-desc"' in page
    # KG's first report is of September 2015: more than a dozen months since, so every n-th month,
    # counting back from this one.
    today = timezone.localdate()
    months = (today.year - 2015) * 12 + today.month - 8
    assert f"A column every {math.ceil(months / 12)} months" in page
    rows = re.findall(r'<tr>\s*<th scope="row"><time datetime="([\d-]+)">[^<]+</time></th>(.*?)</tr>', page, re.S)
    assert len(rows) <= 12 and rows[-1][0] == f"{today:%Y-%m}"
    cells = [re.findall(r'<td class="num">([^<]*)</td>', row) for _, row in rows]
    # Implemented share, then the statuses in order (IM PI IP NS ST NA NR), then the total: step 2's
    # reports, and step 1, assigned to KG on 29 June 2015 (the documents' data) and never reported on.
    assert cells[-1] == ["0%", "·", "·", "1", "·", "·", "·", "1", "2"]


def test_a_page_without_dated_reports_says_so(client, documents):
    page = client.get(Actor.objects.get(iso_code="TJ").get_absolute_url()).content.decode()

    assert "No dated reports yet." in page and "trend-title" not in page
