"""The renderer loads nothing from the network or the disk beyond static files and fonts; user text is escaped."""

import subprocess

import pytest
from django.conf import settings

from iscm_portal.pdf_fetcher import ResourceRefused, RestrictedURLFetcher
from packages import pdf
from packages.enums import VersionStatus
from reviews.models import ObjectiveReport

from .helpers import compile_now, media_path, page_text

REMOTE = "http://example.com/tracker.png"
LOCAL = "file:///etc/passwd"


@pytest.mark.parametrize(
    "url",
    [
        REMOTE,
        "https://example.com/font.woff2",
        "ftp://example.com/x",
        LOCAL,
        f"file://{settings.BASE_DIR}/pyproject.toml",
        f"file://{settings.BASE_DIR}/static/../pyproject.toml",
    ],
)
def test_fetcher_refuses_network_and_files_outside_static(url):
    fetcher = RestrictedURLFetcher()
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_the_report_stylesheet_and_fonts():
    fetcher = RestrictedURLFetcher()
    response = fetcher.fetch(pdf.CSS_PATH.as_uri())
    assert response.read() == pdf.CSS_PATH.read_bytes()
    assert response.content_type == "text/css"
    font = fetcher.fetch("file:///usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"
    assert fetcher.refused == []


def test_render_refuses_remote_image_and_local_file_in_markup():
    html = f'<p>Logo</p><img src="{REMOTE}"><img src="{LOCAL}"><link rel="stylesheet" href="{REMOTE}.css">'
    data, _bookmarks, fetcher, _pages = pdf.html_to_pdf(html)
    assert data.startswith(b"%PDF-")
    assert sorted(fetcher.refused) == sorted([REMOTE, LOCAL, f"{REMOTE}.css"])


@pytest.mark.django_db(transaction=True)
def test_review_text_with_markup_is_printed_not_loaded(
    package, iom_user, approved_reviews, django_capture_on_commit_callbacks
):
    report = ObjectiveReport.objects.get(review=approved_reviews[0], objective__number=1)
    report.progress = f'See <img src="{REMOTE}"> and <img src="{LOCAL}"> & <script>alert(1)</script>.'
    report.save()
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert version.status == VersionStatus.DONE
    path = media_path(version.pdf)
    text = " ".join(" ".join(page_text(path, page).split()) for page in range(1, version.pdf_pages + 1))
    expected = f'See <img src="{REMOTE}"> and <img src="{LOCAL}"> & <script>alert(1)</script>.'
    # Lines may break after a slash; compare without the layout's whitespace.
    assert "".join(expected.split()) in "".join(text.split())
    assert "root:x:0:0" not in text


@pytest.mark.django_db(transaction=True)
def test_report_embeds_fonts_for_arabic_and_accented_names(
    package, iom_user, approved_reviews, django_capture_on_commit_callbacks
):
    approved_reviews[0].meetings.update(place="عمّان")
    approved_reviews[1].meetings.update(title="Réunion régionale de Dakar, Côte d’Ivoire et São Tomé")
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    path = media_path(version.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    embedded = {line.split()[-5] for line in fonts.splitlines()[2:]}
    assert {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Arabic"} <= names
    assert embedded == {"yes"}
    text = " ".join(page_text(path, page) for page in range(1, version.pdf_pages + 1))
    assert "Réunion régionale de Dakar, Côte d’Ivoire et São Tomé" in " ".join(text.split())
