"""Every named page of the portal, in French and Spanish, for every role: the expected answer, and no English
sentence from our own catalogue left in what the reader sees.

The pages and the answers come from the permission matrix (tests/permission_matrix): every GET row, for the
roles anonymous, focal point, secretariat, IOM staff and administrator. A page fails when its visible text (text
nodes, and the title, aria-label, alt and placeholder a screen reader or tooltip shows) holds, word for word, a
msgid of three words or more whose French or Spanish translation differs. Text marked with another language
(`lang="en"`: reference names the data has in English only, review text written in English) is not counted.
"""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.permission_matrix import LOGIN, REDIRECT
from tests.test_permission_matrix import CASES, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "focal_point", "own_secretariat", "iom", "admin"]
# Files (PDF, CSV, XLSX, ZIP, attachments) have no interface text; the permission matrix checks their answers.
FILES = re.compile(r"export|pdf|zip|download|healthz")
LOCALE = Path(settings.LOCALE_PATHS[0])
SHOWN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}


def _english_sentences(language: str) -> dict[tuple[str, ...], list[str]]:
    """Our msgids of 3+ words that the catalogue translates differently, keyed by their first three words."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog  # noqa: SLF001 (the stdlib's only way to list entries)
    sentences: dict[tuple[str, ...], list[str]] = {}
    for msgid, msgstr in catalogue.items():
        if not isinstance(msgid, str) or not msgid or re.search(r"[%{}<>]", msgid) or msgid == msgstr:
            continue
        words = msgid.split()
        if len(words) >= 3:
            sentences.setdefault(tuple(words[:3]), []).append(" ".join(words))
    return sentences


class _ShownText(HTMLParser):
    """The text a reader sees, leaving out scripts, styles and anything marked as another language."""

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self.hidden: list[str] = []  # tags opened with another language (or script/style), innermost last

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.hidden:
            if tag == self.hidden[0]:
                self.hidden.append(tag)
            return
        if tag in ("script", "style", "template") or attrs.get("lang", self.language).split("-")[0] != self.language:
            if tag not in ("img", "input", "br", "hr", "meta", "link", "html"):
                self.hidden.append(tag)
            return
        self.parts.extend(value for name, value in attrs.items() if name in SHOWN_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if self.hidden and tag == self.hidden[0]:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _shown_text(html: str, language: str) -> str:
    parser = _ShownText(language)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _english_left(text: str, sentences) -> list[str]:
    words = text.split()
    found = set()
    for start in range(len(words) - 2):
        for sentence in sentences.get(tuple(words[start : start + 3]), ()):
            if sentence in text:
                found.add(sentence)
    return sorted(found)


def _answer_ok(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response.url.split("?")[0] == reverse("login")
    if expected == REDIRECT:
        return response.status_code == 302 and response.url.split("?")[0] != reverse("login")
    return response.status_code == expected


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE])
def test_every_page_in_french_and_spanish_for_every_role(client, world, language):  # noqa: F811
    sentences = _english_sentences(language)
    problems = []
    pages = 0
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # pages with one address (login, accounts)
        for case in CASES:
            if case.method != "GET" or FILES.search(case.name):
                continue  # actions change the world (their pages are the GET rows); files have no text
            with translation.override(language):  # language-prefixed pages reverse to /fr/…, /es/…
                url = reverse(case.name, kwargs=case.kwargs(world) if case.kwargs else None)
            response = client.get(url)
            expected = case.expected[role]
            if not _answer_ok(response, expected):
                problems.append(f"{role} {url}: {response.status_code}, expected {expected}")
                continue
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            english = _english_left(_shown_text(response.content.decode(), language), sentences)
            if english:
                problems.append(f"{role} {url}: English left: {english}")
    assert problems == [], "\n".join(problems)
    assert pages > 150  # the matrix really rendered the portal's pages
