"""The portal's rich text in Word documents, both ways, with python-docx.

`append_rich_text(container, html)` writes the sanitised HTML the portal renders review text to (paragraphs,
line breaks, bullet and numbered lists nested to any depth, strong, emphasis, links; headings for callers that
allow them) as Word paragraphs into a document, a table cell or any python-docx block container. It uses Word's
built-in styles only ("List Bullet", "List Number 2", "Heading 2", "Hyperlink"…), so Word, LibreOffice and
Google Docs all show the document as intended and keep the meaning when they save it again.

`paragraphs_html(paragraphs)` reads Word paragraphs back into the same HTML vocabulary: what
`append_rich_text` wrote comes back as it was given (a loose list's `<li><p>` comes back as a tight `<li>`),
and what a person typed in a word processor is read the same way: Word's, LibreOffice's and Google Docs' own
lists (numbering definitions, not only list styles), bold and italic set directly or through the "Strong" and
"Emphasis" styles, hyperlinks, line breaks. Tracked changes are read as the text they give once accepted:
insertions and moves in kept, deletions and moves out dropped, a deleted paragraph mark joining the paragraph
to the next one. Hidden text is left out. Anything else (colours, fonts, tables, images) is not part of the
portal's text and is not read.

python-docx has no API for hyperlinks, numbering restarts, tracked changes or comment anchors, so those few
places use its element API (`_p`, `xpath`, `OxmlElement`) on the elements it has already parsed; no XML is
parsed here by hand. The HTML given to `append_rich_text` must be sanitised already (the output of
`reviews.text.render_review_text` or an equal); it is read with lxml's HTML parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape

import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# What links read back as; the same `rel` the portal's sanitiser gives every link.
LINK_REL = "noopener noreferrer nofollow"
# Word's built-in list styles go three levels deep; deeper items use the third level's style.
MAX_STYLE_LEVEL = 3
HYPERLINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)

_LIST_STYLE = re.compile(r"^List (Bullet|Number)(?: (\d))?$")
_HEADING_STYLE = re.compile(r"^Heading (\d)$")


# Writing ---------------------------------------------------------------------------------------------------


def append_rich_text(container, html: str, *, heading_offset: int = 0) -> list[Paragraph]:
    """Add `html` to the end of `container` (Document, cell, header…) as Word paragraphs; returns them.

    `heading_offset` shifts headings down: with 2, an `<h1>` becomes "Heading 3".
    """
    html = (html or "").strip()
    if not html:
        return []
    root = lxml.html.fragment_fromstring(str(html), create_parent="div")
    writer = _Writer(container, heading_offset)
    writer.blocks(root)
    return writer.paragraphs


class _Writer:
    def __init__(self, container, heading_offset: int):
        self.container = container
        self.heading_offset = heading_offset
        self.paragraphs: list[Paragraph] = []

    def new_paragraph(self, style: str | None = None) -> Paragraph:
        paragraph = self.container.add_paragraph(style=style)
        self.paragraphs.append(paragraph)
        return paragraph

    def blocks(self, element) -> None:
        """Block children of `element`; loose text and inline elements between blocks make a paragraph."""
        pending: list = []
        if (element.text or "").strip():
            pending.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("p", "ul", "ol") or _heading_level(tag):
                self.flush(pending)
                pending = []
                if tag == "p":
                    self.inline(self.new_paragraph(), child)
                elif tag in ("ul", "ol"):
                    self.list(child, depth=1)
                else:
                    style = f"Heading {min(9, _heading_level(tag) + self.heading_offset)}"
                    self.inline(self.new_paragraph(style), child)
            else:
                pending.append(child)
            if (child.tail or "").strip():
                pending.append(child.tail)
        self.flush(pending)

    def flush(self, pending: list) -> None:
        if not pending:
            return
        paragraph = self.new_paragraph()
        for item in pending:
            if isinstance(item, str):
                _add_text(paragraph, item, bold=False, italic=False)
            else:
                self.inline_element(paragraph, item, bold=False, italic=False)

    def list(self, element, *, depth: int) -> None:
        ordered = element.tag == "ol"
        style = _list_style_name(ordered, depth)
        number_id = None
        if ordered:
            start = element.get("start") or ""
            number_id = _restarted_numbering(self.container, style, int(start) if start.isdigit() else 1)
        for item in element.iterchildren("li"):
            self.list_item(item, style, number_id, depth)

    def list_item(self, item, style: str, number_id: int | None, depth: int) -> None:
        paragraph: Paragraph | None = None
        after_nested = False

        def target() -> Paragraph:
            nonlocal paragraph
            if paragraph is None:
                if after_nested:
                    # Text after a nested list continues the item without a new bullet or number.
                    level = min(depth, MAX_STYLE_LEVEL)
                    paragraph = self.new_paragraph("List Continue" + (f" {level}" if level > 1 else ""))
                else:
                    paragraph = self.new_paragraph(style)
                    if number_id is not None:
                        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                        num_pr.get_or_add_ilvl().val = 0
                        num_pr.get_or_add_numId().val = number_id
            return paragraph

        if (item.text or "").strip():
            _add_text(target(), item.text, bold=False, italic=False)
        for child in item:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("ul", "ol"):
                target()
                self.list(child, depth=depth + 1)
                paragraph, after_nested = None, True
            elif tag == "p":
                holder = target()
                if holder.runs:
                    holder.add_run().add_break()
                self.inline(holder, child)
            else:
                self.inline_element(target(), child, bold=False, italic=False)
            if (child.tail or "").strip():
                _add_text(target(), child.tail, bold=False, italic=False)
        if paragraph is None and not after_nested:
            target()

    def inline(self, paragraph: Paragraph, element, *, bold=False, italic=False) -> None:
        if element.text:
            _add_text(paragraph, element.text, bold=bold, italic=italic)
        for child in element:
            self.inline_element(paragraph, child, bold=bold, italic=italic)
            if child.tail:
                _add_text(paragraph, child.tail, bold=bold, italic=italic)

    def inline_element(self, paragraph: Paragraph, element, *, bold: bool, italic: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("strong", "b"):
            self.inline(paragraph, element, bold=True, italic=italic)
        elif tag in ("em", "i"):
            self.inline(paragraph, element, bold=bold, italic=True)
        elif tag == "br":
            paragraph.add_run().add_break()
        elif tag == "a" and element.get("href"):
            _add_hyperlink(paragraph, element.get("href"), element, bold=bold, italic=italic)
        else:
            self.inline(paragraph, element, bold=bold, italic=italic)


def _heading_level(tag: str) -> int:
    return int(tag[1]) if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" else 0


def _list_style_name(ordered: bool, depth: int) -> str:
    level = min(depth, MAX_STYLE_LEVEL)
    return ("List Number" if ordered else "List Bullet") + (f" {level}" if level > 1 else "")


def _add_text(paragraph: Paragraph, text: str, *, bold: bool, italic: bool) -> None:
    # HTML collapses runs of white space; the sanitised HTML holds none that matter but newlines.
    text = re.sub(r"\s+", " ", text)
    if not text:
        return
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None


def _add_hyperlink(paragraph: Paragraph, url: str, element, *, bold: bool, italic: bool) -> None:
    """A w:hyperlink to an external address holding the link's runs (python-docx cannot make one)."""
    relationship_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship_id)
    paragraph._p.append(hyperlink)
    scratch_start = len(paragraph.runs)
    _Writer(None, 0).inline(paragraph, element, bold=bold, italic=italic)
    link_style = _style_id(paragraph, "Hyperlink", WD_STYLE_TYPE.CHARACTER)
    for run in paragraph.runs[scratch_start:]:
        if link_style:
            run.style = link_style
        else:
            run.font.underline = True
            run.font.color.rgb = HYPERLINK_COLOUR
        hyperlink.append(run._r)


