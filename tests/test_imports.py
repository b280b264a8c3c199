"""Focal points' status updates from a spreadsheet: template → fill → preview → commit, through the
workflow's rules; all rows or none; a file uploaded twice recorded once; bad files refused whole."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from imports import updates
from recommendations.models import Assignment, StatusUpdate
from tests.factories import assignment, report

pytestmark = pytest.mark.django_db

TEMPLATE = "/api/imports/updates/template/"
UPLOAD = "/api/imports/updates/"
EVIDENCE = "https://example.org/plan"


@pytest.fixture
def assigned(coordinator):
    """Kazakhstan and Kyrgyzstan on the first three agreed steps."""
    return {
        (code, iso): assignment(code, iso, coordinator)
        for code in ("CSACVE-2015-1", "CSACVE-2015-2", "CSACVE-2015-3")
        for iso in ("KZ", "KG")
    }


def template(api, user, format="xlsx", **filters):
    response = api(user).get(TEMPLATE, {"format": format, **filters})
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content) if format == "csv" else response.getvalue()


def fill(data, values):
    """The XLSX template with `values` ({assignment id: {column: value}}) written into its rows."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        filled = values.get(row[headers.index("id")].value, {})
        for name, value in filled.items():
            row[headers.index(name)].value = value
    return save(workbook)


def save(workbook):
    body = io.BytesIO()
    workbook.save(body)
    return body.getvalue()


def upload(api, user, data, dry_run=False, name="updates.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return api(user).post(UPLOAD, {"file": file, "dry_run": dry_run}, format="multipart")


def filled(status="in_progress", date=datetime.date(2016, 5, 1), **more):
    return {"update_status": status, "update_date": date, **more}


def test_the_template_lists_the_users_own_assignments_with_the_export_columns_and_those_to_fill(
    api, assigned, focal_kz
):
    sheet = load_workbook(io.BytesIO(template(api, focal_kz))).worksheets[0]
    rows = list(sheet.values)
    headers = rows[0]
    assert (
        headers[: headers.index("update_status")]
        == tuple(
            column.header
            for column in updates.template_columns(updates.AssignmentSerializer(context={"expand": frozenset()}))
        )[: headers.index("update_status")]
    )
    assert list(headers[-5:]) == list(updates.FILL)
    ids = {row[headers.index("id")] for row in rows[1:]}
    assert ids == set(Assignment.objects.reportable_by(focal_kz).values_list("pk", flat=True))
    assert {a.pk for (code, iso), a in assigned.items() if iso == "KZ"} < ids  # a body of Kazakhstan's too


def test_template_fill_import_records_each_row_through_the_workflow_and_a_second_upload_records_nothing(
    api, assigned, focal_kz
):
    one, two = assigned["CSACVE-2015-1", "KZ"], assigned["CSACVE-2015-2", "KZ"]
    data = fill(
        template(api, focal_kz),
        {one.pk: filled("implemented", update_evidence_url=EVIDENCE, update_note="Plan adopted."), two.pk: filled()},
    )

    preview = upload(api, focal_kz, data, dry_run=True)
    assert preview.status_code == 200, preview.json()
    assert [row["assignment"] for row in preview.json()["created"]] == [one.pk, two.pk]
    mine = Assignment.objects.reportable_by(focal_kz).count()
    assert len(preview.json()["left"]) == mine - 2  # the other assignments, not filled in
    assert not StatusUpdate.objects.exists()

    first = upload(api, focal_kz, data)
    assert first.status_code == 201, first.json()
    one.refresh_from_db()
    assert (one.status, one.status_date, one.last_update.note) == (
        "implemented",
        datetime.date(2016, 5, 1),
        "Plan adopted.",
    )
    assert one.last_update.author == focal_kz and one.last_update.reported_by == "focal_point"
    assert StatusUpdate.objects.count() == 2

    second = upload(api, focal_kz, data)
    assert second.status_code == 201
    assert (second.json()["created"], second.json()["left"]) == ([], list(range(2, mine + 2)))
    assert StatusUpdate.objects.count() == 2


def test_csv_template_round_trip_in_windows_1251_with_semicolons(api, assigned, focal_kz):
    rows = list(csv.DictReader(io.StringIO(template(api, focal_kz, "csv").decode())))
    headers = list(rows[0])
    for row in rows:
        row.update(update_status="Выполняется", update_date="01.05.2016", update_note="Приказ № 5")
    body = io.StringIO()
    writer = csv.DictWriter(body, headers, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)

    response = upload(api, focal_kz, body.getvalue().encode("cp1251"), name="updates.csv")

    assert response.status_code == 201, response.json()
    assert len(response.json()["created"]) == Assignment.objects.reportable_by(focal_kz).count()
    update = StatusUpdate.objects.first()
    assert (update.status, update.date, update.note) == ("in_progress", datetime.date(2016, 5, 1), "Приказ № 5")


def test_one_bad_row_among_500_writes_nothing_and_names_the_row(api, coordinator, assigned):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "update_status", "update_date", "update_evidence_url"])
    one = assigned["CSACVE-2015-1", "KZ"]
    for day in range(500):
        sheet.append([one.pk, "in_progress", datetime.date(2016, 1, 1) + datetime.timedelta(days=day), ""])
    sheet.cell(row=321, column=2).value = "implemented"  # without its evidence

    response = upload(api, coordinator, save(workbook))

    assert response.status_code == 422
    assert response.json()["code"] == "rows_refused"
    assert response.json()["refused"] == [
        {
            "row": 321,
            "column": "update_evidence_url",
            "code": "evidence_required",
            "message": "A status of “Implemented” needs evidence: a link or a file.",
        }
    ]
    assert not StatusUpdate.objects.exists()
    one.refresh_from_db()
    assert one.status == ""


