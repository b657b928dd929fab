"""Full-text search of the library on SQLite, and the search syntax it shares with PostgreSQL.

PostgreSQL searches the `search_vector` columns: the english configuration (stemming, stop words), the
weights A to D below, `websearch_to_tsquery`, `ts_headline` and GIN indexes. SQLite, the embedded default,
gets the same behaviour from one FTS5 table beside each searched table (created by migration 0003):

- the row id of the FTS5 row is the id of the entry, and its columns are the `FIELD_WEIGHTS` fields;
- the porter stemmer on Unicode words with accents folded, so "fees" finds "fee" and "returns" "return";
- `bm25()` with PostgreSQL's default weight for each letter (A 1.0, B 0.4, C 0.2, D 0.1);
- the library service writes these tables itself, in the same transaction as the entries
  (`sqlite_index_reviews`, `sqlite_forget_reviews`); no trigger hides a write from services.py;
- the query syntax of `websearch_to_tsquery` ("quoted phrases", or, -exclusion, stop words dropped) is
  parsed here once, and every word reaches FTS5 as a quoted string: no input can be an FTS5 syntax error.
"""

# ruff: noqa: S608, S611 - table and column names in the SQL below are this module's constants; what a user typed
# only ever reaches the database as a query parameter.

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Expression, F, FloatField, Q, TextField
from django.db.models.expressions import RawSQL

# The weight of each searched field; `services.py` builds the PostgreSQL vectors from the same tables.
PRACTICE_WEIGHTS = {"title": "A", "body": "B", "context_text": "C"}
DOCUMENT_WEIGHTS = {"summary": "A", "body": "B", "title": "C", "context_text": "C"}
# PostgreSQL's default weights of ts_rank for D, C, B, A.
RANK_OF_WEIGHT = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}

TOKENIZER = "porter unicode61 remove_diacritics 2"
# PostgreSQL's english stop words (tsearch_data/english.stop): dropped from queries outside phrases, as there.
_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is
    are was were be been being have has had having do does did doing a an the and but if or because as until
    while of at by for with about against between into through during before after above below to from up down
    in out on off over under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split())
# Bounds that keep any input cheap. PostgreSQL's ts_headline slows down with the square of the terms (100 terms
# take 0.8 s for each result shown), so both databases get the first 32 terms of a query.
MAX_TERMS = 32
MAX_WORD_CHARS = 100

_TOKEN = re.compile(r'\s*(-*)\s*(?:"([^"]*)"?|([^\s"]+))')
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """One word or one quoted phrase, in lower case."""

    words: tuple[str, ...]
    excluded: bool = False

    def websearch(self) -> str:
        text = f'"{" ".join(self.words)}"' if len(self.words) > 1 else self.words[0]
        return f"-{text}" if self.excluded else text

    def fts5(self) -> str:
        """The term as an FTS5 string: a word or a phrase, never an operator or a syntax error."""
        return '"' + " ".join(self.words).replace('"', '""') + '"'


@dataclass(frozen=True)
class WebSearch:
    """A query in the syntax of PostgreSQL's `websearch_to_tsquery`: groups of terms joined by "or"; every
    term of a group must occur, except the excluded (-) ones, which must not."""

    groups: tuple[tuple[Term, ...], ...]

    @classmethod
    def parse(cls, q: str) -> "WebSearch":
        groups, group, count = [], [], 0
        for match in _TOKEN.finditer(q):
            dashes, phrase, word = match.groups()
            excluded = len(dashes) % 2 == 1
            if word is not None and word.lower() == "or" and not dashes:
                if group:
                    groups.append(tuple(group))
                group = []
                continue
            words = tuple(w[:MAX_WORD_CHARS] for w in _WORD.findall((phrase if phrase is not None else word).lower()))
            if not words or all(w in STOP_WORDS for w in words) or count == MAX_TERMS:
                continue
            group.append(Term(words, excluded))
            count += 1
        if group:
            groups.append(tuple(group))
        return cls(tuple(groups))

    @property
    def websearch(self) -> str:
        """The query written back in websearch syntax, words only: what PostgreSQL is given."""
        return " or ".join(" ".join(term.websearch() for term in group) for group in self.groups)

    @property
    def words(self) -> list[str]:
        """The words to look for (not the excluded ones), for highlighting."""
        return [word for group in self.groups for term in group if not term.excluded for word in term.words]

    @property
    def fts5(self) -> str:
        """The groups with at least one wanted term, as one FTS5 expression ("" when there are none)."""
        parts = []
        for group in self.groups:
            wanted = [term.fts5() for term in group if not term.excluded]
            if wanted:
                unwanted = [term.fts5() for term in group if term.excluded]
                expression = "(" + " AND ".join(wanted) + ")"
                parts.append(f"({expression} NOT ({' OR '.join(unwanted)}))" if unwanted else expression)
        return " OR ".join(parts)

    @property
    def fts5_exclusions(self) -> list[str]:
        """Groups made only of exclusions ("-detention"): FTS5 cannot say "every row without", SQL can."""
        return [
            " OR ".join(term.fts5() for term in group) for group in self.groups if all(term.excluded for term in group)
        ]


