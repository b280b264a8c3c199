"""XLSX export of every list: ?format=xlsx gives the same columns as CSV (api.export), every matching
row, dates as date cells and numbers as numbers, only what the reader may see."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from api import export
from tests.factories import assignment, report
from tests.helpers import count_queries
from tests.test_api_csv import LISTS as CSV_LISTS

LISTS = [*CSV_LISTS, "/api/progress/?by=status"]


def sheet(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == export.XLSXRenderer.media_type
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def rows(response):
    """The sheet as dicts keyed by its header row, with its title."""
    worksheet = sheet(response)
    header, *body = worksheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in body]


@pytest.fixture
def reported(coordinator, focal_kz, focal_kg):
    report(assignment("CSACVE-2015-1", "KZ", coordinator), focal_kz, internal_note="Not for the public.")
    return report(assignment("CSACVE-2015-1", "KG", coordinator), focal_kg, note='=HYPERLINK("http://x")')


def csv_header(api, url):
    response = api().get(url + ("&" if "?" in url else "?") + "format=csv")
    return b"".join(response.streaming_content).decode().splitlines()[0].split(",")


@pytest.mark.parametrize("url", LISTS)
def test_every_list_exports_the_csv_columns_and_all_its_rows(api, reported, url):
    response = api().get(url + ("&" if "?" in url else "?") + "format=xlsx&page_size=1")
    exported = rows(response)
    worksheet_header = list(exported[0])

    assert worksheet_header == csv_header(api, url)
    if "progress" not in url:
        assert len(exported) == api().get(f"{url}?page_size=500").json()["count"]


def test_the_export_is_a_named_download_and_the_sheet_is_named_in_the_readers_language(api, reported):
    english = api().get("/api/assignments/?format=xlsx")
    russian = api().get("/api/assignments/?format=xlsx", HTTP_ACCEPT_LANGUAGE="ru")

    assert english["Content-Disposition"] == 'attachment; filename="assignments.xlsx"'
    assert sheet(english).title == "Assignments"
    assert sheet(russian).title == "Поручения"


def test_dates_are_date_cells_and_numbers_are_numbers(api, reported):
    worksheet = sheet(api().get("/api/status-updates/?format=xlsx&country=KG"))
    header = [cell.value for cell in next(worksheet.iter_rows(max_row=1))]
    row = dict(zip(header, next(worksheet.iter_rows(min_row=2)), strict=True))

    assert row["date"].is_date and row["date"].value == datetime.datetime(2016, 1, 15)
    assert row["date"].number_format == "yyyy-mm-dd"
    assert row["created_at"].is_date and "h:mm" in row["created_at"].number_format
    assert row["id"].data_type == "n" and row["id"].value == reported.pk
    assert row["assignment"].value == reported.assignment_id


def test_labels_are_in_the_readers_language_beside_the_slugs(api, reported):
    (kg,) = rows(api().get("/api/assignments/?format=xlsx&country=KG", HTTP_ACCEPT_LANGUAGE="ru"))

    assert (kg["status"], kg["status_label"]) == ("in_progress", "Выполняется")
    assert kg["is_overdue"] is True


def test_the_export_takes_the_lists_filters(api, reported):
    exported = rows(api().get("/api/assignments/?format=xlsx&country=KG&status=in_progress"))

    assert [(row["recommendation_code"], row["actor_name"], row["dataset"]) for row in exported] == [
        ("CSACVE-2015-1", "Kyrgyzstan", "record")
    ]


def test_text_a_spreadsheet_would_run_as_a_formula_is_quoted_not_written_as_a_formula(api, reported):
    worksheet = sheet(api().get("/api/status-updates/?format=xlsx&country=KG"))
    header = [cell.value for cell in next(worksheet.iter_rows(max_row=1))]
    note = next(worksheet.iter_rows(min_row=2))[header.index("note")]

    assert (note.value, note.data_type) == ('\'=HYPERLINK("http://x")', "s")


def test_only_what_the_reader_may_see_is_exported(api, reported, coordinator, focal_kz):
    def kz(user=None):
        (row,) = rows(api(user).get("/api/status-updates/?format=xlsx&country=KZ"))
        return row["internal_note"], row["author_name"]

    assert kz() == (None, None)
    assert kz(coordinator) == ("Not for the public.", "focal-kz")


def test_an_export_over_the_row_limit_is_refused_in_json(api, reported, monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 1)

    response = api().get("/api/status-updates/?format=xlsx")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "at most 1 rows" in response.json()["format"][0]
    assert rows(api().get("/api/status-updates/?format=xlsx&country=KG"))  # one row is within it


def test_an_export_costs_the_same_as_the_csv(api, reported, coordinator):
    client = api(coordinator)
    for url in ("/api/status-updates/?expand=assignment", "/api/progress/?by=event"):
        assert count_queries(client, f"{url}&format=xlsx") == count_queries(client, f"{url}&format=csv")


def test_each_list_page_links_its_xlsx_download(client, reported):
    html = client.get("/assignments/?country=KG").text
    link = re.search(r'href="([^"]+)" download><span aria-hidden="true">Download XLSX', html).group(1)

    assert link.replace("&amp;", "&") == "/api/assignments/?country=KG&format=xlsx"
    assert [row["actor_name"] for row in rows(client.get(link.replace("&amp;", "&")))] == ["Kyrgyzstan"]
