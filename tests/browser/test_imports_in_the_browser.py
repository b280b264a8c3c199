"""A focal point downloads the template, fills it in, uploads it, reads the preview and confirms, in
headless Chromium; axe-core finds no serious or critical violation on the pages, at desktop and
phone width."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook

from recommendations.models import Assignment, StatusUpdate
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import BLOCKING, audit, demo, describe  # noqa: F401 (demo is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 800}


def test_template_upload_preview_confirm(page, demo, tmp_path):  # noqa: F811
    log_in(page, "focal-kg", next_url="/")
    page.get_by_role("link", name="Record many updates at once from a spreadsheet").click()
    assert describe(audit(page, "/imports/updates/")) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (XLSX)").click()
    assert download.value.suggested_filename == "status-updates-template.xlsx"
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = sheet[2]
    row[headers.index("update_status")].value = "stalled"
    row[headers.index("update_date")].value = "2016-05-01"
    row[headers.index("update_note")].value = "Waiting for the budget."
    chosen = row[headers.index("id")].value
    body = io.BytesIO()
    workbook.save(body)
    filled = tmp_path / "kg.xlsx"
    filled.write_bytes(body.getvalue())
    before = StatusUpdate.objects.count()

    page.goto("/imports/updates/")
    page.get_by_label("Filled-in template").set_input_files(str(filled))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_text("1 status update to record").wait_for()
    preview = page.url
    assert describe(audit(page, preview)) == []
    page.set_viewport_size(PHONE)
    assert describe(audit(page, preview)) == []
    assert StatusUpdate.objects.count() == before

    page.get_by_role("button", name="Record 1 status update").click()
    page.get_by_text("1 status update recorded.").wait_for()
    assert StatusUpdate.objects.count() == before + 1
    assert Assignment.objects.get(pk=chosen).last_update.note == "Waiting for the budget."


def test_a_bad_file_shows_its_error_and_passes_axe(page, demo, tmp_path):  # noqa: F811
    log_in(page, "focal-kg", next_url="/imports/updates/")
    bad = tmp_path / "notes.xlsx"
    bad.write_bytes(b"\x00\x01 not a workbook")
    page.get_by_label("Filled-in template").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_text("This file is not a spreadsheet that can be read").wait_for()
    page.set_viewport_size(PHONE)
    violations = Axe().run(page).response["violations"]  # this page, as the refused upload left it
    assert describe([v for v in violations if v["impact"] in BLOCKING]) == []


def test_a_coordinator_imports_an_events_recommendations(page, demo, tmp_path):  # noqa: F811
    from events.models import Event

    event = Event.objects.get(code="CSACVE-2015")
    log_in(page, "coordinator", next_url=event.get_absolute_url())
    page.get_by_role("link", name="Import recommendations").click()
    assert describe(audit(page, f"/imports/recommendations/{event.pk}/")) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (XLSX)").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = sheet[2]
    row[headers.index("note")].value = "Changed in a spreadsheet."
    chosen = row[headers.index("id")].value
    filled = tmp_path / "event.xlsx"
    workbook.save(filled)

    page.get_by_label("Filled-in template").set_input_files(str(filled))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_text("1 to change").wait_for()
    preview = page.url
    assert describe(audit(page, preview)) == []
    page.set_viewport_size(PHONE)
    assert describe(audit(page, preview)) == []

    page.get_by_role("button", name="Write these changes").click()
    page.get_by_text("0 recommendations or assignments created, 1 changed.").wait_for()
    assert Assignment.objects.get(pk=chosen).note == "Changed in a spreadsheet."