def _style_id(paragraph: Paragraph, name: str, kind) -> str | None:
    styles = paragraph.part.document.styles
    return name if name in [style.name for style in styles if style.type == kind] else None


def _restarted_numbering(container, style_name: str, start: int) -> int | None:
    """A new Word numbering instance for one numbered list, starting at `start`.

    Word's numbered list styles share one counter across the document, so the second list of a text would go on
    from the first's last number; each list gets its own instance of the style's numbering instead.
    """
    part = getattr(container, "part", None)
    document = getattr(part, "document", None)
    if document is None:
        return None
    try:
        style = document.styles[style_name]
    except KeyError:
        return None
    num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    numbering = part.numbering_part.element
    try:
        abstract_id = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
    except KeyError:
        return None
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


# Reading ---------------------------------------------------------------------------------------------------


@dataclass
class Segment:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass
class ReadParagraph:
    """One Word paragraph as the portal reads it."""

    segments: list[Segment] = field(default_factory=list)
    list_kind: str = ""  # "ul", "ol" or "" for a paragraph
    depth: int = 0
    number: int = 1  # an ordered item's number as Word shows it
    heading: int = 0
    style: str = ""
    comment_ids: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


def paragraphs_html(paragraphs: Iterable[Paragraph]) -> str:
    """Word paragraphs as the portal's sanitised HTML (see the module's docstring)."""
    return read_paragraphs_html(read_paragraphs(paragraphs))


