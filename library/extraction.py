"""Turning an objective report's free text into separate library entries.

Report text uses the simple formatting of the review forms: paragraphs separated by blank lines, lists
with `-`, `*`, `•` or `1.` items, `**strong**`, `*emphasis*` and `[links](https://...)`. Each list item
and each paragraph becomes one entry; its title is a leading bold phrase when there is one, otherwise
its first sentence.
"""

import re
from dataclasses import dataclass

TITLE_MAX = 140

_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_LEAD = re.compile(r"^\*\*(?=\S)(.+?)(?<=\S)\*\*[\s:.\u2013\u2014-]*")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])[*_](?=\S)(.+?)(?<=\S)[*_](?![*\w])")
# A sentence ends at . ! or ? followed by a space and a capital or digit; abbreviations like "e.g. the"
# do not end it because a lowercase letter follows.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")


@dataclass(frozen=True)
class Entry:
    title: str
    body: str


def plain(text: str) -> str:
    """The text without inline formatting marks; links keep their label."""
    text = _LINK.sub(r"\1", text)
    text = _STRONG.sub(r"\1", text)
    return _EMPHASIS.sub(r"\1", text)


def _shorten(text: str, limit: int = TITLE_MAX) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return cut + "…"


def _items(text: str) -> list[str]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    items = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if any(_ITEM.match(line) for line in lines):
            current: list[str] = []
            for line in lines:
                if _ITEM.match(line):
                    if current:
                        items.append(" ".join(current))
                    current = [_ITEM.sub("", line, count=1).strip()]
                else:
                    # A line that does not start an item continues the previous one (or is an intro line).
                    current.append(line.strip())
            if current:
                items.append(" ".join(current))
            # An introduction such as "States reported:" is not an entry of its own.
            items = [item for item in items if not (item.endswith(":") and not _ITEM.match(item))]
        else:
            items.append(" ".join(line.strip() for line in lines))
    return [item for item in items if item]


def entry_from_text(item: str) -> Entry:
    lead = _LEAD.match(item)
    if lead:
        title = plain(lead.group(1)).strip().rstrip(".:")
        rest = plain(item[lead.end() :]).strip()
        return Entry(title=_shorten(title), body=rest or title)
    text = plain(item).strip()
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".")
    return Entry(title=_shorten(first), body=text)


def split_entries(text: str) -> list[Entry]:
    """One entry per paragraph or list item of `text`, in order."""
    return [entry_from_text(item) for item in _items(text)]
