"""Turning an objective report's free text into separate library entries.

The text is read by the reviews app's renderer (`reviews.text.review_text_blocks`), the same one that shows
it on the review page and in the PDFs, so an entry is exactly a paragraph or a list item as the reader
sees it. Each becomes one entry; its title is a leading bold phrase when there is one, otherwise its first
sentence.
"""

import re
from dataclasses import dataclass

from reviews.text import TextBlock, review_text_blocks

TITLE_MAX = 140

# What may stand between a bold lead phrase and the rest: "**Fair recruitment:** a code" or "… – a code".
_AFTER_LEAD = re.compile(r"^[\s:.\u2013\u2014-]*")
# A sentence ends at . ! or ? followed by a space and a capital or digit; abbreviations like "e.g. the"
# do not end it because a lowercase letter follows.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")


@dataclass(frozen=True)
class Entry:
    title: str
    body: str


def _shorten(text: str, limit: int = TITLE_MAX) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return cut + "…"


def entry_from_block(block: TextBlock) -> Entry:
    text = " ".join(block.text.split())
    if block.lead:
        title = block.lead.rstrip(".:")
        rest = _AFTER_LEAD.sub("", text[len(block.lead) :], count=1).strip()
        return Entry(title=_shorten(title), body=rest or title)
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".")
    return Entry(title=_shorten(first), body=text)


def _is_introduction(block: TextBlock, following: TextBlock | None) -> bool:
    """A paragraph such as "States reported:" that introduces a list is not an entry of its own."""
    return not block.is_list_item and block.text.endswith(":") and following is not None and following.is_list_item


def split_entries(text: str) -> list[Entry]:
    """One entry per paragraph or list item of `text`, in order."""
    blocks = review_text_blocks(text)
    return [
        entry_from_block(block)
        for index, block in enumerate(blocks)
        if not _is_introduction(block, blocks[index + 1] if index + 1 < len(blocks) else None)
    ]
