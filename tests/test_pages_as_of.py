"""The pages as of a past day (?as_of=YYYY-MM-DD): the dashboard, event, actor and recommendation pages
and the printable report show the state on that day, rebuilt from the dated updates. Each figure is
checked against one counted here, by hand, from the updates themselves."""

import datetime
import re
from collections import Counter

import pytest
from django.utils import timezone, translation

from events.models import Actor, Event
from recommendations.models import Assignment, Recommendation, StatusUpdate
from tests import factories
from tests.helpers import postgresql_only
from tests.test_cache import committing, get

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2015, 6, 28)  # the day before the first event (the conference, 29 June 2015)
SUMMIT = datetime.date(2015, 9, 29)  # the CVE summit, the agreed steps' due date
BETWEEN = datetime.date(2016, 4, 1)  # after the roundtable, between Kazakhstan's report and Afghanistan's
DAYS = (BEFORE, SUMMIT, BETWEEN)
COUNTED = ["implemented", "partially_implemented", "in_progress", "not_started", "stalled", "not_applicable"]


@pytest.fixture
def history(coordinator):
    """Dated reports on the agreed steps, some recorded for days long past (as when old reports are
    entered afterwards), one corrected."""
    step = {iso: factories.assignment("CSACVE-2015-1", iso, coordinator) for iso in ("KZ", "KG", "TJ", "AF")}
    evidence = {"evidence_url": "https://example.org/evidence"}
    factories.report(step["KZ"], coordinator, "in_progress", datetime.date(2015, 8, 1))
    factories.report(step["KZ"], coordinator, "implemented", datetime.date(2016, 3, 10), **evidence)
    wrong = factories.report(step["TJ"], coordinator, "not_started", datetime.date(2015, 9, 1))
    factories.report(step["TJ"], coordinator, "in_progress", datetime.date(2015, 9, 1), corrects=wrong)
    factories.report(step["KG"], coordinator, "stalled", datetime.date(2015, 10, 15))
    factories.report(step["AF"], coordinator, "implemented", datetime.date(2016, 5, 1), **evidence)
    # Assigned today, with a report for a day before the summit: it existed from then.
    second = factories.assignment("CSACVE-2015-2", "KZ", coordinator)
    factories.report(second, coordinator, "not_started", datetime.date(2015, 9, 20))
    return step


def by_hand(day, assignments):
    """The figures of `assignments` on `day`, counted here from each one's updates: an assignment counts
    if its event had begun and it was made by then (or has a report dated by then); its status is
    that of its latest report dated by then that no other corrects."""
    counts = Counter(dict.fromkeys([*COUNTED, "no_report", "total", "overdue"], 0))
    for assignment in assignments:
        reports = [u for u in StatusUpdate.objects.filter(assignment=assignment, kind="report") if u.date <= day]
        made = assignment.created_at.date() <= day or reports
        if assignment.recommendation.event.start_date > day or not made:
            continue
        standing = [u for u in reports if not StatusUpdate.objects.filter(corrects=u).exists()]
        status = max(standing, key=lambda u: (u.date, u.created_at, u.pk)).status if standing else "no_report"
        counts[status] += 1
        counts["total"] += 1
        if assignment.due_date and assignment.due_date < day and status not in ("implemented", "not_applicable"):
            counts["overdue"] += 1
    return dict(counts)


def shown(figures):
    return {key: figures[key] for key in [*COUNTED, "no_report", "total", "overdue"]}


def page(client, url, day):
    response = client.get(url, {"as_of": day.isoformat()})
    assert response.status_code == 200, url
    return response


