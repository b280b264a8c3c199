"""The shared FilterSets through the API: each filter, ordering, pagination, invalid values as 400,
and the progress endpoint's figures under the same filters."""

import datetime

import pytest
from django.utils import timezone

from events.models import Actor
from recommendations import workflow
from recommendations.models import Assignment, Recommendation
from recommendations.reads import progress
from tests.factories import assignment, report


@pytest.fixture
def scene(coordinator, focal_kz, focal_kg):
    """Step 1 for the nine countries (fixtures) plus: Kazakhstan's penal committee on step 6 (a sub-body),
    Kyrgyzstan supporting step 3 with a due date next year; reports from KZ and KG."""
    penal = workflow.assign(
        recommendation=Recommendation.objects.get(code="CSACVE-2015-6"),
        actors=[Actor.objects.get(name="Committee of the Penal System")],
        by=coordinator,
    ).created[0]
    later = workflow.assign(
        recommendation=Recommendation.objects.get(code="CSACVE-2015-3"),
        actors=[Actor.objects.get(iso_code="KG")],
        by=coordinator,
        role="supporting",
        due_date=timezone.localdate() + datetime.timedelta(days=365),
    ).created[0]
    kz = assignment("CSACVE-2015-1", "KZ", coordinator)
    report(kz, focal_kz, status="implemented", date=datetime.date(2016, 5, 1), evidence_url="https://example.org/kz")
    report(later, focal_kg, status="in_progress", date=datetime.date(2016, 2, 1), note="Talks began.")
    return {"penal": penal, "later": later, "kz": kz}


def ids(api, url):
    response = api().get(url)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def codes(api, url):
    return {(row["recommendation_code"], row["actor_name"]) for row in api().get(url).json()["results"]}


def test_assignments_of_an_actor_include_its_sub_bodies(api, scene):
    kazakhstan = codes(api, "/api/assignments/?actor=1")

    assert kazakhstan == {
        ("CSACVE-2015-1", "Kazakhstan"),
        ("CSACVE-2015-6", "Committee of the Penal System"),
        ("CTRT-2016-1", "Parliament of Kazakhstan"),
    }
    assert codes(api, "/api/assignments/?country=kz") == kazakhstan
    assert codes(api, f"/api/assignments/?actor={scene['penal'].actor_id}") == {
        ("CSACVE-2015-6", "Committee of the Penal System")
    }


def test_assignments_of_a_region_include_its_countries_bodies(api, scene):
    region = codes(api, "/api/assignments/?region=central-south-asia&page_size=100")

    assert len(region) == 12  # step 1 × 9 countries, Kazakhstan's committee and parliament, Kyrgyzstan's step 3
    assert ("CSACVE-2015-6", "Committee of the Penal System") in region


def test_assignments_by_status_including_no_report(api, scene):
    assert codes(api, "/api/assignments/?status=implemented") == {("CSACVE-2015-1", "Kazakhstan")}
    assert codes(api, "/api/assignments/?status=implemented&status=in_progress") == {
        ("CSACVE-2015-1", "Kazakhstan"),
        ("CSACVE-2015-3", "Kyrgyzstan"),
    }
    no_report = api().get("/api/assignments/?status=no_report").json()
    assert no_report["count"] == 10
    assert {row["status"] for row in no_report["results"]} == {"no_report"}


def test_overdue_assignments_are_past_due_and_still_open(api, scene):
    overdue = api().get("/api/assignments/?overdue=true&page_size=100").json()["results"]
    on_time = codes(api, "/api/assignments/?overdue=false")

    assert len(overdue) == 9  # step 1 for eight countries (Kazakhstan implemented it) and the committee's step 6
    assert all(row["is_overdue"] for row in overdue)
    assert on_time == {
        ("CSACVE-2015-1", "Kazakhstan"),  # implemented
        ("CSACVE-2015-3", "Kyrgyzstan"),  # due next year
        ("CTRT-2016-1", "Parliament of Kazakhstan"),  # no due date
    }


def test_overdue_assignments_of_a_country(api, scene):
    assert codes(api, "/api/assignments/?country=KG&overdue=true") == {("CSACVE-2015-1", "Kyrgyzstan")}