def read_paragraphs(paragraphs: Iterable[Paragraph]) -> list[ReadParagraph]:
    """Each paragraph's text, formatting, list place and comment anchors, tracked changes accepted."""
    numbering = _Numbering()
    read: list[ReadParagraph] = []
    joined: ReadParagraph | None = None
    for paragraph in paragraphs:
        current = _read_paragraph(paragraph, numbering)
        if joined is not None:
            # The previous paragraph's mark was deleted: accepting the deletion joins the two.
            joined.segments.extend(current.segments)
            joined.comment_ids.extend(current.comment_ids)
            current = joined
        else:
            read.append(current)
        joined = current if _mark_deleted(paragraph) else None
    return read


def read_paragraphs_html(read: list[ReadParagraph]) -> str:
    out: list[str] = []
    open_lists: list[str] = []  # the kind of every open list, outermost first
    item_open: list[bool] = []
    for paragraph in read:
        if not paragraph.text.strip():
            continue
        if not paragraph.list_kind:
            _close_lists(out, open_lists, item_open, 0)
            tag = f"h{min(paragraph.heading, 6)}" if paragraph.heading else "p"
            out.append(f"<{tag}>{_inline_html(paragraph.segments)}</{tag}>")
            continue
        depth = max(1, paragraph.depth)
        # A list may only open one level deeper than the one it sits in.
        depth = min(depth, len(open_lists) + 1)
        _close_lists(out, open_lists, item_open, depth)
        if len(open_lists) == depth and open_lists[-1] != paragraph.list_kind:
            _close_lists(out, open_lists, item_open, depth - 1)
        if len(open_lists) < depth:
            start = f' start="{paragraph.number}"' if paragraph.list_kind == "ol" and paragraph.number != 1 else ""
            out.append(f"<{paragraph.list_kind}{start}>")
            open_lists.append(paragraph.list_kind)
            item_open.append(False)
        elif item_open[-1]:
            out.append("</li>")
        out.append(f"<li>{_inline_html(paragraph.segments)}")
        item_open[-1] = True
    _close_lists(out, open_lists, item_open, 0)
    return "".join(out)


def _close_lists(out: list[str], open_lists: list[str], item_open: list[bool], keep: int) -> None:
    while len(open_lists) > keep:
        if item_open.pop():
            out.append("</li>")
        out.append(f"</{open_lists.pop()}>")


