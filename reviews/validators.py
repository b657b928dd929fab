"""Upload checks: the size limit and the file's real type, read from its content, not its name.

Allowed: PDF, Office (legacy OLE2 and Office Open XML), OpenDocument, and CSV. The name's extension must
agree with what the content is, so a renamed executable (or any other file) is refused.
"""

import csv
import io
import os
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OOXML_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OOXML_MAIN_PART = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
OPENDOCUMENT_TYPES = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
LEGACY_OFFICE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
OLE2_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED_EXTENSIONS = (".pdf", *OOXML_TYPES, *OPENDOCUMENT_TYPES, *LEGACY_OFFICE_TYPES, ".csv")
# How much of a CSV file is read to check that it is text with rows.
CSV_SAMPLE_BYTES = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _opendocument_mimetype(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("mimetype").decode("ascii").strip()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, UnicodeDecodeError):
        return None


def _is_csv(data: bytes) -> bool:
    sample = data[:CSV_SAMPLE_BYTES]
    if not sample.strip() or b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is fine; anything else is not text.
        if error.start < len(sample) - 4:
            return False
        text = sample[: error.start].decode("utf-8-sig")
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
        return False
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return False
    return bool(rows)


def attachment_file_check(upload) -> CheckedFile:
    """Check one uploaded file; return its extension and the content type to store, or raise ValidationError."""
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Only PDF, Office, OpenDocument and CSV files can be attached (%(extensions)s).")
            % {"extensions": ", ".join(ALLOWED_EXTENSIONS)},
            code="extension",
        )
    data = _read_all(upload)
    refused = ValidationError(
        _("The content of “%(name)s” is not a %(extension)s file. Attach the document itself, saved in that format.")
        % {"name": upload.name, "extension": extension.lstrip(".").upper()},
        code="content",
    )
    kind = filetype.guess(data[:8192])
    if extension == ".pdf":
        if kind is None or kind.mime != "application/pdf":
            raise refused
        return CheckedFile(extension, "application/pdf")
    if extension in LEGACY_OFFICE_TYPES:
        if not data.startswith(OLE2_HEADER):
            raise refused
        return CheckedFile(extension, LEGACY_OFFICE_TYPES[extension])
    if extension in OOXML_TYPES:
        names = _zip_names(data)
        if not names or "[Content_Types].xml" not in names:
            raise refused
        if not any(name.startswith(OOXML_MAIN_PART[extension]) for name in names):
            raise refused
        return CheckedFile(extension, OOXML_TYPES[extension])
    if extension in OPENDOCUMENT_TYPES:
        if _opendocument_mimetype(data) != OPENDOCUMENT_TYPES[extension]:
            raise refused
        return CheckedFile(extension, OPENDOCUMENT_TYPES[extension])
    # CSV: text that parses as rows, and nothing a magic-byte check recognises as a binary format.
    if kind is not None or not _is_csv(data):
        raise refused
    return CheckedFile(extension, "text/csv")
