"""The portal's rich text into Word paragraphs and back (iscm_portal/docx_rich_text.py)."""

import io
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from iscm_portal.docx_rich_text import append_rich_text, paragraphs_html, read_paragraphs
from reviews.text import render_review_text

ROUND_TRIPS = [
    # (review text as typed, the HTML read back when it differs from the rendered HTML)
    ("One paragraph.", None),
    ("a\nline break\n\nc **bold** and *em* and ***both*** [a link](https://x.org/a?b=1&c=2)", None),
    ("- a\n- b\n  - nested\n    1. deep\n    2. deeper\n- c\n\ntext after", None),
    ("5) five\n6) six\n\nbetween\n\n1. again from one\n2. two", None),
    ("a_b_c \\*not emphasis\\* <b>not bold</b> & 'quotes'", None),
    ("**Lead phrase.** rest [**bold link**](mailto:someone@example.org)", None),
    # A loose list (items apart) reads back as the same list, tight.
    ("1. x\n\n2. y", "<ol><li>x</li><li>y</li></ol>"),
]


def _saved_and_reopened(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return docx.Document(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize(("text", "expected"), ROUND_TRIPS)
def test_append_rich_text_reads_back_as_the_same_html(text, expected):
    html = str(render_review_text(text))
    document = docx.Document()
    document.add_heading("Before", level=1)
    written = append_rich_text(document, html)
    reopened = _saved_and_reopened(document)

    read = paragraphs_html(reopened.paragraphs[1:])

    assert len(written) == len(reopened.paragraphs) - 1
    assert read == (expected or html)


def test_append_rich_text_uses_word_built_in_styles():
    document = docx.Document()
    html = str(render_review_text("Intro\n\n- one\n  - two\n\n1. first\n\n<h2> stays text"))
    written = append_rich_text(document, html + "<h2>Heading</h2>", heading_offset=1)

    assert [paragraph.style.name for paragraph in written] == [
        "Normal",
        "List Bullet",
        "List Bullet 2",
        "List Number",
        "Normal",
        "Heading 3",
    ]
    assert [paragraph.text for paragraph in written] == ["Intro", "one", "two", "first", "<h2> stays text", "Heading"]


def test_append_rich_text_restarts_each_numbered_list():
    document = docx.Document()
    append_rich_text(document, str(render_review_text("1. a\n2. b\n\nbetween\n\n1. c")))
    append_rich_text(document, str(render_review_text("7. g")))

    read = read_paragraphs(_saved_and_reopened(document).paragraphs)

    assert [(paragraph.text, paragraph.list_kind, paragraph.number) for paragraph in read] == [
        ("a", "ol", 1),
        ("b", "ol", 2),
        ("between", "", 1),
        ("c", "ol", 1),
        ("g", "ol", 7),
    ]


def test_append_rich_text_into_a_table_cell():
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    append_rich_text(cell, "<p>In a <strong>cell</strong></p><ul><li>item</li></ul>")

    reopened = _saved_and_reopened(document).tables[0].cell(0, 0)

    # A new cell holds one empty paragraph of its own; the reader skips empty paragraphs.
    assert paragraphs_html(reopened.paragraphs) == "<p>In a <strong>cell</strong></p><ul><li>item</li></ul>"


def test_append_rich_text_empty_html_adds_nothing():
    document = docx.Document()
    assert append_rich_text(document, "") == []
    assert append_rich_text(document, "   ") == []
    assert len(document.paragraphs) == 0


def test_paragraphs_html_reads_what_a_person_types_in_word():
    document = docx.Document()
    paragraph = document.add_paragraph("Plain, ")
    paragraph.add_run("bold").bold = True
    paragraph.add_run(", ")
    paragraph.add_run("italic").italic = True
    paragraph.add_run(", ")
    paragraph.add_run("strong style").style = "Strong"
    paragraph.add_run(" and ")
    paragraph.add_run("emphasis style").style = "Emphasis"
    paragraph.add_run(" <tags> & ampersands")
    document.add_paragraph("")  # an empty paragraph between is no paragraph
    document.add_paragraph("first", style="List Bullet")
    document.add_paragraph("second", style="List Bullet")

    assert paragraphs_html(_saved_and_reopened(document).paragraphs) == (
        "<p>Plain, <strong>bold</strong>, <em>italic</em>, <strong>strong style</strong> and "
        "<em>emphasis style</em> &lt;tags&gt; &amp; ampersands</p><ul><li>first</li><li>second</li></ul>"
    )


def _tracked(tag: str, text: str, *, deleted: bool = False):
    """A w:ins or w:del holding one run, as Word writes a tracked change."""
    change = OxmlElement(tag)
    change.set(qn("w:id"), "1")
    change.set(qn("w:author"), "Ghana")
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:delText" if deleted else "w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    change.append(run)
    return change


def test_paragraphs_html_accepts_tracked_changes():
    document = docx.Document()
    paragraph = document.add_paragraph("Ten States ")
    paragraph._p.append(_tracked("w:del", "signed", deleted=True))
    paragraph._p.append(_tracked("w:ins", "ratified"))
    paragraph.add_run(" the convention.")
    joined = document.add_paragraph("This paragraph's mark was deleted,")
    mark = joined._p.get_or_add_pPr()
    run_properties = OxmlElement("w:rPr")
    run_properties.append(_tracked("w:del", "", deleted=True))
    mark.append(run_properties)
    document.add_paragraph(" so it joins the next.")

    assert paragraphs_html(_saved_and_reopened(document).paragraphs) == (
        "<p>Ten States ratified the convention.</p><p>This paragraph's mark was deleted, so it joins the next.</p>"
    )


def test_paragraphs_html_leaves_out_hidden_text():
    document = docx.Document()
    paragraph = document.add_paragraph("Shown")
    paragraph.add_run(" hidden").font.hidden = True

    assert paragraphs_html(_saved_and_reopened(document).paragraphs) == "<p>Shown</p>"


def test_read_paragraphs_names_the_comments_anchored_in_each_paragraph():
    document = docx.Document()
    first = document.add_paragraph("Commented text")
    document.add_paragraph("No comment")
    comment = document.add_comment(first.runs, text="Please add figures", author="Ghana")

    read = read_paragraphs(_saved_and_reopened(document).paragraphs)

    assert [paragraph.comment_ids for paragraph in read] == [[comment.comment_id], []]


@pytest.mark.skipif(not Path("/usr/bin/soffice").exists(), reason="LibreOffice Writer is not installed")
def test_a_document_saved_again_by_libreoffice_reads_the_same(tmp_path):
    text = (
        "**Lead.** Some *emphasis* and [a link](https://example.org/x).\n\n- one\n- two\n  - nested\n\n"
        "1. first\n2. second\n\nAfter\n\n3. three"
    )
    html = str(render_review_text(text))
    document = docx.Document()
    append_rich_text(document, html)
    source = tmp_path / "in" / "text.docx"
    source.parent.mkdir()
    document.save(source)
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )

    assert paragraphs_html(docx.Document(out / "text.docx").paragraphs) == html