@dataclass(frozen=True)
class FtsTable:
    """The FTS5 table that indexes some fields of `source`, row for row, each with a weight letter."""

    name: str
    source: str
    weights: tuple[tuple[str, str], ...]

    @property
    def columns(self) -> list[str]:
        return [field for field, _letter in self.weights]

    def column(self, field: str) -> int:
        return self.columns.index(field)

    # ------------------------------------------------------------ reads, for the entry of the current row

    def matches(self, search: WebSearch) -> Q:
        """The entries the query finds."""
        condition = Q(pk__in=[])
        if search.fts5:
            condition |= Q(pk__in=RawSQL(f"SELECT rowid FROM {self.name} WHERE {self.name} MATCH %s", [search.fts5]))
        for exclusions in search.fts5_exclusions:
            condition |= ~Q(pk__in=RawSQL(f"SELECT rowid FROM {self.name} WHERE {self.name} MATCH %s", [exclusions]))
        return condition

    def rank(self, search: WebSearch) -> "FtsValue":
        """bm25 with the fields' weights, negated so that higher is better as with PostgreSQL's ts_rank."""
        weights = ", ".join(str(RANK_OF_WEIGHT[letter]) for _field, letter in self.weights)
        return FtsValue(self, search, f"-bm25({self.name}, {weights})", (), output_field=FloatField())

    def highlight(self, search: WebSearch, field: str, start: str, stop: str) -> "FtsValue":
        """The whole field with every match between `start` and `stop`."""
        return FtsValue(self, search, f"highlight({self.name}, {self.column(field)}, %s, %s)", (start, stop))

    def snippet(self, search: WebSearch, fields: list[str], start: str, stop: str, *, tokens: int) -> "FtsValue":
        """About `tokens` words around the best match, from the first of `fields` that has a match."""
        pieces = [
            (f"snippet({self.name}, {self.column(field)}, %s, %s, '…', {tokens})", (start, stop)) for field in fields
        ]
        if len(pieces) == 1:
            return FtsValue(self, search, *pieces[0])
        whens, params = [], []
        for sql, piece_params in pieces:
            whens.append(f"WHEN instr({sql}, %s) > 0 THEN {sql}")
            params += [*piece_params, start, *piece_params]
        first_sql, first_params = pieces[0]
        return FtsValue(self, search, f"CASE {' '.join(whens)} ELSE {first_sql} END", (*params, *first_params))


class FtsValue(Expression):
    """A value from the FTS5 row of the current entry for the query: its rank, a highlight or a snippet; NULL for
    an entry found only through an exclusion ("-detention")."""

    def __init__(self, table: FtsTable, search: WebSearch, select: str, params, output_field=None):
        super().__init__(output_field=output_field or TextField())
        self.table, self.search, self.select, self.params = table, search, select, tuple(params)
        self.entry = F("pk")

    def get_source_expressions(self):
        return [self.entry]

    def set_source_expressions(self, exprs):
        (self.entry,) = exprs

    def as_sql(self, compiler, connection):
        if not self.search.fts5:
            return "NULL", ()
        entry_sql, entry_params = compiler.compile(self.entry)
        name = self.table.name
        sql = f"(SELECT {self.select} FROM {name} WHERE {name} MATCH %s AND {name}.rowid = {entry_sql})"
        return sql, (*self.params, self.search.fts5, *entry_params)


PRACTICE_INDEX = FtsTable("library_practice_fts", "library_practice", tuple(PRACTICE_WEIGHTS.items()))
DOCUMENT_INDEX = FtsTable("library_reviewdocument_fts", "library_reviewdocument", tuple(DOCUMENT_WEIGHTS.items()))
INDEXES = (PRACTICE_INDEX, DOCUMENT_INDEX)


# ---------------------------------------------------------------- writes (called by the library service)


def uses_sqlite_index() -> bool:
    return connection.vendor == "sqlite"


def _review_rows(table: FtsTable, review_ids: list[int] | None) -> tuple[str, list[int]]:
    if review_ids is None:
        return f"SELECT id FROM {table.source}", []
    placeholders = ", ".join(["%s"] * len(review_ids))
    return f"SELECT id FROM {table.source} WHERE review_id IN ({placeholders})", list(review_ids)


def sqlite_forget_reviews(review_ids: list[int] | None = None) -> None:
    """Remove the index rows of these reviews' entries (all rows with None); call before deleting the entries."""
    with connection.cursor() as cursor:
        for table in INDEXES:
            if review_ids is None:
                cursor.execute(f"DELETE FROM {table.name}")
                continue
            rows, params = _review_rows(table, review_ids)
            cursor.execute(f"DELETE FROM {table.name} WHERE rowid IN ({rows})", params)


def sqlite_index_reviews(review_ids: list[int] | None = None) -> None:
    """Copy the searched fields of these reviews' entries (all with None) into the index, replacing any row."""
    with connection.cursor() as cursor:
        for table in INDEXES:
            rows, params = _review_rows(table, review_ids)
            columns = ", ".join(table.columns)
            cursor.execute(
                f"INSERT OR REPLACE INTO {table.name} (rowid, {columns}) "
                f"SELECT id, {columns} FROM {table.source} WHERE id IN ({rows})",
                params,
            )


def sqlite_purge_orphans() -> int:
    """Remove index rows whose entry is gone (deleted with its review or report); returns how many."""
    removed = 0
    with connection.cursor() as cursor:
        for table in INDEXES:
            cursor.execute(f"DELETE FROM {table.name} WHERE rowid NOT IN (SELECT id FROM {table.source})")
            removed += cursor.rowcount
    return removed