def test_the_dashboard_as_of_three_days(client, history):
    every = Assignment.objects.all()
    expected = {
        BEFORE: {"total": 0, "no_report": 0, "in_progress": 0},
        # The nine assignments of step 1 (recorded on the day of the conference) and Kazakhstan's
        # step 2 (reported on for 20 September); the roundtable's is not there yet.
        SUMMIT: {"total": 10, "in_progress": 2, "not_started": 1, "no_report": 7, "implemented": 0, "overdue": 0},
        BETWEEN: {"total": 11, "implemented": 1, "stalled": 1, "in_progress": 1, "no_report": 7, "overdue": 9},
    }
    for day in DAYS:
        context = page(client, "/", day).context
        assert shown(context["summary"]) == by_hand(day, every)
        assert expected[day].items() <= shown(context["summary"]).items(), day
        held = Event.objects.filter(start_date__lte=day)
        assert context["event_count"] == held.count() == {BEFORE: 0, SUMMIT: 1, BETWEEN: 2}[day]
        latest = held.order_by("-start_date").values_list("pk", flat=True)
        assert [event.pk for event in context["recent_events"]] == list(latest)
        for event in context["recent_events"]:
            assert shown(event.progress) == by_hand(day, every.filter(recommendation__event=event))
        assert context["recommendation_total"] == {BEFORE: 0, SUMMIT: 11, BETWEEN: 12}[day]
        assert all(update.date <= day for update in context["recent_updates"])
        assert context["trend"] == [] if day == BEFORE else context["trend"][-1]["day"] == day
        if context["trend"]:
            assert shown(context["trend"][-1]) == by_hand(day, every)


def test_before_the_first_event_every_page_is_empty(client, history):
    conference = Event.objects.get(code="CSACVE-2015")
    kazakhstan = Actor.objects.get(iso_code="KZ")
    step = Recommendation.objects.get(code="CSACVE-2015-1")
    dashboard = page(client, "/", BEFORE)
    assert dashboard.context["matrix_event"] is None and not dashboard.context["recent_updates"]
    assert "No dated reports yet." in dashboard.text
    event = page(client, conference.get_absolute_url(), BEFORE)
    assert event.context["summary"]["total"] == 0 and event.context["recommendations"] == []
    assert event.context["matrix"].rows == []
    assert "The event had not begun by that day" in event.text
    report = page(client, f"/events/{conference.pk}/report/", BEFORE)
    assert report.context["summary"]["total"] == 0 and list(report.context["overdue"]) == []
    actor = page(client, kazakhstan.get_absolute_url(), BEFORE)
    assert actor.context["summary"]["total"] == 0 and list(actor.context["page_obj"]) == []
    assert actor.context["by_event"] == [] and actor.context["took_part_in"] == []
    recommendation = page(client, step.get_absolute_url(), BEFORE)
    assert recommendation.context["summary"]["total"] == 0 and list(recommendation.context["assignments"]) == []
    assert not recommendation.context["updates"]


def test_an_event_and_its_report_as_of_each_day(client, history):
    conference = Event.objects.get(code="CSACVE-2015")
    of_event = Assignment.objects.filter(recommendation__event=conference)
    for day in (SUMMIT, BETWEEN):
        context = page(client, conference.get_absolute_url(), day).context
        assert shown(context["summary"]) == by_hand(day, of_event)
        for recommendation in context["recommendations"]:
            assert shown(recommendation.progress) == by_hand(day, of_event.filter(recommendation=recommendation))
        cells = {
            (row["actor"]["name"], column.code): cell
            for row in context["matrix"].rows
            for column, cell in zip(context["matrix"].columns, row["cells"], strict=True)
            if cell
        }
        assert len(cells) == by_hand(day, of_event.filter(actor__kind="country"))["total"]
        report = page(client, f"/events/{conference.pk}/report/", day)
        assert shown(report.context["summary"]) == by_hand(day, of_event)
        rows = [row for r in report.context["recommendations"] for row in r.assignment_rows]
        assert Counter(row.status or "no_report" for row in rows) == Counter(
            {k: v for k, v in by_hand(day, of_event).items() if k not in ("total", "overdue") and v}
        )
        assert len(report.context["overdue"]) == by_hand(day, of_event)["overdue"]
        assert f'as of <time datetime="{day.isoformat()}">' in report.text
    summit = page(client, conference.get_absolute_url(), SUMMIT).context["matrix"]
    kazakhstan = next(row for row in summit.rows if row["actor"]["name"] == "Kazakhstan")
    assert [cell["status"] for cell in kazakhstan["cells"][:2]] == ["in_progress", "not_started"]
    assert kazakhstan["cells"][0]["status_date"] == datetime.date(2015, 8, 1)


