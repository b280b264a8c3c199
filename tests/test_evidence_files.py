"""Evidence files on status updates (recommendations/evidence.py, web/evidence.py): judged by content,
refused with a message when wrong, stored under generated names, downloaded with safe headers by
whoever may see the update, and kept as part of its record."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from openpyxl import Workbook

from recommendations import permissions, workflow
from recommendations.checks import check_evidence_types
from recommendations.evidence import detect
from recommendations.models import Assignment, EvidenceFile, StatusUpdate
from tests.factories import pdf, report
from tests.helpers import postgresql_only
from web.forms import StatusUpdateForm, add_workflow_error

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.fixture(autouse=True)
def storage(evidence_storage):
    return evidence_storage


@pytest.fixture
def kz(documents):
    return Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor__iso_code="KZ")


def upload(name, content):
    return SimpleUploadedFile(name, content)


def ooxml(main_type):
    """A minimal OOXML package declaring `main_type` as its main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>',
        )
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def xlsx():
    """A real workbook, as openpyxl writes it."""
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def odt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def refusal(assignment, author, *files, **report_fields):
    """The workflow's messages and codes on `files` for a report carrying them."""
    fields = {"status": "in_progress", **report_fields}
    with pytest.raises(ValidationError) as caught:
        report(assignment, author, files=files, **fields)
    return [(error.code, message) for error in caught.value.error_dict["files"] for message in error.messages]


# What counts, by content ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("decree.pdf", b"%PDF-1.4\n...", "pdf"),
        ("photo.png", PNG, "png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        ("chart.gif", b"GIF89a\x01\x00\x01\x00", "gif"),
        ("photo.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (
            "plan.docx",
            ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
            "docx",
        ),
        ("budget.xlsx", xlsx(), "xlsx"),
        ("plan.odt", odt(), "odt"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "ole"),
        # Refused: not one of the kinds, whatever the name says.
        ("page.pdf", b"<!DOCTYPE html><script>alert(1)</script>", None),
        ("macros.docm", ooxml("application/vnd.ms-word.document.macroEnabled.main+xml"), None),
        ("archive.zip", b"PK\x03\x04 not really a zip", None),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', None),
    ],
)
def test_the_kind_is_read_from_the_content(name, content, kind):
    assert detect(upload(name, content)) == kind


def test_a_pdf_name_on_html_content_is_refused_with_a_message(kz, focal_kz):
    [(code, message)] = refusal(kz, focal_kz, upload("decree.pdf", b"<html><body>Decree</body></html>"))
    assert code == "file_type_not_allowed"
    assert message.startswith("The content of “decree.pdf” is not a kind of file the tracker accepts")
    assert "a PDF document, a PNG image" in message
    assert not StatusUpdate.objects.exists()


def test_a_pdf_name_on_png_content_is_refused_as_a_mismatch(kz, focal_kz):
    [(code, message)] = refusal(kz, focal_kz, upload("decree.pdf", PNG))
    assert code == "file_type_mismatch"
    assert message == "The content of “decree.pdf” is a PNG image, which its name should end with: .png."


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(kz, focal_kz, settings):
    settings.EVIDENCE_MAX_MEGABYTES = 1
    big = pdf("scan.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    [(code, message)] = refusal(kz, focal_kz, big)
    assert code == "file_too_large"
    assert message == "“scan.pdf” is 1.0\xa0MB; a file may be at most 1.0\xa0MB."
    assert refusal(kz, focal_kz, pdf("empty.pdf", b"")) == [("file_empty", "“empty.pdf” is empty.")]


def test_a_kind_left_out_of_the_settings_is_refused(kz, focal_kz, settings):
    settings.EVIDENCE_TYPES = ["pdf"]
    [(code, message)] = refusal(kz, focal_kz, upload("photo.png", PNG))
    assert code == "file_type_not_allowed"
    assert message.endswith("Accepted: a PDF document.")


def test_too_many_files_are_refused(kz, focal_kz, settings):
    settings.EVIDENCE_MAX_FILES = 2
    assert refusal(kz, focal_kz, pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")) == [
        ("too_many_files", "A report can carry at most 2 files.")
    ]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../../etc/passwd.pdf", "file_name_unsafe"),
        ("..\\..\\windows\\win.ini.pdf", "file_name_unsafe"),
        ("/etc/passwd.pdf", "file_name_unsafe"),
        (".hidden.pdf", "file_name_unsafe"),
        ("report.pdf.", "file_name_unsafe"),
        ("report\x00.pdf", "file_name_unsafe"),
        ("report\u202efdp.exe.pdf", "file_name_unsafe"),  # a right-to-left override
        ("x" * 200 + ".pdf", "file_name_too_long"),
    ],
)
def test_a_name_with_path_tricks_is_refused_with_a_message(kz, focal_kz, storage, name, code):
    # A ContentFile keeps the name as given (an uploaded file drops its folders: see below), as a
    # caller of the workflow other than the pages and the API might pass it.
    [(refused, message)] = refusal(kz, focal_kz, ContentFile(pdf().read(), name=name))
    assert refused == code
    assert "file name" in message
    assert not EvidenceFile.objects.exists()
    assert not storage.exists() or not any(storage.rglob("*"))


