"""Compile a package eagerly in tests and read what it produced."""

import re
import subprocess
import uuid
from pathlib import Path

from django.conf import settings

from packages import services
from packages.models import PackageVersion

TOC_LINE = re.compile(r"^\s*(?P<title>\S.*?)\s*(?:\.\s*)+\s*(?P<page>\d+)\s*$")


def compile_now(package, user, capture) -> PackageVersion:
    """Request a version and run the queued tasks (eager Celery) as the commit would."""
    with capture(execute=True):
        version, _created = services.version_request(package=package, by=user, request_token=uuid.uuid4())
    version.refresh_from_db()
    return version


def media_path(file_field) -> Path:
    return Path(settings.MEDIA_ROOT) / file_field.name


def page_text(pdf: Path, page: int) -> str:
    """Text of one page (1-based physical page), as poppler lays it out."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def contents_entries(pdf: Path, front_pages: int) -> list[tuple[str, int]]:
    """(title, printed page number) for each line of the table of contents."""
    entries = []
    for page in range(1, front_pages + 1):
        for line in page_text(pdf, page).splitlines():
            match = TOC_LINE.match(line)
            if match:
                entries.append((match["title"], int(match["page"])))
    return entries
