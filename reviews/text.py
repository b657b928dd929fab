"""Review text: the one renderer for what a secretariat types in the review's text fields.

The fields take a small subset of Markdown: a blank line starts a paragraph, a line break stays a line
break, lines starting with `-`, `*`, `+` or `•` make a bullet list and `1.` or `1)` a numbered one, and
`*emphasis*`, `**strong**` and `[links](https://…)` format a phrase. Nothing else is markup: raw HTML,
headings, code, quotes and images stay the characters that were typed, and a link is a link only to an
http, https or mailto address. The parser (markdown-it-py, with only those rules switched on) escapes
everything else; nh3 then sanitises its HTML as a second line of defence.

Every output goes through here so the same text looks the same everywhere: `render_review_text` for the
pages, both PDFs and the compare view, `review_text_plain` for search, snippets and diffs, and
`review_text_blocks` for the library, which splits a text into its paragraphs and list items.
`review_text_from_html` goes the other way: sanitised HTML of the same vocabulary (what a Word document is read
back as, iscm_portal/docx_rich_text.py) becomes the text a secretariat would have typed for it, so that
`render_review_text(review_text_from_html(html))` is `html` again (a loose list comes back tight).
`language_attributes` marks the element holding a review's text with the review's language (the
`review_lang` template tag), so screen readers pronounce it and browsers hyphenate it in that language.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"
# The parser's nesting limit (a list level takes two): text nested deeper is shown as typed, without formatting.
MAX_NESTING = 20

# Word processors paste "•" bullets; they are list items like "-" ones.
_PASTED_BULLET = re.compile(r"^([ \t]*)•(?=[ \t])", re.MULTILINE)
# Languages written right to left: their text also gets dir="rtl".
RIGHT_TO_LEFT = frozenset({"ar"})
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def _link_allowed(url: str) -> bool:
    scheme = _SCHEME.match(url.strip())
    return bool(scheme) and scheme.group(1).lower() in URL_SCHEMES


@lru_cache(maxsize=2)
def _parser(*, formatting: bool = True) -> MarkdownIt:
    options = {"html": False, "linkify": False, "typographer": False, "breaks": True, "maxNesting": MAX_NESTING}
    parser = MarkdownIt("zero", options).enable(["newline"])
    if formatting:
        parser.enable(["list", "emphasis", "link", "escape"])
    parser.validateLink = _link_allowed
    return parser


def _tokens(text: str) -> list[Token]:
    text = _PASTED_BULLET.sub(r"\1-", str(text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        return []
    tokens = _parser().parse(text)
    if max(token.level for token in tokens) >= MAX_NESTING - 1:
        # Lists nested this deep make the parser skip the rest of the text: show it as typed instead.
        tokens = _parser(formatting=False).parse(text)
    return tokens


def language_attributes(language: str | None) -> SafeString:
    """` lang="fr"` (with ` dir="rtl"` for Arabic) for the element holding text written in `language`.

    Empty for a missing or malformed code: an attribute is only ever written from a well-formed language tag.
    """
    code = str(language or "")
    if not _LANGUAGE_CODE.match(code):
        return SafeString()
    if code.split("-")[0] in RIGHT_TO_LEFT:
        return format_html(' lang="{}" dir="rtl"', code)
    return format_html(' lang="{}"', code)


def render_review_text(text: str) -> SafeString:
    """The text as sanitised HTML: paragraphs, lists, line breaks, emphasis, strong and web links only."""
    tokens = _tokens(text)
    if not tokens:
        return SafeString()
    html = _parser().renderer.render(tokens, _parser().options, {})
    html = nh3.clean(
        html.replace("\n", ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
    return mark_safe(html)  # noqa: S308 - parsed with raw HTML off, then sanitised by nh3 just above


@dataclass(frozen=True)
class TextBlock:
    """One paragraph or list item of a text, without formatting marks (links keep their label)."""

    text: str  # a line break in the block stays "\n"
    lead: str = ""  # the **strong** phrase the block opens with, if it opens with one
    list_marker: str = ""  # "•" or "3." for a list item, "" for a paragraph
    depth: int = 0  # 1 for an item of a list, 2 for an item of a list inside it…
    list_number: int = 0  # which top-level list of the text the item belongs to (1, 2…)

    @property
    def is_list_item(self) -> bool:
        return bool(self.list_marker)


def _inline_text(token: Token) -> tuple[str, str]:
    """(plain text, the strong phrase it opens with or "") of an inline token."""
    parts: list[str] = []
    lead_start, lead, has_text = None, "", False
    for child in token.children or []:
        if child.type == "strong_open" and not has_text and lead_start is None:
            lead_start = len(parts)
        elif child.type == "strong_close" and lead_start is not None and not lead:
            lead = " ".join("".join(parts[lead_start:]).split())
        elif child.type == "text":
            parts.append(child.content)
            has_text = has_text or bool(child.content.strip())
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line), lead


def review_text_blocks(text: str) -> list[TextBlock]:
    """The paragraphs and list items of `text` in reading order; a nested list's items are blocks of their own."""
    blocks: list[dict] = []
    open_items: list[dict] = []
    depth = list_number = 0
    for token in _tokens(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            list_number += depth == 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            # An ordered item's token carries its number; a bullet item's does not.
            marker = f"{token.info}." if token.info else "•"
            open_items.append(
                {"parts": [], "lead": "", "list_marker": marker, "depth": depth, "list_number": list_number}
            )
            blocks.append(open_items[-1])
        elif token.type == "list_item_close":
            open_items.pop()
        elif token.type == "inline":
            content, lead = _inline_text(token)
            if not open_items:
                blocks.append({"parts": [], "lead": ""})
            block = open_items[-1] if open_items else blocks[-1]
            if not block["parts"]:
                block["lead"] = lead
            block["parts"].append(content)
    return [
        TextBlock(text="\n".join(filter(None, parts)), **block) for block in blocks if any(parts := block.pop("parts"))
    ]


def review_text_plain(text: str) -> str:
    """The text as a reader sees it, without formatting marks: paragraphs apart, list items on their lines."""
    lines: list[str] = []
    previous = None
    for block in review_text_blocks(text):
        same_list = previous is not None and block.is_list_item and block.list_number == previous.list_number
        if lines and not same_list:
            lines.append("")
        if block.is_list_item:
            indent = "  " * (block.depth - 1)
            lines.append(indent + f"{block.list_marker} " + block.text.replace("\n", "\n" + indent + "  "))
        else:
            lines.append(block.text)
        previous = block
    return "\n".join(lines)


# Characters that would start formatting where they stand; a backslash keeps them as typed.
_ALWAYS_ESCAPED = re.compile(r"([*\[\]`])")
_LINE_START_MARKER = re.compile(r"^([ \t]*)(?:([-+])(?=[ \t]|$)|(\d{1,9})([.)])(?=[ \t]|$))", re.MULTILINE)
_UNDERSCORE_AT_EDGE = re.compile(r"(?<![0-9A-Za-z\u00C0-\uFFFF])_|_(?![0-9A-Za-z\u00C0-\uFFFF])")
_BACKSLASH_BEFORE_PUNCTUATION = re.compile(r"\\(?=[!-/:-@\[-`{-~])")


def _escaped(text: str) -> str:
    text = _BACKSLASH_BEFORE_PUNCTUATION.sub(r"\\\\", text)
    text = _ALWAYS_ESCAPED.sub(r"\\\1", text)
    return _UNDERSCORE_AT_EDGE.sub(lambda match: "\\" + match.group(0), text)


def _escape_line_starts(text: str) -> str:
    def escape(match: re.Match) -> str:
        if match.group(2):
            return f"{match.group(1)}\\{match.group(2)}"
        return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"

    return _LINE_START_MARKER.sub(escape, text)


def _inline_source(element) -> str:
    """The typed form of an element's inline content; a line break is "\n"."""
    parts = [_escaped(" ".join((element.text or "").split("\n")))] if element.text else []
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag in ("ul", "ol"):
            pass  # a nested list is written by its list item
        elif tag in ("strong", "b", "em", "i"):
            inner = _inline_source(child)
            mark = "**" if tag in ("strong", "b") else "*"
            core = inner.strip()
            if core:
                # Emphasis marks must touch the words they format: spaces go outside them.
                lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
                parts.append(f"{lead}{mark}{core}{mark}{trail}")
            else:
                parts.append(inner)
        elif tag == "a":
            label, href = _inline_source(child), child.get("href") or ""
            if label.strip() and _link_allowed(href):
                href = href.replace(" ", "%20").replace("(", "\\(").replace(")", "\\)")
                parts.append(f"[{label}]({href})")
            else:
                parts.append(label)
        else:
            parts.append(_inline_source(child))
        if child.tail:
            parts.append(_escaped(" ".join(child.tail.split("\n"))))
    return "".join(parts)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _list_source(element, indent: str, bullet: str, number_mark: str) -> list[str]:
    lines: list[str] = []
    ordered = element.tag == "ol"
    start = element.get("start") or "1"
    number = int(start) if start.isdigit() else 1
    for item in element.iterchildren("li"):
        marker = f"{number}{number_mark} " if ordered else f"{bullet} "
        number += 1
        continuation = indent + " " * len(marker)
        paragraphs = [_inline_source(child) for child in item.iterchildren("p")]
        text_lines = _lines("\n".join(paragraphs) if paragraphs else _inline_source(item))
        text_lines = [_escape_line_starts(line) for line in text_lines] or [""]
        lines.append(indent + marker + text_lines[0])
        lines.extend(continuation + line for line in text_lines[1:])
        for nested in item:
            if nested.tag in ("ul", "ol"):
                lines.extend(_list_source(nested, continuation, "-", "."))
    return lines


def review_text_from_html(html: str) -> str:
    """The typed review text that renders as `html` (the portal's sanitised vocabulary; headings become paragraphs)."""
    html = str(html or "").strip()
    if not html:
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks: list[str] = []
    previous_list = ""
    for element in root:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("ul", "ol"):
            # Two lists in a row stay two lists when their markers differ ("-" then "*", "1." then "1)").
            alternate = previous_list == tag
            bullet, number_mark = ("*", ")") if alternate else ("-", ".")
            blocks.append("\n".join(_list_source(element, "", bullet, number_mark)))
            previous_list = "" if alternate else tag
            continue
        previous_list = ""
        text = "\n".join(_escape_line_starts(line) for line in _lines(_inline_source(element)))
        if text:
            blocks.append(text)
    if (root.text or "").strip():
        blocks.insert(0, _escaped(" ".join(root.text.split())))
    return "\n\n".join(blocks)