def test_the_form_shows_a_refused_name_beside_the_files_field(kz, focal_kz):
    data = {"status": "in_progress", "date": "2016-01-15"}
    form = StatusUpdateForm(data, {"files": [pdf("..\\..\\boot.ini.pdf")]}, assignment=kz, user=focal_kz)
    assert form.is_valid()
    with pytest.raises(ValidationError) as caught:
        workflow.check_status_update(workflow.Report(assignment=kz, author=focal_kz, **form.workflow_arguments()))
    add_workflow_error(form, caught.value)
    assert form.errors["files"] == [
        "The file name “..\\..\\boot.ini.pdf” is not a plain file name (no folders, no leading or trailing dots)."
    ]


# Recording, through the page and the API --------------------------------------------------------------


def test_implemented_with_a_file_and_no_link_is_recorded(kz, focal_kz, storage):
    update = report(kz, focal_kz, "implemented", files=(pdf("decree.pdf"),))
    [evidence] = update.files.all()
    assert update.evidence_url == "" and kz.status == "implemented"
    assert (evidence.name, evidence.content_type, evidence.size) == ("decree.pdf", "application/pdf", len(pdf().read()))
    # Stored under a generated name inside the storage's folder, never under the user's.
    assert "decree" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    assert (storage / evidence.file.name).read_bytes().startswith(b"%PDF-")


def test_implemented_without_link_or_file_is_still_refused(kz, focal_kz):
    with pytest.raises(ValidationError) as caught:
        report(kz, focal_kz, "implemented")
    assert caught.value.error_dict["evidence_url"][0].code == "evidence_required"