def test_a_recommendation_as_of_each_day(client, history):
    step = Recommendation.objects.get(code="CSACVE-2015-1")
    for day in DAYS:
        context = page(client, step.get_absolute_url(), day).context
        assert shown(context["summary"]) == by_hand(day, step.assignments.all())
        statuses = Counter(row.status or "no_report" for row in context["assignments"])
        assert sum(statuses.values()) == by_hand(day, step.assignments.all())["total"]
        dated = StatusUpdate.objects.filter(assignment__recommendation=step, date__lte=day)
        assert sorted(update.pk for update in context["updates"]) == sorted(dated.values_list("pk", flat=True))
    summit = page(client, step.get_absolute_url(), SUMMIT)
    tajikistan = next(row for row in summit.context["assignments"] if row.actor.iso_code == "TJ")
    assert (tajikistan.status, tajikistan.status_date) == ("in_progress", datetime.date(2015, 9, 1))  # the correction
    assert "implemented" not in {row.status for row in summit.context["assignments"]}


def test_an_actor_as_of_each_day(client, history):
    kazakhstan = Actor.objects.get(iso_code="KZ")
    subtree = Actor.objects.subtree_ids([kazakhstan.pk])
    theirs = Assignment.objects.filter(actor__in=subtree)
    for day in DAYS:
        context = page(client, kazakhstan.get_absolute_url(), day).context
        assert shown(context["summary"]) == by_hand(day, theirs)
        assert len(list(context["page_obj"])) == by_hand(day, theirs)["total"]
        for row in context["by_event"]:
            assert shown(row) == by_hand(day, theirs.filter(recommendation__event=row["key"]))
        assert len(context["overdue"]) == by_hand(day, theirs)["overdue"]
        assert all(not row.reportable for row in context["page_obj"])
    scorecard = page(client, kazakhstan.get_absolute_url(), BETWEEN).context["page_obj"]
    rows = {row.recommendation.code: row for row in scorecard}
    assert rows["CSACVE-2015-1"].status == "implemented" and rows["CSACVE-2015-2"].is_overdue
    assert rows["CTRT-2016-1"].status == ""
    # Progress by event for every event (linked when there are more than the page shows), as of the day.
    csv_url = page(client, kazakhstan.get_absolute_url(), SUMMIT).context["by_event_csv"]
    assert csv_url == f"/api/progress/?by=event&actor={kazakhstan.pk}&as_of=2015-09-29&format=csv"
    csv = b"".join(client.get(csv_url).streaming_content).decode().splitlines()
    # One event then, with Kazakhstan's two assignments: total, not started, in progress.
    assert len(csv) == 2 and csv[1].split(",")[2:5] == ["2", "1", "1"]


def test_without_a_date_the_pages_show_today(client, history):
    context = client.get("/").context
    assert context["as_of"] is None
    assert shown(context["summary"]) == by_hand(timezone.localdate(), Assignment.objects.all())
    assert context["summary"]["implemented"] == 2  # Afghanistan's report of May 2016 counts today


@pytest.mark.parametrize(
    "value, message",
    [
        ("29/09/2015", "That is not a date (a day as YYYY-MM-DD): today’s figures are shown."),
        ("2015-02-30", "That is not a date (a day as YYYY-MM-DD): today’s figures are shown."),
        ("yesterday", "That is not a date (a day as YYYY-MM-DD): today’s figures are shown."),
    ],
)
def test_a_bad_date_is_said_and_today_is_shown(client, history, value, message):
    for url in ("/", Event.objects.get(code="CSACVE-2015").get_absolute_url()):
        response = client.get(url, {"as_of": value})
        assert response.status_code == 200
        assert response.context["as_of"] is None
        assert message in response.text and 'role="alert"' in response.text
        assert f'value="{value}"' in response.text  # what was typed is kept
        assert response.context["summary"]["implemented"] == 2


