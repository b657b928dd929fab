"""How names of States (and regions) are sorted for a reader of the active language: the one owner of that order.

A database's `ORDER BY name` compares code points (SQLite) or follows the server's locale (PostgreSQL), so
"Côte d'Ivoire" and "Türkiye" land after "Czechia" and "Tuvalu". Here letters compare without their accents
first, then with them; case and punctuation only break ties; and a language may tailor its alphabet: in
Spanish "ñ" is a letter of its own, after "n".

Pure Python rather than PyICU: PyICU is a C extension built against the system's libicu, which every
developer machine, CI run and container would have to install (and whose version changes the order between
machines); the names sorted here are some 250 Latin-script names in three languages, for which removing the
accents plus each language's few tailorings gives the order a reader expects. A language added to the
portal adds its tailorings to `_TAILORINGS` (see the README's "How to add a language").

Sorting happens in Python on rows already loaded, so it never adds a query.
"""

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from django import forms
from django.conf import settings
from django.utils import translation

# Letters a language sorts as letters of their own, mapped to a primary key that places them after a base letter.
_AFTER = "\U0010fffd"
_TAILORINGS: dict[str, dict[str, str]] = {
    "es": {"ñ": "n" + _AFTER},
}


def collation_key(text: str, language: str | None = None) -> tuple[str, str, str]:
    """A sort key for `text` as a reader of `language` (default: the active language) orders it."""
    return _collation_key(str(text), (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0])


@lru_cache(maxsize=8192)
def _collation_key(text: str, language: str) -> tuple[str, str, str]:
    """Worked out once per process for each name: the same few hundred are sorted on nearly every page."""
    folded = unicodedata.normalize("NFC", text).casefold()
    for letter, primary in _TAILORINGS.get(language, {}).items():
        folded = folded.replace(letter, primary)
    decomposed = unicodedata.normalize("NFKD", folded)
    letters = "".join(c for c in decomposed if c.isalnum() or c == " " or c == _AFTER)  # accents, punctuation go
    return letters, decomposed, text


def collated[T](items: Iterable[T], *keys: Callable[[T], str], language: str | None = None) -> list[T]:
    """`items` sorted by the texts `keys` give (each compared as the reader expects, in order); stable."""
    keys = keys or (str,)
    language = language or translation.get_language()
    return sorted(items, key=lambda item: tuple(collation_key(key(item), language) for key in keys))


class CollatedChoiceIterator(forms.models.ModelChoiceIterator):
    """A model select's options in the reader's order of their labels (one query, as before)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in collated(self.queryset, self.field.label_from_instance):
            yield self.choice(obj)


def collate_choices(*fields: forms.ModelChoiceField) -> None:
    """Make model select fields (single or multiple) list their options in the reader's order."""
    for field in fields:
        field.iterator = CollatedChoiceIterator
        field.widget.choices = field.choices
