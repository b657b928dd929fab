"""Editing a downloaded review document with python-docx the way a person does in a word processor."""

import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def heading_index(document, section: str, part: str | None = None) -> int:
    """Index of the "Heading 2" `part` under the "Heading 1" starting with `section` (or of that Heading 1)."""
    paragraphs = document.paragraphs
    start = next(
        index
        for index, paragraph in enumerate(paragraphs)
        if paragraph.style.name == "Heading 1"
        and (paragraph.text == section or paragraph.text.startswith(section + ":"))
    )
    if part is None:
        return start
    for index in range(start + 1, len(paragraphs)):
        if paragraphs[index].style.name == "Heading 1":
            break
        if paragraphs[index].style.name == "Heading 2" and paragraphs[index].text == part:
            return index
    raise LookupError(part)


def body_paragraphs(document, section: str, part: str) -> list:
    """The text paragraphs of a part (instructions left out)."""
    paragraphs = document.paragraphs
    index = heading_index(document, section, part) + 1
    body = []
    while index < len(paragraphs) and not paragraphs[index].style.name.startswith("Heading"):
        if paragraphs[index].style.name != "Portal instruction":
            body.append(paragraphs[index])
        index += 1
    return body


def next_heading(document, section: str, part: str):
    paragraphs = document.paragraphs
    index = heading_index(document, section, part) + 1
    while index < len(paragraphs) and not paragraphs[index].style.name.startswith("Heading"):
        index += 1
    return paragraphs[index]


def replace_text(document, section: str, part: str, text: str) -> None:
    """Select the part's text and type `text` over it."""
    body = body_paragraphs(document, section, part)
    if body:
        for paragraph in body[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        body[0].text = text
    else:
        next_heading(document, section, part).insert_paragraph_before(text)


def add_list(document, section: str, part: str, items: list[str], style: str = "List Bullet") -> None:
    """Add a bulleted list at the end of a part."""
    anchor = next_heading(document, section, part)
    for item in items:
        anchor.insert_paragraph_before(item, style=style)


def bold_phrase(document, section: str, part: str, phrase: str) -> None:
    """Select `phrase` in the part's first paragraph that has it and press Ctrl+B."""
    for paragraph in body_paragraphs(document, section, part):
        text = paragraph.text
        if phrase in text:
            before, after = text.split(phrase, 1)
            for run in list(paragraph.runs):
                run._r.getparent().remove(run._r)
            paragraph.add_run(before)
            paragraph.add_run(phrase).bold = True
            paragraph.add_run(after)
            return
    raise LookupError(phrase)


def tracked(tag: str, text: str, author: str = "Ghana"):
    """A w:ins or w:del holding one run, as Word records a tracked change."""
    change = OxmlElement(tag)
    change.set(qn("w:id"), "90")
    change.set(qn("w:author"), author)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:delText" if tag == "w:del" else "w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    change.append(run)
    return change
