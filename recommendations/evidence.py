"""Evidence files: what a status update may carry besides a link, and where the files are kept.

A file is judged by its content, never by its name: the first bytes (and, for office documents,
the parts of the zip inside) say what it is, and the name's extension must agree. Only the kinds in
settings.EVIDENCE_TYPES are accepted, each at most settings.EVIDENCE_MAX_MEGABYTES. The name the
user gave is kept for display and downloads only, after the path tricks it could carry are refused;
the file is stored under a generated name through the "evidence" storage (settings.STORAGES: a local
folder by default, any django-storages backend by setting), which nothing serves directly: downloads
go through web.evidence, which asks recommendations.permissions.

recommendations.workflow calls check_files while judging a report and store_files while recording it.
"""

import contextlib
import hashlib
import lzma
import os
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

NAME_LIMIT = 150  # characters of a file's name, as shown and downloaded
PART_LIMIT = 1_000_000  # bytes of a zip's [Content_Types].xml or mimetype part that are read, at most


@dataclass(frozen=True)
class Kind:
    """A kind of file accepted as evidence: its settings key, what it is called, and its content type
    for each extension its name may have."""

    key: str
    label: str
    types: dict  # extension → content type

    @property
    def extensions(self):
        return ", ".join(self.types)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of the legacy Office formats
OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."

KINDS = {
    kind.key: kind
    for kind in [
        Kind("pdf", gettext_lazy("a PDF document"), {".pdf": "application/pdf"}),
        Kind("png", gettext_lazy("a PNG image"), {".png": "image/png"}),
        Kind("jpeg", gettext_lazy("a JPEG image"), {".jpg": "image/jpeg", ".jpeg": "image/jpeg"}),
        Kind("gif", gettext_lazy("a GIF image"), {".gif": "image/gif"}),
        Kind("webp", gettext_lazy("a WebP image"), {".webp": "image/webp"}),
        Kind("docx", gettext_lazy("a Word document"), {".docx": OOXML + "wordprocessingml.document"}),
        Kind("xlsx", gettext_lazy("an Excel workbook"), {".xlsx": OOXML + "spreadsheetml.sheet"}),
        Kind("pptx", gettext_lazy("a PowerPoint presentation"), {".pptx": OOXML + "presentationml.presentation"}),
        Kind("odt", gettext_lazy("an OpenDocument text"), {".odt": ODF + "text"}),
        Kind("ods", gettext_lazy("an OpenDocument spreadsheet"), {".ods": ODF + "spreadsheet"}),
        Kind("odp", gettext_lazy("an OpenDocument presentation"), {".odp": ODF + "presentation"}),
        # The compound file does not say which program wrote it (that is deep inside); the name does.
        Kind(
            "ole",
            gettext_lazy("a legacy Office document"),
            {".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint"},
        ),
    ]
}

# The main part an OOXML package declares in [Content_Types].xml (macro-enabled ones declare others,
# and are not accepted), and the mimetype part an ODF package starts with.
_OOXML_MAIN = {
    "docx": OOXML + "wordprocessingml.document.main+xml",
    "xlsx": OOXML + "spreadsheetml.sheet.main+xml",
    "pptx": OOXML + "presentationml.presentation.main+xml",
}
_ODF_MIMETYPE = {"odt": ODF + "text", "ods": ODF + "spreadsheet", "odp": ODF + "presentation"}


