"""The one renderer of review text (reviews/text.py), and that every output uses it."""

import re
import time

import pytest
from django.urls import reverse
from django.utils.html import format_html

from library.enums import PracticeKind
from library.models import Practice
from library.services import library_index_review
from packages.pdf import fragment_html
from packages.selectors import review_for_pdf, review_pdf_snapshot
from reviews.compare import version_diff
from reviews.models import ObjectiveReport
from reviews.text import TextBlock, render_review_text, review_text_blocks, review_text_plain
from tests.factories import complete_review_create

FORMATTED = (
    "**Fair recruitment code.** Adopted by *ten* States, see [the code](https://example.org/code).\n\n"
    "- Bilateral labour agreements\n  signed in 2023\n- Joint **inspections**\n\n"
    "1. First step\n2. Second step"
)
FORMATTED_HTML = (
    "<p><strong>Fair recruitment code.</strong> Adopted by <em>ten</em> States, see "
    '<a href="https://example.org/code" rel="noopener noreferrer nofollow">the code</a>.</p>'
    "<ul><li>Bilateral labour agreements<br>signed in 2023</li><li>Joint <strong>inspections</strong></li></ul>"
    "<ol><li>First step</li><li>Second step</li></ol>"
)
FORMATTED_PLAIN = (
    "Fair recruitment code. Adopted by ten States, see the code.\n\n"
    "• Bilateral labour agreements\n  signed in 2023\n• Joint inspections\n\n"
    "1. First step\n2. Second step"
)


def test_render_review_text_formats_paragraphs_lists_emphasis_and_links():
    assert render_review_text(FORMATTED) == FORMATTED_HTML


def test_render_review_text_pasted_bullets_and_numbered_lists_from_three():
    assert render_review_text("• one\n• two\n\n3) three\n4) four") == (
        '<ul><li>one</li><li>two</li></ul><ol start="3"><li>three</li><li>four</li></ol>'
    )


def test_render_review_text_empty_text_is_empty():
    assert (render_review_text(""), render_review_text(None), render_review_text(" \n\n ")) == ("", "", "")


def test_render_review_text_escapes_raw_html_and_scripts_as_typed():
    html = render_review_text('<script>alert(1)</script><img src=x onerror=alert(2)> <a href="javascript:x">y</a>')
    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; "
        '&lt;a href="javascript:x"&gt;y&lt;/a&gt;</p>'
    )


def test_render_review_text_links_only_to_web_and_mail_addresses():
    html = render_review_text(
        "[a](javascript:alert(1)) [b](JavaScript:alert(2)) [c](data:text/html;base64,PHNjcmlwdD4=) [d](/admin/) "
        "[e](vbscript:x) [f](mailto:info@iom.int) [g](HTTPS://iom.int) ![h](https://iom.int/logo.png)"
    )
    assert html == (
        "<p>[a](javascript:alert(1)) [b](JavaScript:alert(2)) [c](data:text/html;base64,PHNjcmlwdD4=) [d](/admin/) "
        '[e](vbscript:x) <a href="mailto:info@iom.int" rel="noopener noreferrer nofollow">f</a> '
        '<a href="HTTPS://iom.int" rel="noopener noreferrer nofollow">g</a> '
        '!<a href="https://iom.int/logo.png" rel="noopener noreferrer nofollow">h</a></p>'
    )


def test_render_review_text_markdown_beyond_the_subset_stays_as_typed():
    text = "# Not a heading\n\n    not code\n\n> not a quote\n---\n`not code` <https://iom.int> \\*not emphasis\\*"
    assert render_review_text(text) == (
        "<p># Not a heading</p><p>not code</p>"
        "<p>&gt; not a quote<br>---<br>`not code` &lt;https://iom.int&gt; *not emphasis*</p>"
    )