def _inline_html(segments: list[Segment]) -> str:
    """Segments as HTML, neighbours with the same formatting merged, white space trimmed at both ends."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (
            segment.bold,
            segment.italic,
            segment.href,
        ):
            merged[-1].text += segment.text
        elif segment.text:
            merged.append(Segment(segment.text, segment.bold, segment.italic, segment.href))
    if merged:
        merged[0].text = merged[0].text.lstrip()
        merged[-1].text = merged[-1].text.rstrip()
    html = []
    link = ""
    for segment in merged:
        if segment.href != link:
            if link:
                html.append("</a>")
            if segment.href:
                html.append(f'<a href="{escape(segment.href)}" rel="{LINK_REL}">')
            link = segment.href
        text = "<br>".join(escape(line, quote=False) for line in segment.text.replace("\t", " ").split("\n"))
        if segment.text.strip() or "\n" in segment.text:
            if segment.bold:
                text = f"<strong>{text}</strong>"
            if segment.italic:
                text = f"<em>{text}</em>"
        html.append(text)
    if link:
        html.append("</a>")
    return "".join(html)


class _Numbering:
    """What kind of list a numbering instance makes, and the number Word gives each item."""

    def __init__(self):
        self.counters: dict[tuple[int, int], int] = {}
        self.cache: dict[tuple[int, int], tuple[str, int]] = {}

    def format(self, paragraph: Paragraph, num_id: int, ilvl: int) -> tuple[str, int]:
        """("ul" or "ol", start number) of a level of a numbering instance."""
        key = (num_id, ilvl)
        if key not in self.cache:
            self.cache[key] = _level_format(paragraph, num_id, ilvl)
        return self.cache[key]

    def next_number(self, num_id: int, ilvl: int, start: int) -> int:
        for key in [key for key in self.counters if key[0] == num_id and key[1] > ilvl]:
            del self.counters[key]
        number = self.counters.get((num_id, ilvl), start - 1) + 1
        self.counters[(num_id, ilvl)] = number
        return number


def _level_format(paragraph: Paragraph, num_id: int, ilvl: int) -> tuple[str, int]:
    try:
        numbering = paragraph.part.numbering_part.element
        num = numbering.num_having_numId(num_id)
    except (KeyError, NotImplementedError):
        return "", 1
    start = None
    for override in num.findall(qn("w:lvlOverride")):
        if override.get(qn("w:ilvl")) == str(ilvl):
            start_override = override.find(qn("w:startOverride"))
            if start_override is not None:
                start = int(start_override.get(qn("w:val")))
    abstract = numbering.xpath(f'./w:abstractNum[@w:abstractNumId="{num.abstractNumId.val}"]')
    level = next((lvl for lvl in (abstract[0] if abstract else []) if lvl.get(qn("w:ilvl")) == str(ilvl)), None)
    if level is None:
        return "", start or 1
    formats = [element.get(qn("w:val")) for element in level.findall(qn("w:numFmt"))]
    if start is None:
        start_element = level.find(qn("w:start"))
        start = int(start_element.get(qn("w:val"))) if start_element is not None else 1
    if formats and formats[0] == "none":
        return "", start
    return ("ul" if formats and formats[0] == "bullet" else "ol"), start


def _style_chain(paragraph: Paragraph):
    style = paragraph.style
    seen = 0
    while style is not None and seen < 10:
        yield style
        style = style.base_style
        seen += 1


def _list_place(paragraph: Paragraph, numbering: _Numbering) -> tuple[str, int, int]:
    """(kind, depth, number) of a list paragraph; ("", 0, 0) for a paragraph outside lists."""
    p_pr = paragraph._p.pPr
    num_id = ilvl = None
    if p_pr is not None and p_pr.numPr is not None:
        if p_pr.numPr.numId is not None:
            num_id = p_pr.numPr.numId.val
        if p_pr.numPr.ilvl is not None:
            ilvl = p_pr.numPr.ilvl.val
    style_name = paragraph.style.name if paragraph.style is not None else ""
    style_match = _LIST_STYLE.match(style_name)
    for style in _style_chain(paragraph):
        style_pr = style.element.pPr
        if style_pr is not None and style_pr.numPr is not None:
            if num_id is None and style_pr.numPr.numId is not None:
                num_id = style_pr.numPr.numId.val
            if ilvl is None and style_pr.numPr.ilvl is not None:
                ilvl = style_pr.numPr.ilvl.val
    if num_id is None or num_id == 0:
        return "", 0, 0
    ilvl = ilvl or 0
    kind, start = numbering.format(paragraph, num_id, ilvl)
    if not kind:
        if not style_match:
            return "", 0, 0
        kind = "ol" if style_match.group(1) == "Number" else "ul"
    depth = ilvl + 1
    if style_match and ilvl == 0 and style_match.group(2):
        depth = int(style_match.group(2))
    number = numbering.next_number(num_id, ilvl, start) if kind == "ol" else 0
    return kind, depth, number


def _read_paragraph(paragraph: Paragraph, numbering: _Numbering) -> ReadParagraph:
    style_name = paragraph.style.name if paragraph.style is not None else ""
    heading = _HEADING_STYLE.match(style_name)
    kind, depth, number = ("", 0, 1) if heading else _list_place(paragraph, numbering)
    read = ReadParagraph(
        list_kind=kind,
        depth=depth,
        number=number or 1,
        heading=int(heading.group(1)) if heading else (1 if style_name == "Title" else 0),
        style=style_name,
    )
    for element, href in _accepted_runs(paragraph._p, "", paragraph.part):
        if element.tag == qn("w:commentRangeStart"):
            comment_id = int(element.get(qn("w:id")))
            if comment_id not in read.comment_ids:
                read.comment_ids.append(comment_id)
            continue
        run = Run(element, paragraph)
        for reference in element.findall(qn("w:commentReference")):
            comment_id = int(reference.get(qn("w:id")))
            if comment_id not in read.comment_ids:
                read.comment_ids.append(comment_id)
        if _is_hidden(run):
            continue
        read.segments.append(Segment(run.text, _is_bold(run), _is_italic(run), href))
    return read


# Children of a paragraph or hyperlink holding text that stays once every tracked change is accepted.
_KEPT_WRAPPERS = {qn(tag) for tag in ("w:ins", "w:moveTo", "w:smartTag", "w:customXml", "w:fldSimple", "w:bdo")}
# Anything else (w:del, w:moveFrom, bookmarks, proofing marks) holds no text that stays.


def _accepted_runs(element, href: str, part) -> Iterator[tuple[object, str]]:
    """(w:r or comment anchor element, link address) in reading order, as if every tracked change were accepted."""
    for child in element:
        tag = child.tag
        if tag in (qn("w:r"), qn("w:commentRangeStart")):
            yield child, href
        elif tag == qn("w:hyperlink"):
            yield from _accepted_runs(child, _hyperlink_address(child, part) or href, part)
        elif tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _accepted_runs(content, href, part)
        elif tag in _KEPT_WRAPPERS:
            yield from _accepted_runs(child, href, part)


def _hyperlink_address(hyperlink, part) -> str:
    """The external address of a w:hyperlink ("" for a link to a bookmark inside the document)."""
    relationship_id = hyperlink.get(qn("r:id"))
    relationship = part.rels.get(relationship_id) if relationship_id else None
    if relationship is None or not relationship.is_external:
        return ""
    return relationship.target_ref


def _mark_deleted(paragraph: Paragraph) -> bool:
    return bool(paragraph._p.xpath("./w:pPr/w:rPr/w:del"))


def _run_flag(run: Run, name: str) -> bool:
    value = getattr(run.font, name)
    if value is not None:
        return bool(value)
    style = run.style
    while style is not None:
        value = getattr(style.font, name)
        if value is not None:
            return bool(value)
        style = style.base_style
    return False


def _is_bold(run: Run) -> bool:
    return _run_flag(run, "bold")


def _is_italic(run: Run) -> bool:
    return _run_flag(run, "italic")


def _is_hidden(run: Run) -> bool:
    return _run_flag(run, "hidden")