def test_a_future_date_is_said_and_today_is_shown(client, history):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.get("/actors/", {})  # not one of the pages: no form there
    assert "as-of-form" not in response.text
    response = client.get(Actor.objects.get(iso_code="KZ").get_absolute_url(), {"as_of": tomorrow.isoformat()})
    assert response.status_code == 200 and response.context["as_of"] is None
    assert "is in the future: today’s figures are shown." in response.text
    assert "As of " not in response.text.split("<main", 1)[-1].split("as-of-form")[0]


def test_the_banner_and_the_links_keep_the_day(client, history):
    conference = Event.objects.get(code="CSACVE-2015")
    html = page(client, "/", SUMMIT).text
    assert "<strong>As of 29 September 2015</strong>" in html
    assert re.search(r'<a href="/">Back to today</a>', html)
    assert f'href="{conference.get_absolute_url()}?as_of=2015-09-29"' in html  # the event's bar and the matrix
    assert re.search(r'href="/recommendations/\d+/\?as_of=2015-09-29"', html)  # the matrix's columns
    assert re.search(r'href="/actors/\d+/\?as_of=2015-09-29"', html)  # and rows
    assert "by=month&amp;as_of=2015-09-29&amp;format=csv" in html  # the chart's figures, to that day
    event = page(client, conference.get_absolute_url(), SUMMIT).text
    assert f'href="/events/{conference.pk}/report/?as_of=2015-09-29"' in event
    assert '<a href="/assignments/?event=' not in event.split("progress-heading")[1].split("</section>")[0]
    report = page(client, f"/events/{conference.pk}/report/", SUMMIT).text
    assert f'<a href="{conference.get_absolute_url()}?as_of=2015-09-29">' in report
    actor = page(client, Actor.objects.get(iso_code="KZ").get_absolute_url(), SUMMIT).text
    assert f'href="{conference.get_absolute_url()}?as_of=2015-09-29"' in actor
    recommendation = page(client, Recommendation.objects.get(code="CSACVE-2015-1").get_absolute_url(), SUMMIT).text
    assert f'href="{conference.get_absolute_url()}?as_of=2015-09-29"' in recommendation
    today = client.get("/").text
    assert "?as_of=" not in today and "Back to today" not in today


@pytest.mark.parametrize(
    "language, banner",
    [("ru", "По состоянию на 29 сентября 2015 г."), ("kk", "2015 жылғы 29 қыркүйек жағдай бойынша")],
)
def test_the_day_is_written_in_the_readers_language(client, history, language, banner):
    with translation.override(language):
        html = client.get("/", {"as_of": SUMMIT.isoformat()}, headers={"accept-language": language}).text
    assert banner in html


@postgresql_only("the read cache works on PostgreSQL only")
@committing
def test_the_cache_keeps_each_day_apart(client, documents, coordinator):
    step = factories.assignment("CSACVE-2015-1", "KZ", coordinator)
    factories.report(step, coordinator, "in_progress", datetime.date(2016, 1, 15))
    figure = re.compile(r'<span class="tile-figure">(\d+)</span> <span class="tile-label">assignments</span>')
    past = f"/?as_of={BEFORE.isoformat()}"
    today, cold = get(client, "/")
    before, _ = get(client, past)
    assert (figure.search(today.text).group(1), figure.search(before.text).group(1)) == ("10", "0")
    today, warm = get(client, "/")
    assert warm < cold, "today's page comes from the cache"
    assert figure.search(today.text).group(1) == "10"
    before, warm = get(client, past)
    assert warm < cold and figure.search(before.text).group(1) == "0"
