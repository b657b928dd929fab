import pytest

from iscm_portal.spreadsheet_cells import escape_cell, escape_xlsx_cell, unescape_cell

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=1", "'quoted"]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_cell_prefixes_formula_starts_with_an_apostrophe(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Plain text", "", "2022-05-20", 5, 2.5, None, "a=b"])
def test_escape_cell_leaves_inert_values_alone(value):
    assert escape_cell(value) == value


def test_escape_cell_joins_and_escapes_a_list():
    assert (escape_cell(["=1", "b"]), escape_cell(["a", "-b"]), escape_cell([])) == ("'=1; b", "a; -b", "")


@pytest.mark.parametrize("text", [*HOSTILE, "Plain", "'tis", "", "''"])
def test_unescape_cell_undoes_escape_cell(text):
    assert unescape_cell(escape_cell(text)) == text


def test_unescape_cell_keeps_an_apostrophe_typed_before_ordinary_text():
    assert unescape_cell("'tis") == "'tis"


def test_escape_xlsx_cell_replaces_characters_xlsx_cannot_hold():
    assert escape_xlsx_cell("=a\x01b\tc\nd") == "'=a\ufffdb\tc\nd"
