"""Coordinators' import of an event's recommendations and assignments: the export (or the template)
imported back changes nothing; a changed cell changes that field alone; all rows or none; rows of
another event, unknown actors and users who are not coordinators are refused."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from events.models import Event
from recommendations.models import Assignment, Recommendation
from tests.factories import assignment

pytestmark = pytest.mark.django_db

UPLOAD = "/api/imports/recommendations/"
TEMPLATE = "/api/imports/recommendations/template/"


@pytest.fixture
def event(documents):
    return Event.objects.get(code="CSACVE-2015")


@pytest.fixture
def assigned(coordinator):
    """A body as well as the fixture's countries."""
    return assignment("CSACVE-2015-2", "osce", coordinator)


def state():
    """What an import could change."""
    models = [Recommendation, Recommendation.themes.through, Assignment]
    return {model.__name__: sorted(map(repr, model.objects.values_list())) for model in models}


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


def exported(api, user, event, format):
    """The assignment export of the event with the recommendation and the actor expanded."""
    query = {"event": event.pk, "expand": "recommendation,actor", "format": format, "bom": "1"}
    response = api(user).get("/api/assignments/", query)
    assert response.status_code == 200, response.content
    return body(response)


def template(api, user, event, format="xlsx"):
    response = api(user).get(TEMPLATE, {"event": event.pk, "format": format})
    assert response.status_code == 200, response.content
    return body(response)


def upload(api, user, event, data, dry_run=False, name="recommendations.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return api(user).post(UPLOAD, {"file": file, "event": event.pk, "dry_run": dry_run}, format="multipart")


def rows_of(data):
    """An XLSX file's rows as lists, header first."""
    return [list(row) for row in load_workbook(io.BytesIO(data)).worksheets[0].values]


def as_csv(rows):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode()


def edited(data, edit):
    """The XLSX file after `edit(header, rows)` has changed its rows (lists of values) in place."""
    rows = rows_of(data)
    edit(rows[0], rows[1:])
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    file = io.BytesIO()
    workbook.save(file)
    return file.getvalue()


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_the_export_imported_back_changes_nothing(api, coordinator, event, assigned, format):
    data = exported(api, coordinator, event, format)
    before = state()

    response = upload(api, coordinator, event, data, name=f"export.{format}")

    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["created"], answer["changed"], answer["refused"]) == ([], [], [])
    assert len(answer["left"]) == Assignment.objects.filter(recommendation__event=event).count()
    assert state() == before


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_the_template_is_the_export_with_a_row_for_each_recommendation_nobody_is_assigned(
    api, coordinator, event, format
):
    data = template(api, coordinator, event, format)
    export = exported(api, coordinator, event, format)
    if format == "xlsx":
        rows, export_rows = rows_of(data), rows_of(export)
    else:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        export_rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))
    assert rows[0] == export_rows[0]
    assert "actor.code" in rows[0] and "recommendation.code" in rows[0]
    codes = [row[rows[0].index("recommendation.code")] for row in rows[1:]]
    unassigned = event.recommendations.filter(assignments=None).values_list("code", flat=True)
    assert set(codes) == set(event.recommendations.values_list("code", flat=True))
    assert all(codes.count(code) == 1 for code in unassigned) and unassigned
    assert len(rows) - 1 == len(export_rows) - 1 + len(unassigned)
    before = state()
    response = upload(api, coordinator, event, data, name=f"template.{format}")
    assert response.status_code == 201
    assert (response.json()["created"], response.json()["changed"]) == ([], [])
    assert state() == before


def test_one_changed_cell_changes_exactly_that_field(api, coordinator, event, assigned):
    target = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KG")
    step = Recommendation.objects.get(code="CSACVE-2015-1")

    def edit(header, rows):
        for row in rows:
            if row[header.index("id")] == target.pk:
                row[header.index("note")] = "Through the new committee"
                row[header.index("recommendation.milestone")] = "Before the 2017 summit"  # one row of nine

    before = state()
    response = upload(api, coordinator, event, edited(template(api, coordinator, event), edit))

    assert response.status_code == 201, response.json()
    changed = {
        (change["object"], change["code"], change["actor"]): change["fields"] for change in response.json()["changed"]
    }
    assert changed == {
        ("assignment", "CSACVE-2015-1", "KG"): ["note"],
        ("recommendation", "CSACVE-2015-1", None): ["milestone"],
    }
    target_after, step_after = Assignment.objects.get(pk=target.pk), Recommendation.objects.get(pk=step.pk)
    assert (target_after.note, target_after.version) == ("Through the new committee", target.version + 1)
    assert step_after.milestone == "Before the 2017 summit"
    after = state()
    changed_rows = {
        name: set(after[name]) ^ set(before[name]) for name in after if set(after[name]) != set(before[name])
    }
    assert {name: len(rows) for name, rows in changed_rows.items()} == {"Recommendation": 2, "Assignment": 2}


