"""No user-visible text in our templates escapes translation.

Every template of the project is read as text: Django tags, variables, comments, scripts and styles are taken out
(text inside {% translate %} and {% blocktranslate %} goes with them), and what is left is parsed as HTML. Any text
node, and any aria-label, title, alt or placeholder attribute, and the value of a button, that still holds a word
fails the test, unless it is on the short allowlist below (brand names, codes, symbols).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SHOWN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}
# Words that are the same in every language: names of formats and bodies, language codes, and the one-letter
# marks whose meaning a translated legend gives (M member, O observer, P priority; v3 a version, r12 a revision).
ALLOWED = {
    "CSV", "JSON", "PDF", "ZIP", "Excel", "SHA-256", "EN", "FR", "ES", "IMRF", "GCM", "ISCM", "UTC",
    "M", "O", "P", "v", "r",
}  # fmt: skip
# Elements whose text is literal: code (column names, field keys).
LITERAL = {"code", "kbd", "samp"}

_DJANGO = [
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
]
_NOT_TEXT = [re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I), re.compile(r"<!--.*?-->", re.S)]


def _templates():
    for path in sorted(ROOT.glob("**/templates/**/*")):
        if path.suffix in (".html", ".txt") and not {".venv", "node_modules", "staticfiles"} & set(path.parts):
            yield path


def _unmarked_words(text: str) -> str:
    words = re.findall(r"[^\s·–—|()/:,.;!?#%&*+=\[\]\"'<>0-9-]+(?:-[^\s]+)?", text)
    return " ".join(word for word in words if word not in ALLOWED and re.search(r"[A-Za-z]", word))


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.literal = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.literal += tag in LITERAL
        shown = [name for name in attrs if name in SHOWN_ATTRIBUTES]
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            shown.append("value")  # the text of an input button (a <button>'s value is never shown)
        for name in shown:
            if attrs.get(name) and _unmarked_words(attrs[name]):
                self.found.append(f'{name}="{attrs[name]}"')

    def handle_endtag(self, tag):
        self.literal -= tag in LITERAL and self.literal > 0

    def handle_data(self, data):
        if not self.literal and _unmarked_words(data):
            self.found.append(" ".join(data.split()))


def _unmarked_text(source: str) -> list[str]:
    for pattern in _DJANGO:
        source = pattern.sub(" ", source)
    for pattern in _NOT_TEXT:
        source = pattern.sub(" ", source)
    finder = _Finder()
    finder.feed(source)
    return finder.found


def test_the_finder_sees_unmarked_text_and_accepts_marked_text():
    assert _unmarked_text('<p>Hello world</p><a title="Open it" aria-label="{% translate "Go" %}">x</a>') == [
        "Hello world",
        'title="Open it"',
        "x",
    ]
    assert _unmarked_text('<p>{% translate "Hello" %} {{ name }} · CSV</p><!-- note -->{# why #}') == []
    assert _unmarked_text("{% blocktranslate %}Hello {{ who }}{% endblocktranslate %}<script>var a;</script>") == []


def test_every_template_marks_its_text_for_translation():
    templates = list(_templates())
    assert len(templates) > 70  # the project's templates (and e-mail templates) are all read
    found = {
        str(path.relative_to(ROOT)): unmarked
        for path in templates
        if (unmarked := _unmarked_text(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "\n".join(f"{path}: {text}" for path, text in found.items())
