"""The compiled report's pages as a reader sees them: cover, front matter, page breaks, figures and annexes.

Each test reads the text of the PDF page by page (pdftotext, and pypdf for the size of each line's type).
"""

import re

import pytest
from pypdf import PdfReader

from mechanisms.models import State
from packages.enums import VersionStatus
from packages.pdf import fragment_html, participation
from packages.selectors import package_snapshot
from tests.factories import PledgeFactory

from .helpers import HEADING_SIZE, compile_now, contents_entries, media_path, page_text, text_lines

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report(package, iom_user, approved_reviews, django_capture_on_commit_callbacks):
    """A package whose first review counts an observer and a State outside the mechanism among those who took part,
    with pledges recorded twice or naming their pledger in their title."""
    review = approved_reviews[0]
    member_count = review.mechanism.memberships.filter(role="member").count()
    outsider = State.objects.exclude(memberships__mechanism=review.mechanism).order_by("name").first()
    observer = review.mechanism.memberships.filter(role="observer").select_related("state").first()
    review.participating_states.add(outsider, *([observer.state] if observer else []))
    ghana = State.objects.get(iso3="GHA")
    for edition in (2022, 2026):
        PledgeFactory(
            title="Fair recruitment corridor (Ghana)", pledger_state=ghana, imrf_edition=edition, objectives=[6]
        )
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert version.status == VersionStatus.DONE, version.error
    path = media_path(version.pdf)
    front_pages = sum(1 for label in PdfReader(path).page_labels if not label.isdigit())
    return {
        "path": path,
        "front_pages": front_pages,
        "review": review,
        "outsider": outsider,
        "observer": observer,
        "member_count": member_count,
    }


def test_cover_says_each_thing_once(report):
    lines = [" ".join(line.split()) for line in page_text(report["path"], 1).splitlines() if line.strip()]
    assert "2024 regional reviews (2024)" not in " ".join(lines)
    assert sum(line.count("2024 regional reviews") for line in lines) == 1
    # The title names the IMRF 2026 already, so the line above it does not say it again.
    assert not any("International Migration Review Forum 2026" in line for line in lines)
    assert len(lines) == len(set(lines))


def test_foreword_shares_the_page_with_the_whole_contents(report):
    text = " ".join(page_text(report["path"], 2).split())
    assert report["front_pages"] == 2
    assert text.startswith("Foreword This package gathers the approved regional reviews of the 2024 cycle. Contents")
    assert re.search(r"Annex C · List of attachments[ .]*\d+$", text)


def test_no_page_ends_with_a_heading_or_holds_a_single_line(report):
    pages = text_lines(report["path"])
    for number, lines in enumerate(pages[1:], start=2):
        assert lines, f"page {number} is empty"
        height, size, text = lines[-1]
        assert size < HEADING_SIZE, f"page {number} ends with the heading {text!r}"
        assert len(lines) >= 3, f"page {number} holds only {[line[2] for line in lines]}"


def test_dates_are_written_in_words(report):
    reader = PdfReader(report["path"])
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text) == []
    # The cover's date, in words (a draft's watermark letters may stand between the label and the date).
    cover = page_text(report["path"], 1)
    assert "DATE" in cover
    assert re.search(
        r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}",
        cover,
    )


def test_pledges_annex_lists_each_pledge_once_with_its_pledger_once(report):
    path, front_pages = report["path"], report["front_pages"]
    entries = dict(contents_entries(path, front_pages))
    start = front_pages + entries["Annex B · Related pledges by objective"]
    text = " ".join(" ".join(page_text(path, page).split()) for page in (start, start + 1))
    assert text.count("Fair recruitment corridor (Ghana)") == 1
    assert "(Ghana) (Ghana" not in text
    assert "Fair recruitment corridor (Ghana) (IMRF 2022, 2026)" in text


def test_annex_participation_adds_up_and_names_the_others(report):
    path, front_pages, review = report["path"], report["front_pages"], report["review"]
    entries = contents_entries(path, front_pages)
    [page] = [page for title, page in entries if title.startswith(f"{review.mechanism.acronym} ·")]
    text = " ".join(" ".join(page_text(path, front_pages + n).split()) for n in range(page, page + 3))
    took_part = review.participating_states.count()
    members = took_part - 1 - (1 if report["observer"] else 0)
    who = f"{members} of its {report['member_count']} members"
    who += ", 1 observer and 1 other State." if report["observer"] else " and 1 other State."
    assert f"{took_part} States took part in the review: {who}" in text
    assert f"Other States • {report['outsider'].name}" in text


def test_participation_splits_who_took_part_by_membership(approved_reviews):
    from tests.factories import PackageFactory

    snapshot = package_snapshot(PackageFactory(cycle=approved_reviews[0].cycle))
    review = snapshot["reviews"][0]
    members = [m for m in review["mechanism"]["members"] if m["role"] == "member"]
    outsider = {"iso3": "ZZZ", "name": "Elsewhere <b>", "un_status": "member", "gcm_vote_2018": "abstained"}
    review["participating_states"] = [*members[:2], outsider]
    result = participation(review)
    assert (len(result["members"]), len(result["observers"]), [s["name"] for s in result["others"]]) == (
        2,
        0,
        ["Elsewhere <b>"],
    )
    assert result["summary"] == f"3 States took part in the review: 2 of its {len(members)} members and 1 other State."
    html = fragment_html(snapshot, {"kind": "annex", "arg": review["id"]})
    assert "<li>Elsewhere &lt;b&gt;</li>" in html