def test_a_new_due_date_moves_the_assignments_that_follow_it(api, coordinator, event):
    step = Recommendation.objects.get(code="CSACVE-2015-1")
    new = step.due_date + datetime.timedelta(days=30)

    def edit(header, rows):
        for row in rows:
            if row[header.index("recommendation.code")] == step.code:
                row[header.index("recommendation.due_date")] = new.isoformat()

    response = upload(api, coordinator, event, edited(template(api, coordinator, event), edit))

    assert response.status_code == 201, response.json()
    assert set(step.assignments.values_list("due_date", flat=True)) == {new}


def test_new_recommendations_and_assignments_by_country_and_body_codes(api, coordinator, event):
    quote = Recommendation.objects.get(code="CSACVE-2015-1").source_quote
    header = [
        "recommendation.code", "recommendation.kind", "recommendation.title_en", "recommendation.text_en",
        "recommendation.source_quote", "recommendation.themes", "actor.iso_code", "actor.code", "role", "due_date",
    ]  # fmt: skip
    new = ["CSACVE-2015-99", "Agreed step", "A new step", "A new step in full.", quote, ""]
    data = as_csv([header, [*new, "KZ", "", "lead", ""], [*new, "", "osce", "supporting", "2017-01-31"]])

    preview = upload(api, coordinator, event, data, dry_run=True, name="new.csv")
    assert preview.status_code == 200, preview.json()
    assert [(c["object"], c["actor"], c["id"]) for c in preview.json()["created"]] == [
        ("recommendation", None, None),
        ("assignment", "KZ", None),
        ("assignment", "osce", None),
    ]
    assert not Recommendation.objects.filter(code="CSACVE-2015-99").exists()

    assert upload(api, coordinator, event, data, name="new.csv").status_code == 201
    step = Recommendation.objects.get(code="CSACVE-2015-99")
    assert (step.event, step.kind, step.sequence) == (event, "agreed_step", event.recommendations.count())
    osce = step.assignments.get(actor__code="osce")
    assert (osce.role, osce.due_date, osce.own_due_date) == ("supporting", datetime.date(2017, 1, 31), True)
    again = upload(api, coordinator, event, data, name="new.csv").json()
    assert (again["created"], again["changed"], again["left"]) == ([], [], [2, 3])


def test_one_bad_row_among_500_writes_nothing_and_names_the_row(api, coordinator, event):
    quote = Recommendation.objects.get(code="CSACVE-2015-1").source_quote
    header = ["recommendation.code", "recommendation.kind", "recommendation.title_en", "recommendation.text_en"]
    header += ["recommendation.source_quote", "recommendation.due_date"]
    rows = [[f"CSACVE-2015-{n}00", "agreed_step", f"Step {n}", "In full.", quote, "2016-01-01"] for n in range(500)]
    rows[300][5] = "2001-01-01"  # before the event: the model's rule, met once 300 rows are written
    before = state()

    response = upload(api, coordinator, event, as_csv([header, *rows]), name="many.csv")

    assert response.status_code == 422
    answer = response.json()
    assert answer["code"] == "rows_refused"
    assert [(r["row"], r["column"], r["code"]) for r in answer["refused"]] == [
        (302, "recommendation.due_date", "due_before_event")
    ]
    assert state() == before


def test_unknown_actors_and_another_events_recommendation_are_refused(api, coordinator, event):
    header = ["recommendation.code", "actor.iso_code", "actor.code", "role"]
    rows = [["CSACVE-2015-1", "", "no-such-body", "lead"], ["CSACVE-2015-1", "XX", "", "lead"]]
    data = as_csv([header, *rows, ["CTRT-2016-1", "KZ", "", "lead"]])
    before = state()

    response = upload(api, coordinator, event, data, name="bad.csv")

    assert response.status_code == 422
    assert [(r["row"], r["column"], r["code"]) for r in response.json()["refused"]] == [
        (2, "actor.code", "unknown_actor"),
        (3, "actor.iso_code", "unknown_actor"),
        (4, "recommendation.code", "other_event"),
    ]
    assert "No body has the code no-such-body" in response.json()["refused"][0]["message"]
    assert state() == before


def test_a_stale_row_is_refused(api, coordinator, event):
    data = template(api, coordinator, event)
    target = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KG")
    from recommendations import workflow

    workflow.change_assignment(assignment=target, by=coordinator, expected_version=target.version, note="Meanwhile")

    def edit(header, rows):
        for row in rows:
            if row[header.index("id")] == target.pk:
                row[header.index("note")] = "Mine"

    response = upload(api, coordinator, event, edited(data, edit))
    assert response.status_code == 422
    assert [(r["column"], r["code"]) for r in response.json()["refused"]] == [("version", "stale")]
    assert Assignment.objects.get(pk=target.pk).note == "Meanwhile"