def test_the_page_records_a_report_with_files_and_lists_them(client, kz, focal_kz):
    client.force_login(focal_kz)
    response = client.post(
        kz.get_absolute_url(),
        {"status": "implemented", "date": "2016-01-15", "files": [pdf("decree.pdf"), upload("photo.png", PNG)]},
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert [evidence.name for evidence in update.files.all()] == ["decree.pdf", "photo.png"]
    html = client.get(kz.get_absolute_url()).text
    assert 'enctype="multipart/form-data"' in html
    for evidence in update.files.all():
        assert f'<a href="/evidence/{evidence.pk}/" download>{evidence.name}</a>' in html


def test_the_page_shows_a_refused_file_beside_the_field_and_records_nothing(client, kz, focal_kz, storage):
    client.force_login(focal_kz)
    response = client.post(
        kz.get_absolute_url(),
        {"status": "implemented", "date": "2016-01-15", "note": "Kept.", "files": [upload("decree.pdf", PNG)]},
    )
    assert response.status_code == 200
    assert 'id="id_files_error"' in response.text
    assert "is a PNG image, which its name should end with: .png." in response.text
    assert ">\nKept.</textarea>" in response.text
    assert not StatusUpdate.objects.exists()
    assert not storage.exists() or not any(storage.rglob("*"))


def test_the_upload_parser_drops_folders_and_the_file_gets_a_generated_name(client, kz, focal_kz, storage):
    """Django's multipart parser keeps only the last part of a name sent with folders (so no request
    reaches the workflow with one): the file is stored inside the storage, under a generated name."""
    client.force_login(focal_kz)
    boundary = "BoUnDaRy"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="status"\r\n\r\nimplemented\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="date"\r\n\r\n2016-01-15\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="../../etc/passwd.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n%%EOF\n\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    response = client.generic(
        "POST", kz.get_absolute_url(), body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 302
    [evidence] = EvidenceFile.objects.all()
    assert evidence.name == "passwd.pdf"
    assert (storage / evidence.file.name).resolve().is_relative_to(storage.resolve())
    assert "passwd" not in evidence.file.name


def test_a_very_long_name_sent_by_a_browser_is_refused_on_the_page(client, kz, focal_kz):
    client.force_login(focal_kz)
    name = "rapport-" * 30 + ".pdf"
    response = client.post(kz.get_absolute_url(), {"status": "implemented", "date": "2016-01-15", "files": [pdf(name)]})
    assert "is too long: at most 150 characters." in response.text
    assert not StatusUpdate.objects.exists()


def test_the_api_takes_files_as_multipart_and_lists_them(api, kz, focal_kz):
    client = api(focal_kz)
    body = {"assignment": kz.pk, "status": "implemented", "date": "2016-01-15", "files": [pdf("decree.pdf")]}
    response = client.post("/api/status-updates/", body, format="multipart")
    assert response.status_code == 201, response.json()
    [listed] = response.json()["files"]
    evidence = EvidenceFile.objects.get()
    assert listed == {
        "id": evidence.pk,
        "name": "decree.pdf",
        "content_type": "application/pdf",
        "size": len(pdf().read()),
        "sha256": evidence.sha256,
        "download_url": f"http://testserver/evidence/{evidence.pk}/",
    }
    assert api().get(f"/api/status-updates/{evidence.update_id}/").json()["files"] == [listed]


def test_the_api_refuses_a_wrong_file_beside_the_field(api, kz, focal_kz):
    body = {"assignment": kz.pk, "status": "implemented", "date": "2016-01-15", "files": [upload("a.pdf", PNG)]}
    response = api(focal_kz).post("/api/status-updates/", body, format="multipart")
    assert response.status_code == 400
    # A 400 names the field with its messages (docs/api.md, "Errors").
    assert response.json() == {
        "files": ["The content of “a.pdf” is a PNG image, which its name should end with: .png."]
    }
    assert not StatusUpdate.objects.exists()


# Downloads -----------------------------------------------------------------------------------------


@pytest.fixture
def evidence(kz, focal_kz):
    update = report(kz, focal_kz, "implemented", files=(pdf('Décret n° 5 "final".pdf'),))
    return update.files.get()


def test_a_download_is_an_attachment_with_safe_headers(client, evidence):
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''D%C3%A9cret%20n%C2%B0%205%20%22final%22.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, max-age=0"


def test_an_anonymous_reader_gets_a_file_only_while_they_may_see_its_update(client, evidence, settings, viewer):
    settings.PUBLIC_READ = True
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 200
    settings.PUBLIC_READ = False
    # Sent to sign in, as from every page, and the same for a file that does not exist: nothing leaks.
    for pk in (evidence.pk, evidence.pk + 1000):
        response = client.get(f"/evidence/{pk}/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(viewer)
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 200
    assert client.get(f"/evidence/{evidence.pk + 1000}/").status_code == 404


def test_the_download_asks_the_update_read_rule(client, evidence, monkeypatch):
    """The view asks permissions.can_see_update (validation before publishing will hide some updates):
    an update the reader may not see answers as a file that does not exist."""
    seen = []
    monkeypatch.setattr(permissions, "can_see_update", lambda user, update: seen.append(update) and False)
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 404
    assert seen == [evidence.update]


def test_a_file_missing_from_the_storage_is_a_404_not_a_500(client, evidence, storage):
    (storage / evidence.file.name).unlink()
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 404


def test_downloads_refuse_writes(client, evidence, focal_kz):
    client.force_login(focal_kz)
    assert client.post(f"/evidence/{evidence.pk}/").status_code == 405


# Part of the record ----------------------------------------------------------------------------------


def test_evidence_files_are_append_only(evidence):
    with pytest.raises(ValidationError, match="cannot be changed"):
        evidence.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        evidence.delete()
    with pytest.raises(ValidationError, match="cannot be changed"):
        EvidenceFile.objects.update(name="other.pdf")
    with pytest.raises(ValidationError, match="cannot be deleted"):
        EvidenceFile.objects.all().delete()


@postgresql_only("the append-only trigger is PostgreSQL's (migration 0021)")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE recommendations_evidencefile SET name = 'other.pdf'",
        "DELETE FROM recommendations_evidencefile",
        "TRUNCATE recommendations_evidencefile",
    ],
)
def test_the_database_refuses_changing_evidence_files(evidence, sql):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert EvidenceFile.objects.get().name == evidence.name


def test_a_correction_leaves_the_files_with_the_update_it_corrects(evidence, focal_kz):
    correction = report(evidence.update.assignment, focal_kz, "partially_implemented", corrects=evidence.update)
    assert list(correction.files.all()) == []
    assert list(StatusUpdate.objects.get(pk=evidence.update_id).files.all()) == [evidence]


def test_an_unknown_kind_in_the_settings_fails_the_system_check(settings):
    settings.EVIDENCE_TYPES = ["pdf", "exe"]
    [error] = check_evidence_types()
    assert error.id == "recommendations.E002" and "exe" in error.msg
    settings.EVIDENCE_TYPES = ["pdf"]
    assert check_evidence_types() == []


def test_the_api_answers_a_part_that_is_no_file_beside_the_field(api, kz, focal_kz):
    body = {"assignment": kz.pk, "status": "in_progress", "date": "2016-01-15", "files": "{}"}
    response = api(focal_kz).post("/api/status-updates/", body, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"files": ["The submitted data was not a file. Check the encoding type on the form."]}


def test_an_office_file_with_damaged_compressed_data_is_no_evidence_not_a_failure():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types>" + "x" * 500 + "</Types>")
    damaged = bytearray(buffer.getvalue())
    start = damaged.index(b"[Content_Types].xml") + len("[Content_Types].xml")  # where its data begins
    damaged[start : start + 6] = b"\xff" * 6  # zipfile then raises zlib.error, not BadZipFile

    assert detect(SimpleUploadedFile("report.docx", bytes(damaged))) is None