def test_assignments_by_event_recommendation_kind_theme_role_and_dates(api, scene):
    assert len(ids(api, "/api/assignments/?event=2")) == 1
    assert len(ids(api, "/api/assignments/?recommendation=1&page_size=100")) == 9
    assert len(ids(api, "/api/assignments/?kind=recommendation")) == 1
    assert codes(api, "/api/assignments/?theme=prisons-rehabilitation") == {
        ("CSACVE-2015-6", "Committee of the Penal System")
    }
    assert codes(api, "/api/assignments/?role=supporting") == {("CSACVE-2015-3", "Kyrgyzstan")}
    assert codes(api, "/api/assignments/?updated_since=2016-03-01") == {("CSACVE-2015-1", "Kazakhstan")}
    assert len(ids(api, "/api/assignments/?due_before=2016-01-01&page_size=100")) == 10
    assert codes(api, "/api/assignments/?search=penal") == {("CSACVE-2015-6", "Committee of the Penal System")}


def test_assignments_are_ordered_by_the_ordering_filter(api, scene):
    rows = api().get("/api/assignments/?event=1&ordering=-due_date,actor&page_size=3").json()["results"]

    assert [row["actor_name"] for row in rows] == ["Kyrgyzstan", "Afghanistan", "Bangladesh"]


def test_recommendations_filters(api, scene):
    def rec_codes(query):
        return {row["code"] for row in api().get(f"/api/recommendations/?{query}").json()["results"]}

    assert rec_codes("actor=1") == {"CSACVE-2015-1", "CSACVE-2015-6", "CTRT-2016-1"}
    assert rec_codes("country=KG") == {"CSACVE-2015-1", "CSACVE-2015-3"}
    assert rec_codes("region=central-south-asia") == {"CSACVE-2015-1", "CSACVE-2015-3", "CSACVE-2015-6", "CTRT-2016-1"}
    assert rec_codes("status=no_report") == {"CSACVE-2015-1", "CSACVE-2015-6", "CTRT-2016-1"}
    assert rec_codes("status=in_progress") == {"CSACVE-2015-3"}
    assert rec_codes("kind=proposal") == {"CSACVE-2015-P1", "CSACVE-2015-P2", "CSACVE-2015-P3", "CSACVE-2015-P4"}
    assert rec_codes("theme=counter-messaging") == {"CSACVE-2015-7", "CSACVE-2015-P2", "CSACVE-2015-P4"}
    assert rec_codes("event=2") == {"CTRT-2016-1"}
    assert rec_codes("search=prisons") == {"CSACVE-2015-6"}


def test_events_filters(api, documents):
    def event_codes(query):
        return {row["code"] for row in api().get(f"/api/events/?{query}").json()["results"]}

    centre = Actor.objects.get(name="Centre for Military Strategic Research").pk
    assert event_codes("actor=1") == {"CSACVE-2015", "CTRT-2016"}
    assert event_codes(f"actor={centre}") == {"CTRT-2016"}
    assert event_codes("year=2015") == {"CSACVE-2015"}
    assert event_codes("kind=roundtable") == {"CTRT-2016"}
    assert event_codes("starts_after=2016-01-01") == {"CTRT-2016"}
    assert event_codes("search=terrorism") == {"CTRT-2016"}


def test_actors_filters(api, documents):
    def names(query):
        return {row["name"] for row in api().get(f"/api/actors/?{query}&page_size=100").json()["results"]}

    assert names("kind=parliament") == {"Parliament of Kazakhstan", "Mazhilis"}
    assert names("parent=35") == {"Mazhilis"}
    assert len(names("region=central-south-asia")) == 9
    assert "Centre for Military Strategic Research" in names("event=2")
    assert names("search=KG") == {"Kyrgyzstan"}