def test_a_focal_point_may_neither_download_nor_upload(api, focal_kz, coordinator, event):
    data = template(api, coordinator, event)
    before = state()
    assert api(focal_kz).get(TEMPLATE, {"event": event.pk}).status_code == 403
    response = upload(api, focal_kz, event, data)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert state() == before


def test_the_event_is_required_and_must_be_one(api, coordinator, event):
    assert api(coordinator).get(TEMPLATE).status_code == 400
    assert api(coordinator).get(TEMPLATE, {"event": 99999}).status_code == 400


def test_a_bad_file_is_refused_whole(api, coordinator, event):
    response = upload(api, coordinator, event, b"\x00\x01", name="x.xlsx")
    assert (response.status_code, response.json()["code"]) == (422, "not_a_spreadsheet")


def test_the_command_tells_the_kind_from_the_header(tmp_path, api, coordinator, event, capsys):
    data = edited(template(api, coordinator, event), lambda header, rows: None)
    path = tmp_path / "recommendations.xlsx"
    path.write_bytes(data)
    call_command("import_spreadsheet", str(path), "--as", "coordinator", "--event", "CSACVE-2015", "--dry-run")
    assert "0 to create, 0 to change" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--event"):
        call_command("import_spreadsheet", str(path), "--as", "coordinator")
    path.write_bytes(as_csv([["recommendation.code", "actor.iso_code"], ["CSACVE-2015-1", "XX"]]))
    with pytest.raises(CommandError, match="1 row is refused"):
        call_command("import_spreadsheet", str(path), "--as", "coordinator", "--event", "CSACVE-2015")
    assert "row 2, actor.iso_code: No country has the ISO code XX." in capsys.readouterr().err


class TestPages:
    def test_upload_preview_confirm(self, client, coordinator, event, api):
        client.force_login(coordinator)
        page = client.get(f"/imports/recommendations/{event.pk}/")
        assert page.status_code == 200
        assert f"/api/imports/recommendations/template/?event={event.pk}&amp;format=xlsx" in page.content.decode()
        assert "Nothing is deleted" in page.content.decode()
        target = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KG")

        def edit(header, rows):
            for row in rows:
                if row[header.index("id")] == target.pk:
                    row[header.index("role")] = "supporting"

        file = io.BytesIO(edited(template(api, coordinator, event), edit))
        file.name = "event.xlsx"
        uploaded = client.post(f"/imports/recommendations/{event.pk}/", {"file": file})
        assert uploaded.status_code == 302
        preview = client.get(uploaded.url).content.decode()
        assert "1 to change" in preview and "<code>role</code>" in preview
        assert Assignment.objects.get(pk=target.pk).role == "lead"

        confirmed = client.post(uploaded.url, follow=True).content.decode()
        assert "0 recommendations or assignments created, 1 changed." in confirmed
        assert Assignment.objects.get(pk=target.pk).role == "supporting"

    def test_refused_rows_are_listed(self, client, coordinator, event):
        client.force_login(coordinator)
        file = io.BytesIO(as_csv([["recommendation.code", "actor.iso_code"], ["CTRT-2016-1", "KZ"]]))
        file.name = "other.csv"
        preview = client.get(client.post(f"/imports/recommendations/{event.pk}/", {"file": file}).url)
        assert "<td>2</td><td><code>recommendation.code</code></td>" in preview.content.decode()
        assert "is a recommendation of another event" in preview.content.decode()

    def test_the_event_page_links_to_the_import_for_coordinators_only(self, client, coordinator, viewer, event):
        client.force_login(coordinator)
        assert f"/imports/recommendations/{event.pk}/" in client.get(event.get_absolute_url()).content.decode()
        client.force_login(viewer)
        assert f"/imports/recommendations/{event.pk}/" not in client.get(event.get_absolute_url()).content.decode()
        assert client.get(f"/imports/recommendations/{event.pk}/").status_code == 403


def test_the_webhooks_hear_of_the_assignments_created_and_changed_once_written(api, coordinator, event):
    from webhooks.models import Delivery, Endpoint

    Endpoint.objects.create(
        url="https://receiver.example.org/hook", event_types=["assignment.created", "assignment.changed"]
    )
    target = Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KG")
    header = ["recommendation.code", "actor.iso_code", "actor.code", "note"]
    data = as_csv([header, ["CSACVE-2015-1", "KG", "", "New"], ["CSACVE-2015-2", "", "osce", ""]])

    assert upload(api, coordinator, event, data, dry_run=True, name="hooks.csv").status_code == 200
    assert not Delivery.objects.exists()  # a preview announces nothing
    assert upload(api, coordinator, event, data, name="hooks.csv").status_code == 201

    sent = {(d.event_type, d.payload["data"]["id"]) for d in Delivery.objects.all()}
    created = Assignment.objects.get(recommendation__code="CSACVE-2015-2", actor__code="osce")
    assert sent == {("assignment.changed", target.pk), ("assignment.created", created.pk)}