def test_a_row_on_another_actors_assignment_is_refused_for_that_row_with_the_permission_rule(api, assigned, focal_kz):
    theirs = assigned["CSACVE-2015-1", "KG"]
    workbook = Workbook()
    workbook.active.append(["id", "update_status", "update_date"])
    workbook.active.append([assigned["CSACVE-2015-1", "KZ"].pk, "in_progress", "2016-05-01"])
    workbook.active.append([theirs.pk, "in_progress", "2016-05-01"])

    response = upload(api, focal_kz, save(workbook), dry_run=True)

    assert response.status_code == 422
    assert response.json()["refused"] == [
        {
            "row": 3,
            "column": "id",
            "code": "permission_denied",
            "message": "You cannot report on the assignments of Kyrgyzstan.",
        }
    ]
    assert [row["row"] for row in response.json()["created"]] == [2]


def test_rule_messages_are_in_the_readers_language(api, assigned, focal_kz):
    workbook = Workbook()
    workbook.active.append(["id", "update_status", "update_date"])
    workbook.active.append(
        [assigned["CSACVE-2015-1", "KZ"].pk, "in_progress", timezone.localdate() + datetime.timedelta(days=2)]
    )
    file = io.BytesIO(save(workbook))
    file.name = "x.xlsx"

    response = api(focal_kz).post(UPLOAD, {"file": file}, format="multipart", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.json()["refused"][0]["code"] == "date_in_future"
    assert response.json()["refused"][0]["message"] == "Дата не может быть в будущем."


def test_the_current_status_is_the_latest_rows_whatever_their_order(api, assigned, coordinator):
    one = assigned["CSACVE-2015-1", "KZ"]
    report(one, coordinator, "stalled", datetime.date(2016, 3, 1))
    workbook = Workbook()
    workbook.active.append(["id", "update_status", "update_date"])
    workbook.active.append([one.pk, "in_progress", "2016-06-01"])
    workbook.active.append([one.pk, "not_started", "2016-02-01"])  # older than the standing report

    assert upload(api, coordinator, save(workbook)).status_code == 201

    one.refresh_from_db()
    assert (one.status, one.status_date) == ("in_progress", datetime.date(2016, 6, 1))
    assert one.last_update == StatusUpdate.objects.get(assignment=one, date=datetime.date(2016, 6, 1))


def sheet_of(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    return save(workbook)


def macro_enabled():
    body = io.BytesIO(sheet_of([["id", "update_status", "update_date"]]))
    with zipfile.ZipFile(body, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    return body.getvalue()


def password_protected():
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(sheet_of([["id", "update_status", "update_date"]]))
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", encrypted)
    assert msoffcrypto  # the library that made it
    return encrypted.getvalue()


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda: b"%PDF-1.4\n\x01\x02\x03 not a sheet", "not_a_spreadsheet", "not a spreadsheet"),
        (lambda: b"PK\x03\x04 broken zip", "not_a_spreadsheet", "not a spreadsheet"),
        (
            lambda: b"id,update_status,update_date\n1,stalled," + b"x" * 140_000,
            "not_a_spreadsheet",
            "not a spreadsheet",
        ),
        (macro_enabled, "macro_enabled", "macros"),
        (password_protected, "password_protected", "password"),
        (lambda: sheet_of([["id", "update_status", "update_date", "colour"]]), "unknown_columns", "“colour”"),
        (lambda: sheet_of([["id", "update_status"]]), "missing_columns", "“update_date”"),
        (lambda: sheet_of([["name", "colour"]]), "not_the_template", "none of the template's columns"),
        (lambda: sheet_of([]), "no_header", "header row"),
        (lambda: b"x" * (1024 * 1024 + 1), "too_large", "1 MB"),
        (
            lambda: sheet_of([["id", "update_status", "update_date"], *[[1, "stalled", "2016-01-01"]] * 11]),
            "too_many_rows",
            "10 rows",
        ),
    ],
)
def test_a_bad_file_is_refused_whole_with_its_message_and_writes_nothing(api, coordinator, settings, make, code, words):
    settings.IMPORT_MAX_MEGABYTES, settings.IMPORT_MAX_ROWS = 1, 10

    response = upload(api, coordinator, make())

    assert response.status_code == 422
    assert response.json()["code"] == code
    assert words in response.json()["detail"]
    assert not StatusUpdate.objects.exists()


