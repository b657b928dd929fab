"""Compile a package eagerly in tests and read what it produced."""

import re
import subprocess
import uuid
from pathlib import Path

from django.conf import settings
from pypdf import PdfReader

from packages import services
from packages.models import PackageVersion

# A contents entry: its title, the leader dots, its page; the objectives are set in two columns, two on a line.
TOC_ENTRY = re.compile(r"(?P<title>\S(?:.*?\S)??)\s*(?:\.\s*){2,}(?P<page>\d+)(?=\s{2,}|\s*$)")


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
            entries.extend((match["title"], int(match["page"])) for match in TOC_ENTRY.finditer(line))
    return entries


HEADING_SIZE = 10.4  # pt: h3 is 10.5pt, body text 9.5pt, small print 8pt (report.css)
FURNITURE_BOTTOM = 50  # pt from the page's foot: the running footer and the stamped page number sit below


def text_lines(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, its lines of text above the footer as (height from the foot in pt, largest font size, text)."""
    pages = []
    for page in PdfReader(pdf).pages:
        pieces = []

        def visit(text, cm, tm, _font, size, pieces=pieces):
            if text.strip() and tm and cm:
                pieces.append((round(tm[5] * cm[3] + cm[5]), abs(size * tm[3] * cm[3]), text.strip()))

        page.extract_text(visitor_text=visit)
        lines: dict[int, list] = {}
        for y, size, text in pieces:
            if y > FURNITURE_BOTTOM:
                lines.setdefault(y, []).append((size, text))
        pages.append(
            [
                (y, max(size for size, _text in items), " ".join(text for _size, text in items))
                for y, items in sorted(lines.items(), reverse=True)
            ]
        )
    return pages
