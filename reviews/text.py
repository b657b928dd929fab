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
`language_attributes` marks the element holding a review's text with the review's language (the
`review_lang` template tag), so screen readers pronounce it and browsers hyphenate it in that language.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

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