def test_text_in_a_date_column_and_a_formula_are_refused_cells_and_the_formula_is_not_run(api, assigned, coordinator):
    one = assigned["CSACVE-2015-1", "KZ"]
    data = sheet_of(
        [
            ["id", "update_status", "update_date"],
            [one.pk, "in_progress", "soon"],
            [one.pk, "in_progress", "=TODAY()"],
            [one.pk, "in_progress", "09/01/2016"],  # 9 January or 1 September: which Excel wrote it?
        ]
    )

    response = upload(api, coordinator, data)

    assert [(r["row"], r["column"], r["code"]) for r in response.json()["refused"]] == [
        (2, "update_date", "not_a_date"),
        (3, "update_date", "formula"),
        (4, "update_date", "not_a_date"),
    ]
    assert "“soon” is not a date" in response.json()["refused"][0]["message"]
    assert not StatusUpdate.objects.exists()


def test_text_the_export_quoted_against_formulas_reads_back_as_it_was(api, assigned, coordinator):
    one = assigned["CSACVE-2015-1", "KZ"]
    data = sheet_of(
        [["id", "update_status", "update_date", "update_note"], [one.pk, "in_progress", "2016-05-01", "'=1+1 done"]]
    )

    assert upload(api, coordinator, data).status_code == 201
    assert StatusUpdate.objects.get().note == "=1+1 done"


def test_the_api_needs_a_focal_point_or_a_coordinator(api, assigned, viewer, focal_kz):
    assert api().post(UPLOAD, {}, format="multipart").status_code in (401, 403)
    assert api(viewer).post(UPLOAD, {}, format="multipart").json()["code"] == "permission_denied"
    assert api(viewer).get(TEMPLATE).status_code == 403
    assert api(focal_kz).post(UPLOAD, {}, format="multipart").json() == {"file": ["No file was submitted."]}