@pytest.mark.parametrize(
    "text",
    [
        "*" * 100_000,
        "**a " * 25_000,
        "*_" * 50_000,
        "[" * 50_000 + "]" * 50_000,
        "[a](" * 25_000,
        "- " * 50_000 + "x",
        "> " * 50_000,
    ],
    ids=["asterisks", "strong-openers", "mixed-emphasis", "brackets", "open-links", "bullets", "quotes"],
)
def test_render_review_text_hostile_100kb_is_fast_and_escaped(text):
    start = time.process_time()
    html = render_review_text(text)
    plain = review_text_plain(text)
    # Linear work takes well under a second here; a quadratic parser would take minutes.
    assert time.process_time() - start < 10
    assert ("<script" not in html, len(html) < 4 * len(text), len(plain) <= len(text)) == (True, True, True)


def test_render_review_text_deeply_nested_lists_lose_no_text():
    text = "".join("  " * level + f"- level {level}\n" for level in range(300)) + "\nAfter the list."
    html = render_review_text(text)
    assert html.startswith("<p>- level 0<br>- level 1<br>")
    assert html.endswith("<br>- level 299</p><p>After the list.</p>")
    assert review_text_blocks(text)[-1] == TextBlock(text="After the list.")


def test_render_review_text_nested_lists_within_the_limit_are_lists():
    assert render_review_text("- a\n  - b\n    - c") == "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>"


def test_review_text_plain_removes_marks_and_keeps_structure():
    assert review_text_plain(FORMATTED) == FORMATTED_PLAIN


def test_review_text_blocks_paragraphs_and_items_with_their_lead_phrase():
    assert review_text_blocks(FORMATTED) == [
        TextBlock(text="Fair recruitment code. Adopted by ten States, see the code.", lead="Fair recruitment code."),
        TextBlock(text="Bilateral labour agreements\nsigned in 2023", list_marker="•", depth=1, list_number=1),
        TextBlock(text="Joint inspections", list_marker="•", depth=1, list_number=1),
        TextBlock(text="First step", list_marker="1.", depth=1, list_number=2),
        TextBlock(text="Second step", list_marker="2.", depth=1, list_number=2),
    ]


@pytest.mark.django_db
def test_same_text_is_rendered_alike_on_the_page_in_the_pdf_in_the_library_and_in_compare(
    client, bali, bali_secretariat
):
    review = complete_review_create(mechanism=bali)
    ObjectiveReport.objects.filter(review=review, objective__number=6).update(
        progress="**Progress** made:\n- one", good_practices=FORMATTED
    )
    review.key_messages = FORMATTED
    review.save()

    client.force_login(bali_secretariat)
    page = client.get(review.get_absolute_url()).text
    assert page.count(FORMATTED_HTML) == 2  # key messages and good practices
    workflow = client.get(reverse("reviews:review_workflow", kwargs={"pk": review.pk})).text
    assert re.findall(r'part-excerpt" lang="en">(.*?)</p>', workflow, re.DOTALL) == ["Progress made: • one"]

    snapshot = review_pdf_snapshot(review_for_pdf(review.pk).get())
    objective_pdf_html = fragment_html(snapshot, {"kind": "objective", "arg": 6})
    annex_pdf_html = fragment_html(snapshot, {"kind": "annex", "arg": review.pk})
    assert (objective_pdf_html.count(FORMATTED_HTML), annex_pdf_html.count(FORMATTED_HTML)) == (1, 1)

    library_index_review(review=review)
    practices = Practice.objects.filter(review=review, kind=PracticeKind.GOOD_PRACTICE).order_by("position")
    assert [(practice.title, practice.body) for practice in practices] == [
        ("Fair recruitment code", "Adopted by ten States, see the code."),
        ("Bilateral labour agreements signed in 2023", "Bilateral labour agreements signed in 2023"),
        ("Joint inspections", "Joint inspections"),
        ("First step", "First step"),
        ("Second step", "Second step"),
    ]
    assert review.library_document.summary == FORMATTED_PLAIN

    before, after = {"objectives": {"6": {}}}, {"objectives": {"6": {"good_practices": FORMATTED}}}
    [_overview, objective] = version_diff(before, after)
    [row] = [row for row in objective.rows if row.changed]
    assert (row.label, row.left, row.right) == ("Good practices", "", format_html("<ins>{}</ins>", FORMATTED_PLAIN))
