"""CSV export of every list: ?format=csv with the same filters gives every matching row, not a page."""

import csv
import io

import pytest

from events.models import Actor
from tests.factories import assignment, report

LISTS = [
    "/api/events/",
    "/api/actors/",
    "/api/recommendations/",
    "/api/assignments/",
    "/api/status-updates/",
    "/api/regions/",
    "/api/themes/",
]


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


@pytest.fixture
def reported(coordinator, focal_kz, focal_kg):
    report(assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz, internal_note="Not for the public.")
    return report(assignment("CSACVE-2015-1", "KG", coordinator), focal_kg, note='=HYPERLINK("http://x")')


@pytest.mark.parametrize("url", LISTS)
def test_every_list_exports_all_its_rows_with_the_json_fields_as_columns(api, reported, url):
    listed = api().get(f"{url}?page_size=500").json()
    exported = rows(api().get(f"{url}?format=csv&page_size=1"))

    assert len(exported) == listed["count"]
    first = listed["results"][0]
    assert str(first["id"]) == exported[0]["id"]
    assert {name.split(".")[0] for name in exported[0] if not name.endswith("_label")} == set(first)


def test_the_export_is_a_named_download(api, documents):
    response = api().get("/api/assignments/?format=csv")

    assert response["Content-Disposition"] == 'attachment; filename="assignments.csv"'


def test_the_export_takes_the_lists_filters(api, reported):
    exported = rows(api().get("/api/assignments/?format=csv&country=KG&status=in_progress"))

    assert [(row["recommendation_code"], row["actor_name"], row["status"]) for row in exported] == [
        ("CSACVE-2015-1", "Kyrgyzstan", "in_progress")
    ]


def test_the_export_can_be_asked_for_with_an_accept_header(api, reported):
    response = api().get("/api/status-updates/", HTTP_ACCEPT="text/csv")

    assert len(rows(response)) == 2


def test_nested_objects_become_dotted_columns_and_lists_are_joined(api, reported):
    (exported,) = rows(api().get("/api/recommendations/?format=csv&search=prisons"))
    (kz,) = rows(api().get("/api/assignments/?format=csv&country=KZ&event=1&expand=actor"))

    assert exported["progress.total"] == "0" and exported["progress.share_implemented"] == ""
    assert exported["themes"] == "prisons-rehabilitation"
    assert (kz["actor.iso_code"], kz["actor.regions"], kz["last_update.status"]) == (
        "KZ",
        "central-south-asia",
        "in_progress",
    )
    assert kz["is_overdue"] == "true"


def test_text_a_spreadsheet_would_run_as_a_formula_is_quoted(api, reported):
    exported = rows(api().get("/api/status-updates/?format=csv&country=KG"))

    assert exported[0]["note"] == '\'=HYPERLINK("http://x")'


def test_the_internal_note_is_exported_only_to_those_it_is_for(api, reported, viewer, focal_kg):
    def exported(user=None):
        return rows(api(user).get("/api/status-updates/?format=csv&country=KZ"))[0]

    assert exported()["internal_note"] == ""
    assert exported(focal_kg)["internal_note"] == ""  # another country's focal point
    assert exported(viewer)["internal_note"] == "Not for the public."


def test_a_large_export_is_complete(api, documents):
    Actor.objects.bulk_create(Actor(name=f"Body {n}", kind="ngo") for n in range(1200))

    exported = rows(api().get("/api/actors/?format=csv&kind=ngo"))

    assert len(exported) == 1201  # the Internet Association of Kazakhstan and the 1,200 new ones


def test_progress_exports_its_breakdown_or_its_summary(api, reported):
    by_status = rows(api().get("/api/progress/?format=csv&by=status"))
    summary = rows(api().get("/api/progress/?format=csv&country=KG"))

    assert list(by_status[0])[:3] == ["key", "label", "total"]
    assert {row["key"]: row["total"] for row in by_status} == {"in_progress": "2", "no_report": "8"}
    assert summary == [
        {
            "total": "1",
            "not_started": "0",
            "in_progress": "1",
            "partially_implemented": "0",
            "implemented": "0",
            "stalled": "0",
            "not_applicable": "0",
            "no_report": "0",
            "overdue": "1",
            "share_implemented": "0.0",
        }
    ]