class TestCommand:
    def write(self, tmp_path, rows):
        path = tmp_path / "updates.xlsx"
        path.write_bytes(sheet_of([["id", "update_status", "update_date", "update_evidence_url"], *rows]))
        return str(path)

    def test_it_records_the_rows_and_says_how_many(self, tmp_path, assigned, focal_kz, capsys):
        path = self.write(tmp_path, [[assigned["CSACVE-2015-1", "KZ"].pk, "stalled", "2016-05-01", ""]])

        call_command("import_spreadsheet", path, "--dry-run", "--as", "focal-kz")
        assert "1 to record, 0 left" in capsys.readouterr().out
        assert not StatusUpdate.objects.exists()

        call_command("import_spreadsheet", path, "--as", "focal-kz")
        assert "1 recorded, 0 left" in capsys.readouterr().out
        assert StatusUpdate.objects.get().author == focal_kz

    def test_refused_rows_exit_non_zero_with_one_line_each(self, tmp_path, assigned, focal_kz, capsys):
        one, theirs = assigned["CSACVE-2015-1", "KZ"], assigned["CSACVE-2015-1", "KG"]
        path = self.write(
            tmp_path,
            [
                [one.pk, "implemented", "2016-05-01", ""],
                [one.pk, "stalled", "2016-05-02", ""],
                [theirs.pk, "stalled", "2016-05-01", ""],
            ],
        )

        with pytest.raises(CommandError, match="2 rows are refused; nothing was recorded."):
            call_command("import_spreadsheet", path, "--as", "focal-kz")

        assert capsys.readouterr().err.splitlines() == [
            f"{path}, row 2, update_evidence_url: A status of “Implemented” needs evidence: a link or a file.",
            f"{path}, row 4, id: You cannot report on the assignments of Kyrgyzstan.",
        ]
        assert not StatusUpdate.objects.exists()

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ([], "Name the user"),
            (["--as", "nobody"], "No user is called nobody."),
            (["--as", "viewer"], "viewer may not record status updates."),
        ],
    )
    def test_without_a_user_who_may_report_it_refuses_in_one_line(self, tmp_path, viewer, arguments, message):
        with pytest.raises(CommandError, match=message):
            call_command("import_spreadsheet", self.write(tmp_path, []), *arguments)

    def test_a_bad_file_is_one_line(self, tmp_path, coordinator):
        path = tmp_path / "notes.txt"
        path.write_bytes(b"\x00\x01binary")
        with pytest.raises(CommandError, match="notes.txt: This file is not a spreadsheet"):
            call_command("import_spreadsheet", str(path), "--as", "coordinator")


def test_running_totals_follow_the_bulk_path(api, assigned, coordinator):
    from recommendations.reads import progress

    data = sheet_of(
        [["id", "update_status", "update_date"], *[[a.pk, "stalled", "2016-05-01"] for a in assigned.values()]]
    )
    before = progress.summary_of_all()
    assert upload(api, coordinator, data).status_code == 201
    after = progress.summary_of_all()  # on PostgreSQL the running totals, elsewhere a count
    assert after == progress.summary(Assignment.objects.all())
    assert after["stalled"] - before["stalled"] == len(assigned)  # each of them counted once, by hand
    assert after["total"] == before["total"]


class TestPages:
    def test_upload_preview_confirm_records_once(self, client, assigned, focal_kz):
        one = assigned["CSACVE-2015-1", "KZ"]
        client.force_login(focal_kz)
        page = client.get("/imports/updates/")
        assert page.status_code == 200
        assert b"/api/imports/updates/template/?format=xlsx" in page.content
        file = io.BytesIO(sheet_of([["id", "update_status", "update_date"], [one.pk, "stalled", "2016-05-01"]]))
        file.name = "kz.xlsx"

        uploaded = client.post("/imports/updates/", {"file": file})
        assert uploaded.status_code == 302
        preview = client.get(uploaded.url)
        assert "1 status update to record" in preview.content.decode()
        assert not StatusUpdate.objects.exists()

        confirmed = client.post(uploaded.url, follow=True)
        assert "1 status update recorded." in confirmed.content.decode()
        assert StatusUpdate.objects.get().assignment == one
        client.post(uploaded.url)
        assert StatusUpdate.objects.count() == 1

    def test_a_bad_file_shows_its_message_beside_the_field(self, client, focal_kz):
        client.force_login(focal_kz)
        file = io.BytesIO(b"\x00\x01")
        file.name = "x.xlsx"
        page = client.post("/imports/updates/", {"file": file})
        assert page.status_code == 200
        assert "This file is not a spreadsheet that can be read" in page.content.decode()

    def test_refused_rows_are_listed_with_row_column_and_message_and_no_confirm_button(
        self, client, assigned, focal_kz
    ):
        theirs = assigned["CSACVE-2015-1", "KG"]
        client.force_login(focal_kz)
        file = io.BytesIO(sheet_of([["id", "update_status", "update_date"], [theirs.pk, "stalled", "2016-05-01"]]))
        file.name = "kz.xlsx"
        preview = client.get(client.post("/imports/updates/", {"file": file}).url).content.decode()
        assert "You cannot report on the assignments of Kyrgyzstan." in preview
        assert "<td>2</td><td><code>id</code></td>" in preview
        assert "Record 1 status update" not in preview

    def test_an_upload_is_its_owners_alone(self, client, assigned, focal_kz, coordinator):
        client.force_login(focal_kz)
        file = io.BytesIO(sheet_of([["id", "update_status", "update_date"]]))
        file.name = "kz.xlsx"
        url = client.post("/imports/updates/", {"file": file}).url
        client.force_login(coordinator)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
