"""The search syntax shared by both databases, and the FTS5 index SQLite searches (skipped on PostgreSQL;
CI runs the `sqlite` marker a second time on SQLite)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from library import selectors
from library.fulltext import (
    DOCUMENT_INDEX,
    MAX_TERMS,
    PRACTICE_INDEX,
    Term,
    WebSearch,
    config_marker,
    indexed_text,
    search_config,
    sqlite_purge_orphans,
)
from library.models import Practice, ReviewDocument
from library.selectors import SearchFilters
from library.services import library_index_review, library_reindex_all, library_reindex_stale

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only")


def test_parse_reads_words_phrases_or_and_exclusions():
    search = WebSearch.parse('Bangkok "recruitment fees" or -detention return')
    assert search.groups == (
        (Term(("bangkok",)), Term(("recruitment", "fees"))),
        (Term(("detention",), excluded=True), Term(("return",))),
    )
    assert search.websearch == 'bangkok "recruitment fees" or -detention return'
    assert search.words == ["bangkok", "recruitment", "fees", "return"]


@pytest.mark.parametrize(
    ("q", "websearch"),
    [
        ("the fees in Bangkok", "fees bangkok"),  # stop words go, as in PostgreSQL's english configuration
        ('"fees in Bangkok"', '"fees in bangkok"'),  # but stay inside a phrase
        ("or fee or", "fee"),
        ("fee OR OR visa", "fee or visa"),
        ("fee - visa", "fee -visa"),
        ("fee -- visa", "fee visa"),
        ("-or", ""),
        ('"unbalanced phrase', '"unbalanced phrase"'),
        ("NEAR(fee bangkok)", "near fee bangkok"),
        ("fee* ^visa {title}: col:x", "fee visa title col x"),
        ("recruitment-fees", '"recruitment fees"'),
        ("Fées CAFÉ", "fées café"),
        ('""  "" " the "', ""),
        ("", ""),
    ],
)
def test_parse_keeps_only_words(q, websearch):
    assert WebSearch.parse(q).websearch == websearch


def test_parse_bounds_any_input():
    assert len(WebSearch.parse("fee " * 12_500).groups[0]) == MAX_TERMS
    assert WebSearch.parse("a" * 50_000).groups == ((Term(("a" * 100,)),),)
    assert WebSearch.parse('"' * 50_000).groups == ()


def test_fts5_expression_quotes_every_term():
    search = WebSearch.parse('fee "bang kok" -visa or -detention -"NOT x" or return')
    assert search.fts5 == '(("fee" AND "bang kok") NOT ("visa")) OR ("return")'
    assert search.fts5_exclusions == ['"detention" OR "not x"']


# ---------------------------------------------------------------- the FTS5 index (SQLite only)


def _index_rows(table):
    with connection.cursor() as cursor:
        columns = ", ".join(table.columns)
        cursor.execute(f"SELECT rowid, {columns} FROM {table.name} ORDER BY rowid")
        return cursor.fetchall()


def _entry_rows(model, table):
    """What the index should hold: each entry's text (stemmed for French and Spanish) and its configuration."""
    rows = []
    for pk, language, *texts in model.objects.order_by("pk").values_list("pk", "language", *table.columns[:-1]):
        config = search_config(language)
        rows.append((pk, *(indexed_text(text, config) for text in texts), config_marker(config)))
    return rows


def _assert_index_matches_entries():
    assert _index_rows(PRACTICE_INDEX) == _entry_rows(Practice, PRACTICE_INDEX)
    assert _index_rows(DOCUMENT_INDEX) == _entry_rows(ReviewDocument, DOCUMENT_INDEX)


@on_sqlite
@pytest.mark.sqlite
def test_index_follows_every_library_write(make_report):
    report = make_report()
    make_report(slug="midwa")
    _assert_index_matches_entries()
    report.challenges = "- Visa fees doubled.\n- Passports are slow."
    report.save()
    library_index_review(review=report.review)
    _assert_index_matches_entries()
    assert library_reindex_all() == 11
    _assert_index_matches_entries()
    assert len(_index_rows(PRACTICE_INDEX)) == 11


@on_sqlite
@pytest.mark.sqlite
def test_entries_deleted_with_their_review_leave_the_index_with_the_safety_net(make_report):
    report = make_report()
    make_report(slug="midwa")
    report.review.delete()
    assert len(_index_rows(PRACTICE_INDEX)) == 10
    assert selectors.practice_results(AnonymousUser(), SearchFilters(q="recruitment")).count() == 5
    library_reindex_stale()
    _assert_index_matches_entries()
    assert sqlite_purge_orphans() == 0


@on_sqlite
@pytest.mark.sqlite
def test_index_folds_accents(make_report):
    # PostgreSQL's english configuration keeps accents; SQLite's tokenizer removes them.
    make_report(good_practices="- **Café hotline.** Naïve questions welcome.", challenges="", recommendations="")
    titles = [p.title for p in selectors.practice_results(AnonymousUser(), SearchFilters(q="cafe naive"))]
    assert titles == ["Café hotline"]
