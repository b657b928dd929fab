"""How a value becomes a spreadsheet cell, and back: the one owner of formula escaping for every export.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and some also when the
formula hides behind a leading TAB or carriage return (CSV injection, see OWASP). Every CSV and XLSX the
portal writes (directory, pledges, the package's data/reviews.csv) passes its cells through `escape_cell`,
which puts an apostrophe in front of such text; imports pass every cell through `unescape_cell`, so an
export re-imports unchanged. A cell that already starts with an apostrophe gets a second one, so the
apostrophe a user typed survives the round trip too.
"""

import re

ESCAPE = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
# Excel holds at most this many characters in a cell; longer text cannot round-trip through a spreadsheet.
MAX_CELL_LENGTH = 32_767
# Control characters the XLSX format (XML 1.0) cannot hold; openpyxl refuses them (its ILLEGAL_CHARACTERS_RE).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def join_list(items) -> str:
    """A list-valued cell: the items joined by `; ` (escaped as a whole by `escape_cell`)."""
    return LIST_SEPARATOR.join(str(item) for item in items)


def escape_cell(value):
    """The value as an inert cell: lists joined, text that a spreadsheet would run prefixed with `'`.

    Numbers, dates and None pass unchanged: a spreadsheet never runs them.
    """
    if isinstance(value, (list, tuple)):
        value = join_list(value)
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, ESCAPE)):
        return ESCAPE + value
    return value


def escape_xlsx_cell(value):
    """`escape_cell`, then the control characters XLSX cannot store replaced by U+FFFD (else no file at all)."""
    value = escape_cell(value)
    if isinstance(value, str):
        return _XLSX_ILLEGAL.sub("\ufffd", value)
    return value


def unescape_cell(text: str) -> str:
    """The text `escape_cell` was given: one leading apostrophe removed where `escape_cell` would have put it."""
    if text.startswith(ESCAPE) and text[1:2] and text[1:2] in (*FORMULA_STARTS, ESCAPE):
        return text[1:]
    return text
