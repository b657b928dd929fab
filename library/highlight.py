"""Safe highlighted snippets: only our own <mark> tags survive, everything else is escaped."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .fulltext import stem

_WORD = re.compile(r"[^\W_]+")

# Markers PostgreSQL puts around matches (SearchHeadline start_sel/stop_sel); they cannot occur in
# report text, and they survive escaping unchanged.
START = "\u2060[[hl]]\u2060"
STOP = "\u2060[[/hl]]\u2060"


def marked_to_html(text: str) -> SafeString:
    """Escape a headline produced with START/STOP markers, then turn the markers into <mark> tags."""
    html = escape(text or "").replace(escape(START), "<mark>").replace(escape(STOP), "</mark>")
    return mark_safe(_join_adjacent(html))  # noqa: S308 - escaped just above, only our own tags added


def _join_adjacent(html: str) -> str:
    """One highlight for a phrase: "<mark>ethical</mark> <mark>recruitment</mark>" becomes one mark."""
    return html.replace("</mark> <mark>", " ")


def _pattern(terms: list[str]) -> re.Pattern | None:
    terms = sorted({term for term in terms if term}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def _stem_pattern(text: str, terms: list[str], config: str) -> re.Pattern | None:
    """The words of `text` that have the stem of one of the terms in `config` ("travailleur" for "travailleurs")."""
    wanted = {stem(term.lower(), config) for term in terms if term}
    words = {word for word in _WORD.findall(text) if stem(word.lower(), config) in wanted}
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)) + r")\b")


def highlight(text: str, terms: list[str], *, window: int = 0, config: str = "") -> SafeString:
    """Escape `text` and mark every occurrence of the terms; with `window`, cut to about that many
    characters around the first match (the simple search used on SQLite). With a text-search `config`, mark the
    words that share a term's stem in that language (entries whose SQLite index holds stems)."""
    text = text or ""
    pattern = _stem_pattern(text, terms, config) if config else _pattern(terms)
    if window and len(text) > window:
        first = pattern.search(text) if pattern else None
        start = max(0, (first.start() if first else 0) - window // 3)
        end = min(len(text), start + window)
        text = ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    parts = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe(_join_adjacent("".join(parts)))  # noqa: S308 - every piece escaped, only our own tags added
