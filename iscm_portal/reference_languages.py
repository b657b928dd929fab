"""Reference names in the reader's language, and the `lang` they are written in: one owner for GCM and directory data.

Reference rows (objectives, guiding principles, M49 regions) carry official French and Spanish names in
`<field>_fr` / `<field>_es` where a source gives one, and leave them blank where none was found (see each app's
data/SOURCES.md). A blank falls back to the English name, never to a home-made translation, and pages mark such an
English name `lang="en"` (WCAG 3.1.2, language of parts).
"""

from django.utils.html import format_html
from django.utils.translation import get_language

# Languages besides English whose official names the reference data carries.
TRANSLATED_LANGUAGES = ("fr", "es")


def active_language() -> str:
    return (get_language() or "en").split("-")[0]


def value_and_language(obj, field: str) -> tuple[str, str]:
    """The French or Spanish value of `field` for the active language (else the English one), and its language."""
    language = active_language()
    translated = getattr(obj, f"{field}_{language}", "") if language in TRANSLATED_LANGUAGES else ""
    return (translated, language) if translated else (getattr(obj, field), "en")


def marked(text: str, language: str):
    """`text`, wrapped in `<span lang="…">` when it is not in the page's language."""
    return text if language == active_language() else format_html('<span lang="{}">{}</span>', language, text)


def english_marked(text: str):
    """A name the reference data has only in English (States, mechanisms), marked so on other-language pages."""
    return marked(text, "en")