def detect(upload):
    """The key of the Kind `upload`'s content is, or None: its first bytes, and a zip's parts."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(OLE):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


def _zip_kind(upload):
    try:
        with zipfile.ZipFile(upload) as package:
            mimetype = _part(package, "mimetype")
            for key, value in _ODF_MIMETYPE.items():
                if mimetype == value.encode():
                    return key
            content_types = _part(package, "[Content_Types].xml")
            for key, main in _OOXML_MAIN.items():
                if f'ContentType="{main}"'.encode() in content_types:
                    return key
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error, lzma.LZMAError):
        pass  # not a zip it can read (damaged, encrypted, an unknown compression): not evidence
    finally:
        upload.seek(0)
    return None


def _part(package, name):
    """A small part of the zip, or b"" when it is missing or too large to be what it says."""
    try:
        info = package.getinfo(name)
    except KeyError:
        return b""
    return package.read(info).strip() if info.file_size <= PART_LIMIT else b""


def allowed_kinds():
    return [KINDS[key] for key in settings.EVIDENCE_TYPES]


def accepted_description():
    """The kinds accepted, for help texts and messages: "a PDF document, a PNG image and …"."""
    return get_text_list([str(kind.label) for kind in allowed_kinds()], _("and"))


def max_bytes():
    return settings.EVIDENCE_MAX_MEGABYTES * 1024 * 1024


def _error(message, code):
    return ValidationError(message, code=code)


def name_problem(name):
    """Why `name` cannot be a file's name (a ValidationError), or None. The browsers and Django's
    upload parser already drop any folder from the name; this holds for every caller of the workflow."""
    if len(name) > NAME_LIMIT:
        return _error(
            _("The file name “%(start)s…” is too long: at most %(limit)d characters.")
            % {"start": name[:40], "limit": NAME_LIMIT},
            "file_name_too_long",
        )
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
        # Control characters (NUL included) and invisible format ones such as a right-to-left
        # override, which can make "report‮fdp.exe" read as "reportexe.pdf".
        return _error(_("The file name contains invisible or control characters: rename the file."), "file_name_unsafe")
    if not name or "/" in name or "\\" in name or name.startswith(".") or name.rstrip(". ") != name:
        return _error(
            _("The file name “%(name)s” is not a plain file name (no folders, no leading or trailing dots).")
            % {"name": name},
            "file_name_unsafe",
        )
    return None


def check_file(upload):
    """The Kind and the display name of one uploaded file, or the ValidationError that refuses it."""
    name = unicodedata.normalize("NFC", upload.name or "")
    if problem := name_problem(name):
        raise problem
    if upload.size > max_bytes():
        raise _error(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes())},
            "file_too_large",
        )
    if not upload.size:
        raise _error(_("“%(name)s” is empty.") % {"name": name}, "file_empty")
    key = detect(upload)
    if key not in settings.EVIDENCE_TYPES:
        raise _error(
            _(
                "The content of “%(name)s” is not a kind of file the tracker accepts (the content counts, "
                "not the name). Accepted: %(kinds)s."
            )
            % {"name": name, "kinds": accepted_description()},
            "file_type_not_allowed",
        )
    kind = KINDS[key]
    extension = os.path.splitext(name)[1].lower()
    if extension not in kind.types:
        raise _error(
            _("The content of “%(name)s” is %(kind)s, which its name should end with: %(extensions)s.")
            % {"name": name, "kind": kind.label, "extensions": kind.extensions},
            "file_type_mismatch",
        )
    return kind, name


def check_files(uploads):
    """Judge a report's files: a list of ValidationErrors, one per refused file (and one if there are
    too many), empty when all may be stored."""
    errors = []
    limit = settings.EVIDENCE_MAX_FILES
    if len(uploads) > limit:
        errors.append(
            _error(
                ngettext(
                    "A report can carry at most %(limit)d file.", "A report can carry at most %(limit)d files.", limit
                )
                % {"limit": limit},
                "too_many_files",
            )
        )
    for upload in uploads:
        try:
            check_file(upload)
        except ValidationError as error:
            errors.append(error)
    return errors


class _EvidenceStorage(LazyObject):
    """storages["evidence"], looked up again after a change of settings.STORAGES (as Django does for
    default_storage), so that tests can point it at a folder of their own."""

    def _setup(self):
        self._wrapped = storages["evidence"]


evidence_storage = _EvidenceStorage()


def storage():
    """The FileField's storage (a callable, so that migrations name it rather than a folder)."""
    return evidence_storage


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        evidence_storage._wrapped = empty


def store_files(update, uploads):
    """Store the (checked) files under generated names and record them as the update's EvidenceFiles,
    inside the update's transaction; what was stored is removed again if this fails. The stored names."""
    from recommendations.models import EvidenceFile  # the models name this module's storage()

    rows, stored = [], []
    if not uploads:
        return stored
    try:
        for upload in uploads:
            kind, name = check_file(upload)
            extension = os.path.splitext(name)[1].lower()
            digest, upload_size = hashlib.sha256(), 0
            for chunk in upload.chunks():
                digest.update(chunk)
                upload_size += len(chunk)
            # Never the user's name as a path: a month folder and a random name with the checked extension.
            generated = f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
            stored.append(evidence_storage.save(generated, upload))
            rows.append(
                EvidenceFile(
                    update=update,
                    file=stored[-1],
                    name=name,
                    content_type=kind.types[extension],
                    size=upload_size,
                    sha256=digest.hexdigest(),
                )
            )
        EvidenceFile.objects.bulk_create(rows)
    except BaseException:
        remove_stored(stored)
        raise
    return stored


def remove_stored(names):
    """Remove files stored for a report that was not recorded after all. One that cannot be removed
    stays behind unreferenced: harmless, since files are served only through their row."""
    for name in names:
        with contextlib.suppress(OSError):
            evidence_storage.delete(name)