def test_status_updates_filters(api, scene):
    def notes(query):
        return {
            (row["actor_name"], row["status"]) for row in api().get(f"/api/status-updates/?{query}").json()["results"]
        }

    assert notes("country=KZ") == {("Kazakhstan", "implemented")}
    assert notes("region=central-south-asia") == {("Kazakhstan", "implemented"), ("Kyrgyzstan", "in_progress")}
    assert notes(f"assignment={scene['later'].pk}") == {("Kyrgyzstan", "in_progress")}
    assert notes("recommendation=1") == {("Kazakhstan", "implemented")}
    assert notes("status=in_progress") == {("Kyrgyzstan", "in_progress")}
    assert notes("since=2016-03-01") == {("Kazakhstan", "implemented")}
    assert notes("until=2016-03-01&kind=report") == {("Kyrgyzstan", "in_progress")}
    assert notes("search=talks") == {("Kyrgyzstan", "in_progress")}
    newest_first = api().get("/api/status-updates/").json()["results"]
    assert [row["date"] for row in newest_first] == ["2016-05-01", "2016-02-01"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/assignments/?status=done", "status"),
        ("/api/assignments/?actor=abc", "actor"),
        ("/api/assignments/?actor=999999", "actor"),
        ("/api/assignments/?actor=99999999999999999999999", "actor"),
        ("/api/assignments/?region=atlantis", "region"),
        ("/api/assignments/?overdue=maybe", "overdue"),
        ("/api/assignments/?recommendation=1.5", "recommendation"),
        ("/api/assignments/?recommendation=99999999999999999999999", "recommendation"),
        ("/api/assignments/?recommendation=0", "recommendation"),
        ("/api/assignments/?event=first", "event"),
        ("/api/assignments/?theme=nothing", "theme"),
        ("/api/assignments/?updated_since=yesterday", "updated_since"),
        ("/api/assignments/?role=boss", "role"),
        ("/api/assignments/?ordering=importance", "ordering"),
        ("/api/recommendations/?status=late", "status"),
        ("/api/recommendations/?due_before=2016-02-30", "due_before"),
        ("/api/events/?year=0", "year"),
        ("/api/events/?year=99999", "year"),
        ("/api/events/?year=2015.5", "year"),
        ("/api/actors/?kind=planet", "kind"),
        ("/api/status-updates/?assignment=-1", "assignment"),
        ("/api/status-updates/?since=2016-13-01", "since"),
        ("/api/progress/?status=late", "status"),
        ("/api/progress/?by=colour", "by"),
        ("/api/progress/?as_of=someday", "as_of"),
        # Issue 17: an unknown country, ids that are not ASCII whole numbers or name no row.
        ("/api/assignments/?country=XX", "country"),
        ("/api/recommendations/?country=xx", "country"),
        ("/api/status-updates/?country=XX", "country"),
        ("/api/progress/?country=XX", "country"),
        ("/api/assignments/?recommendation=\u0661", "recommendation"),  # Arabic-Indic 1
        ("/api/assignments/?recommendation=99999", "recommendation"),
        ("/api/assignments/?actor=\uff11", "actor"),  # full-width 1
        ("/api/assignments/?event=1.0", "event"),
        ("/api/status-updates/?assignment=1e400", "assignment"),
        ("/api/events/?actor=\u0661", "actor"),
        ("/api/actors/?parent=1.5", "parent"),
        # …and page parameters that are not a whole number in range, on every list and on progress.
        ("/api/actors/?page_size=0", "page_size"),
        ("/api/assignments/?page_size=-1", "page_size"),
        ("/api/status-updates/?page_size=abc", "page_size"),
        ("/api/recommendations/?page_size=10000", "page_size"),
        ("/api/events/?page=abc", "page"),
        ("/api/regions/?page=0", "page"),
        ("/api/progress/?by=event&page_size=0", "page_size"),
        ("/api/progress/?by=event&page=abc", "page"),
    ],
)
def test_an_invalid_filter_value_is_a_400_naming_the_filter(api, documents, url, field):
    response = api().get(url)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert all(isinstance(message, str) for message in response.json()[field])


