"""Which language a page says a piece of its text is in: the `lang` of the innermost element around it."""

from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class _LanguageOfText(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.text in data:
            self.found.append(next((lang for _tag, lang in reversed(self.stack) if lang), None))


def languages_of(html: str | bytes, text: str) -> list[str | None]:
    """The language of every place `text` occurs in `html` (None where no element says), in page order."""
    parser = _LanguageOfText(text)
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.found
