"""The data package: one ZIP with the report, the reviews as JSON and CSV, the attachments and a manifest."""

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from iscm_portal.spreadsheet_cells import escape_cell
from reviews.enums import OBJECTIVE_TEXT_FIELDS

from .exceptions import PackageCompileError
from .files import file_digest
from .selectors import review_versions

CSV_COLUMNS = [
    "mechanism",
    "mechanism_name",
    "review_id",
    "review_revision",
    "objective",
    "objective_label",
    "addressed",
    "regional_priority",
    *OBJECTIVE_TEXT_FIELDS,
    "guiding_principles",
]


def reviews_csv(snapshot: dict) -> bytes:
    """One row per mechanism and objective, addressed or not, so the table is square."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for review in snapshot["reviews"]:
        reports = {report["objective"]: report for report in review["reports"]}
        for objective in snapshot["objectives"]:
            report = reports.get(objective["number"])
            row = {
                "mechanism": review["mechanism"]["acronym"],
                "mechanism_name": review["mechanism"]["name"],
                "review_id": review["id"],
                "review_revision": review["revision"],
                "objective": objective["number"],
                "objective_label": objective["short_label"],
                "addressed": "yes" if report else "no",
                "regional_priority": "yes" if report and report["is_regional_priority"] else "no",
                **{field: report[field] if report else "" for field in OBJECTIVE_TEXT_FIELDS},
                "guiding_principles": report["guiding_principles"] if report else "",
            }
            writer.writerow({column: escape_cell(value) for column, value in row.items()})
    # A byte-order mark so that spreadsheet programs read the accents and other scripts as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode()


def attachment_archive_name(review: dict, attachment: dict) -> str:
    name = get_valid_filename(attachment["original_name"]) or "file"
    return f"attachments/{get_valid_filename(review['mechanism']['acronym'])}/{attachment['id']}-{name}"


def build_data_package(
    snapshot: dict, pdf_path: Path, target: Path, *, version, contents: list[dict], docx_path: Path | None = None
) -> None:
    """Write the ZIP at `target`, a local file of the task; the attachments are read from their storage. The
    report is in it in PDF and, when given, in Word."""
    entries: list[tuple[str, Path | bytes | dict]] = [(f"report/{pdf_path.name}", pdf_path)]
    if docx_path is not None:
        entries.append((f"report/{docx_path.name}", docx_path))
    for review in snapshot["reviews"]:
        for attachment in review["attachments"]:
            entries.append((attachment_archive_name(review, attachment), {"review": review, "attachment": attachment}))
    public = {
        **snapshot,
        "reviews": [
            {
                **review,
                "attachments": [
                    {**{k: v for k, v in item.items() if k != "path"}, "file": attachment_archive_name(review, item)}
                    for item in review["attachments"]
                ],
            }
            for review in snapshot["reviews"]
        ],
    }
    entries.append(("data/reviews.json", json.dumps(public, ensure_ascii=False, indent=2).encode()))
    entries.append(("data/reviews.csv", reviews_csv(snapshot)))
    entries.append(("data/contents.json", json.dumps(contents, ensure_ascii=False, indent=2).encode()))

    files = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, source in entries:
            if isinstance(source, Path):
                archive.write(source, name)
                size, sha = file_digest(source)
            elif isinstance(source, dict):
                size, sha = _copy_attachment(archive, name, **source)
            else:
                archive.writestr(name, source)
                size, sha = len(source), hashlib.sha256(source).hexdigest()
            files.append({"path": name, "size": size, "sha256": sha})
        manifest = {
            "package": snapshot["package"],
            "cycle": snapshot["cycle"],
            "version": version.number,
            "generated_at": timezone.now().isoformat(),
            "review_versions": review_versions(snapshot),
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))


def _copy_attachment(archive: zipfile.ZipFile, name: str, *, review: dict, attachment: dict) -> tuple[int, str]:
    """Stream one attachment from its storage into the archive; its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    try:
        source = default_storage.open(attachment["path"], "rb")
    except (FileNotFoundError, SuspiciousFileOperation) as error:
        raise PackageCompileError(
            _("The attachment “%(name)s” of the %(mechanism)s review is missing from storage.")
            % {"name": attachment["original_name"], "mechanism": review["mechanism"]["acronym"]}
        ) from error
    with source, archive.open(name, "w", force_zip64=True) as copy:
        for block in iter(lambda: source.read(1 << 20), b""):
            copy.write(block)
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()