def test_invalid_filters_are_refused_for_csv_too(api, documents):
    response = api().get("/api/assignments/?format=csv&status=done")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_pages_have_a_client_settable_size(api, documents):
    first = api().get("/api/actors/?page_size=15").json()
    last = api().get(first["next"]).json()

    assert (first["count"], len(first["results"]), first["previous"]) == (40, 15, None)
    assert first["next"] == "http://testserver/api/actors/?page=2&page_size=15"
    assert len(api().get("/api/actors/?page=3&page_size=15").json()["results"]) == 10
    assert last["previous"] == "http://testserver/api/actors/?page_size=15"
    assert len(api().get("/api/actors/").json()["results"]) == 40  # 50 by default


def test_pages_hold_at_most_500(api, documents):
    Actor.objects.bulk_create(Actor(name=f"Body {n}", kind="ngo") for n in range(470))

    body = api().get("/api/actors/?page_size=500").json()
    too_many = api().get("/api/actors/?page_size=501")

    assert (body["count"], len(body["results"])) == (510, 500)
    assert too_many.json() == {"page_size": ["Ensure this value is less than or equal to 500."]}


def test_a_country_code_is_read_in_either_case(api, scene):
    upper = api().get("/api/assignments/?country=KG").json()["count"]

    assert upper > 0
    assert api().get("/api/assignments/?country=kg").json()["count"] == upper


def test_a_page_beyond_the_last_is_not_found(api, documents):
    response = api().get("/api/actors/?page=9")

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page.", "code": "not_found"}


def test_progress_by_event(api, scene):
    body = api().get("/api/progress/?by=event").json()

    assert (body["by"], body["as_of"]) == ("event", None)
    assert body["summary"]["total"] == 12
    assert [(row["key"], row["total"]) for row in body["breakdown"]] == [(1, 11), (2, 1)]
    first = body["breakdown"][0]
    assert first["label"].startswith("Central and South Asian Regional Conference")
    assert (first["implemented"], first["in_progress"], first["no_report"], first["overdue"]) == (1, 1, 9, 9)
    assert first["share_implemented"] == round(1 / 11, 4)


def test_progress_takes_the_assignment_filters(api, scene):
    body = api().get("/api/progress/?country=KZ&by=recommendation").json()

    assert body["summary"]["total"] == 3
    assert [row["label"] for row in body["breakdown"]] == ["CSACVE-2015-1", "CSACVE-2015-6", "CTRT-2016-1"]


def test_progress_by_status_theme_and_actor(api, scene):
    by_status = {row["key"]: row["total"] for row in api().get("/api/progress/?by=status").json()["breakdown"]}
    by_theme = {row["key"]: row["total"] for row in api().get("/api/progress/?by=theme").json()["breakdown"]}
    by_actor = {
        row["label"]: row["total"] for row in api().get("/api/progress/?by=actor&country=KZ").json()["breakdown"]
    }

    assert by_status == {"implemented": 1, "in_progress": 1, "no_report": 10}
    assert by_theme == {
        "national-coordination": 9,
        "international-cooperation": 1,
        "prisons-rehabilitation": 1,
        "civil-society": 1,
    }
    assert by_actor == {"Kazakhstan": 1, "Committee of the Penal System": 1, "Parliament of Kazakhstan": 1}


def test_progress_as_of_a_past_day_is_rebuilt_from_the_dated_updates(api, scene):
    before = api().get("/api/progress/?as_of=2016-03-01").json()
    now = api().get("/api/progress/").json()

    assert before["as_of"] == "2016-03-01"
    assert (before["summary"]["implemented"], before["summary"]["in_progress"]) == (0, 1)
    assert (now["summary"]["implemented"], now["summary"]["in_progress"]) == (1, 1)
    assert now["breakdown"] == []


@pytest.mark.parametrize("by", ["event", "recommendation", "actor", "theme", "status"])
def test_progress_pages_of_a_breakdown_join_up_to_the_whole_of_it(api, scene, by):
    Recommendation.objects.get(code="CTRT-2016-1").themes.clear()  # a group of its own by theme
    whole = [row["key"] for row in progress.breakdown(Assignment.objects.all(), by)]
    paged, url = [], f"/api/progress/?by={by}&page_size=1"
    while url:
        body = api().get(url).json()
        assert body["count"] == len(whole)
        paged += body["breakdown"]
        url = body["next"]

    assert len(paged) == len(whole) > 1
    assert [row["key"] for row in paged] == whole
