"""Full-text search of the library on SQLite, and the search syntax it shares with PostgreSQL.

PostgreSQL searches the `search_vector` columns: the english configuration (stemming, stop words), the
weights A to D below, `websearch_to_tsquery`, `ts_headline` and GIN indexes. SQLite, the embedded default,
gets the same behaviour from one FTS5 table beside each searched table (created by migration 0003):

- the FTS5 row's id is the entry's id, its columns the fields of PRACTICE_WEIGHTS or DOCUMENT_WEIGHTS, and a
  search joins the entry to its row through an unmanaged model (PracticeSearchRow, ReviewDocumentSearchRow);
- the porter stemmer on Unicode words, so "fees" finds "fee" and "returns" "return" (it also folds accents,
  which PostgreSQL's english configuration does not);
- `bm25()` with ts_rank's default weight for each letter (A 1.0, B 0.4, C 0.2, D 0.1);
- the library service writes these tables itself, in the same transaction as the entries
  (`sqlite_index_reviews`, `sqlite_forget_reviews`): no trigger hides a write from services.py;
- the query syntax of `websearch_to_tsquery` ("quoted phrases", or, -exclusion, stop words dropped) is parsed
  here once for both databases, and every word reaches FTS5 as a quoted string: no input is an FTS5 syntax error.

Known differences: inside a quoted phrase SQLite needs the stop words themselves ("fees in Bangkok"), where
PostgreSQL accepts any word at their place; snippets are cut at tokens rather than at words.
"""

# ruff: noqa: S608 - table and column names in the SQL below are this module's constants; what a user typed
# only ever reaches the database as a query parameter.

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, TextField, Value, When
from django.db.models.lookups import GreaterThan

# The weight letter of each searched field; services.py builds PostgreSQL's vectors from the same mappings.
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
_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


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
            # As in PostgreSQL, a quoted phrase or a hyphenated word is one term, other punctuation separates terms.
            for part in [phrase] if phrase is not None else _HYPHENATED.findall(word):
                words = tuple(w[:MAX_WORD_CHARS] for w in _WORD.findall(part.lower()))
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
    """The FTS5 table that indexes some fields of `source`, row for row, each with a weight letter; `relation` is
    the entry's one-to-one link to it (an unmanaged model in models.py), so a search is one join."""

    name: str
    source: str
    relation: str
    weights: tuple[tuple[str, str], ...]

    @property
    def columns(self) -> list[str]:
        return [field for field, _letter in self.weights]

    # ------------------------------------------------------------ reads

    def search(self, queryset, search: WebSearch, *, title_field: str, snippet_fields, marks, tokens: int):
        """The entries of `queryset` the query finds, with `rank` (higher is better), `title_headline` (the title,
        matches between the `marks`) and `body_headline` (about `tokens` words around the best match, from the
        first of `snippet_fields` that has one)."""
        if search.fts5_exclusions:
            # "-detention" alone means every entry without it: SQL can say that, an FTS5 query cannot; such rare
            # queries are answered with subqueries, unranked and highlighted by the caller.
            return queryset.filter(self._matches_by_subquery(queryset.model, search)).annotate(rank=Value(0.0))
        if not search.fts5:  # only stop words or punctuation: nothing, as with PostgreSQL
            return queryset.none().annotate(rank=Value(0.0))
        row = F(f"{self.relation}__match")  # the FTS5 row of the entry, as auxiliary functions take it
        start, stop = marks
        return queryset.filter(**{f"{self.relation}__match": search.fts5}).annotate(
            # ts_rank's weights; bm25 is lower for better matches, ts_rank higher.
            rank=Func(
                row,
                *(Value(RANK_OF_WEIGHT[letter]) for _field, letter in self.weights),
                function="bm25",
                output_field=FloatField(),
            )
            * Value(-1.0),
            title_headline=self._function("highlight", row, title_field, start, stop),
            body_headline=self._snippet(row, snippet_fields, start, stop, tokens),
        )

    def _function(self, name: str, row, field: str, *args):
        arguments = (Value(self.columns.index(field)), *(Value(arg) for arg in args))
        return Func(row, *arguments, function=name, output_field=TextField())

    def _snippet(self, row, fields, start: str, stop: str, tokens: int):
        snippets = [self._function("snippet", row, field, start, stop, "…", tokens) for field in fields]
        if len(snippets) == 1:
            return snippets[0]
        position = [Func(snippet, Value(start), function="instr", output_field=IntegerField()) for snippet in snippets]
        has_match = [When(GreaterThan(at, 0), then=snippet) for at, snippet in zip(position, snippets, strict=True)]
        return Case(*has_match, default=snippets[0], output_field=TextField())

    def _matches_by_subquery(self, model, search: WebSearch) -> Q:
        rows = model._meta.get_field(self.relation).related_model.objects
        condition = Q(pk__in=[])
        if search.fts5:
            condition |= Q(pk__in=rows.filter(match=search.fts5).values("pk"))
        for exclusions in search.fts5_exclusions:
            condition |= ~Q(pk__in=rows.filter(match=exclusions).values("pk"))
        return condition


PRACTICE_INDEX = FtsTable("library_practice_fts", "library_practice", "fts_row", tuple(PRACTICE_WEIGHTS.items()))
DOCUMENT_INDEX = FtsTable(
    "library_reviewdocument_fts", "library_reviewdocument", "fts_row", tuple(DOCUMENT_WEIGHTS.items())
)
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
