"""Full-text search of the library on SQLite, and the search syntax and languages it shares with PostgreSQL.

Each entry is searched in the language of its review: PostgreSQL's text-search configuration `english`,
`french` or `spanish` (`simple`, without stemming or stop words, for the other languages), from
SEARCH_CONFIGS. A query is read once per configuration (each with its own stop words and stemming) and each
entry is matched, ranked and highlighted with the reading of its own configuration: "travailleurs migrants"
finds a French entry saying "travailleur migrant", "migrant workers" an English one saying "migrant worker",
and a search without a language filter looks in every language at once. Ranks stay comparable across
languages because each is ts_rank (or bm25) of the same weighted fields.

PostgreSQL searches the `search_vector` columns: the entry's configuration (stemming, stop words), the
weights A to D below, `websearch_to_tsquery`, `ts_headline` and GIN indexes. SQLite, the embedded default,
gets the same behaviour from one FTS5 table beside each searched table (created by migrations 0003 and 0004):

- the FTS5 row's id is the entry's id, its columns the fields of PRACTICE_WEIGHTS or DOCUMENT_WEIGHTS, and a
  search joins the entry to its row through an unmanaged model (PracticeSearchRow, ReviewDocumentSearchRow);
- the porter stemmer on Unicode words, so "fees" finds "fee" and "returns" "return" (it also folds accents,
  which PostgreSQL's english configuration does not);
- French and Spanish, which porter cannot stem, are stemmed here with the Snowball stemmers PostgreSQL's
  `french` and `spanish` configurations use (the `snowballstemmer` package): the index holds each word of a
  French or Spanish entry as its stem, and the query's words are stemmed the same way, so both sides meet on
  the same stems. FTS5 cannot call a Python tokenizer, hence the stems are written into the table; highlights
  and snippets of those entries are then made from the original text by `highlight_stems`;
- the entry's configuration is a column of the FTS5 row (`cfgfrench`, ...), so one FTS5 expression asks each
  configuration's reading of the query of the rows of that configuration;
- `bm25()` with ts_rank's default weight for each letter (A 1.0, B 0.4, C 0.2, D 0.1);
- the library service writes these tables itself, in the same transaction as the entries
  (`sqlite_index_reviews`, `sqlite_forget_reviews`): no trigger hides a write from services.py;
- the query syntax of `websearch_to_tsquery` ("quoted phrases", or, -exclusion, stop words dropped) is parsed
  here once for both databases, and every word reaches FTS5 as a quoted string: no input is an FTS5 syntax error.

Known differences: inside a quoted phrase SQLite needs the stop words themselves ("fees in Bangkok"), where
PostgreSQL accepts any word at their place; snippets are cut at tokens rather than at words; the porter
tokenizer also runs over the `simple` languages' words, so SQLite finds a few more forms there.

After a change to what is indexed or how, `manage.py rebuild_library` rebuilds the entries and both indexes.
"""

# ruff: noqa: S608 - table and column names in the SQL below are this module's constants; what a user typed
# only ever reaches the database as a query parameter.

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import snowballstemmer
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

# The text-search configuration of each review language; any other language is searched with SIMPLE.
SEARCH_CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}
SIMPLE = "simple"
CONFIGS = (*SEARCH_CONFIGS.values(), SIMPLE)
# Languages whose words SQLite stems here (FTS5's porter tokenizer stems English itself).
_SNOWBALL = frozenset({"french", "spanish"})
STEMMED_LANGUAGES = [code for code, config in SEARCH_CONFIGS.items() if config in _SNOWBALL]
# PostgreSQL's french and spanish stop words (tsearch_data, from the Snowball project), one per line.
_STOP_WORD_FILES = Path(__file__).resolve().parent / "stop_words"
# Bounds that keep any input cheap. PostgreSQL's ts_headline slows down with the square of the terms (100 terms
# take 0.8 s for each result shown), so both databases get the first 32 terms of a query.
MAX_TERMS = 32
MAX_WORD_CHARS = 100


def search_config(language: str) -> str:
    """The text-search configuration entries written in `language` are indexed and searched with."""
    return SEARCH_CONFIGS.get(language, SIMPLE)


def languages_of_config(config: str) -> tuple[list[str], bool]:
    """The language codes of `config`, and whether it is SIMPLE (every language without a configuration)."""
    if config == SIMPLE:
        return list(SEARCH_CONFIGS), True
    return [code for code, name in SEARCH_CONFIGS.items() if name == config], False


@cache
def stop_words(config: str) -> frozenset[str]:
    if config == "english":
        return STOP_WORDS
    if config in _SNOWBALL:
        return frozenset((_STOP_WORD_FILES / f"{config}.txt").read_text(encoding="utf-8").split())
    return frozenset()


@cache
def _stemmer(config: str):
    return snowballstemmer.stemmer(config)


def stem(word: str, config: str) -> str:
    """The word as SQLite's index holds it for `config`: its Snowball stem for French and Spanish, else as is
    (FTS5's porter tokenizer then treats both sides alike)."""
    return _stemmer(config).stemWord(word) if config in _SNOWBALL else word


def indexed_text(text: str, config: str) -> str:
    """`text` as SQLite's FTS5 table holds it for an entry of `config`."""
    if config not in _SNOWBALL:
        return text or ""
    return " ".join(stem(word, config) for word in _WORD.findall((text or "").lower()))


def config_marker(config: str) -> str:
    """The token of the FTS5 row's configuration column."""
    return f"cfg{config}"


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

    def fts5(self, config: str = "english") -> str:
        """The term as an FTS5 string (its words as `config`'s index holds them): a word or a phrase, never an
        operator or a syntax error."""
        return '"' + " ".join(stem(word, config) for word in self.words).replace('"', '""') + '"'


@dataclass(frozen=True)
class WebSearch:
    """A query in the syntax of PostgreSQL's `websearch_to_tsquery`: groups of terms joined by "or"; every
    term of a group must occur, except the excluded (-) ones, which must not."""

    groups: tuple[tuple[Term, ...], ...]
    source: str = ""
    config: str = "english"

    @classmethod
    def parse(cls, q: str, config: str = "english") -> "WebSearch":
        """The query as `config` reads it: its stop words dropped outside phrases, as PostgreSQL does."""
        stop = stop_words(config)
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
                if not words or all(w in stop for w in words) or count == MAX_TERMS:
                    continue
                group.append(Term(words, excluded))
                count += 1
        if group:
            groups.append(tuple(group))
        return cls(tuple(groups), q, config)

    def in_config(self, config: str) -> "WebSearch":
        """The same query as another configuration reads it."""
        return self if config == self.config else WebSearch.parse(self.source, config)

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
            wanted = [term.fts5(self.config) for term in group if not term.excluded]
            if wanted:
                unwanted = [term.fts5(self.config) for term in group if term.excluded]
                expression = "(" + " AND ".join(wanted) + ")"
                parts.append(f"({expression} NOT ({' OR '.join(unwanted)}))" if unwanted else expression)
        return " OR ".join(parts)

    @property
    def fts5_exclusions(self) -> list[str]:
        """Groups made only of exclusions ("-detention"): FTS5 cannot say "every row without", SQL can."""
        return [
            " OR ".join(term.fts5(self.config) for term in group)
            for group in self.groups
            if all(term.excluded for term in group)
        ]

    def stems(self) -> set[str]:
        """The stems of the wanted words, to highlight the original text of an entry of this configuration."""
        return {stem(word, self.config) for word in self.words}


@dataclass(frozen=True)
class MultilingualSearch:
    """A query read by every configuration, as one FTS5 expression: each configuration's reading asked of the
    rows of that configuration (their `config` column holds its marker)."""

    readings: tuple[WebSearch, ...]

    @classmethod
    def of(cls, search: WebSearch) -> "MultilingualSearch":
        return cls(tuple(search.in_config(config) for config in CONFIGS))

    @staticmethod
    def _joined(parts: list[tuple[str, str]], columns: str) -> str:
        return " OR ".join(
            f'(config : "{config_marker(config)}" AND {columns} : ({expression}))' for config, expression in parts
        )

    def fts5(self, columns: str) -> str:
        """Every reading with a wanted term, limited to `columns` ("{title body}") and its own rows."""
        return self._joined([(r.config, r.fts5) for r in self.readings if r.fts5], columns)

    def fts5_exclusions(self, cols: str) -> list[str]:
        """For each group made only of exclusions, the rows that contain it in their own language."""
        groups = max((len(r.fts5_exclusions) for r in self.readings), default=0)
        return [
            self._joined([(r.config, r.fts5_exclusions[i]) for r in self.readings if i < len(r.fts5_exclusions)], cols)
            for i in range(groups)
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
        """The text columns, then `config`: the entry's configuration marker (see config_marker)."""
        return [*(field for field, _letter in self.weights), "config"]

    @property
    def _text_columns(self) -> str:
        return "{" + " ".join(field for field, _letter in self.weights) + "}"

    # ------------------------------------------------------------ reads

    def search(self, queryset, search: WebSearch, *, title_field: str, snippet_fields, marks, tokens: int):
        """The entries of `queryset` the query finds, each in its own language, with `rank` (higher is better),
        `title_headline` (the title, matches between the `marks`) and `body_headline` (about `tokens` words around
        the best match, from the first of `snippet_fields` that has one). The headlines are None for entries
        whose index holds stems: the caller highlights their original text (`highlight(..., config=...)`)."""
        multilingual = MultilingualSearch.of(search)
        expression = multilingual.fts5(self._text_columns)
        exclusions = multilingual.fts5_exclusions(self._text_columns)
        if exclusions:
            # "-detention" alone means every entry without it: SQL can say that, an FTS5 query cannot; such rare
            # queries are answered with subqueries, unranked and highlighted by the caller.
            condition = self._matches_by_subquery(queryset.model, expression, exclusions)
            return queryset.filter(condition).annotate(rank=Value(0.0))
        if not expression:  # only stop words or punctuation: nothing, as with PostgreSQL
            return queryset.none().annotate(rank=Value(0.0))
        row = F(f"{self.relation}__match")  # the FTS5 row of the entry, as auxiliary functions take it
        start, stop = marks
        stemmed = Q(language__in=STEMMED_LANGUAGES)
        return queryset.filter(**{f"{self.relation}__match": expression}).annotate(
            # ts_rank's weights (none for the configuration column); bm25 is lower for better matches.
            rank=Func(
                row,
                *(Value(RANK_OF_WEIGHT[letter]) for _field, letter in self.weights),
                Value(0.0),
                function="bm25",
                output_field=FloatField(),
            )
            * Value(-1.0),
            title_headline=Case(
                When(stemmed, then=Value(None)),
                default=self._function("highlight", row, title_field, start, stop),
                output_field=TextField(),
            ),
            body_headline=Case(
                When(stemmed, then=Value(None)),
                default=self._snippet(row, snippet_fields, start, stop, tokens),
                output_field=TextField(),
            ),
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

    def _matches_by_subquery(self, model, expression: str, exclusions: list[str]) -> Q:
        rows = model._meta.get_field(self.relation).related_model.objects
        condition = Q(pk__in=[])
        if expression:
            condition |= Q(pk__in=rows.filter(match=expression).values("pk"))
        for excluded in exclusions:
            condition |= ~Q(pk__in=rows.filter(match=excluded).values("pk"))
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
    """Copy the searched fields of these reviews' entries (all with None) into the index, replacing any row:
    French and Spanish entries as their stems, each row with its configuration's marker."""
    with connection.cursor() as cursor:
        for table in INDEXES:
            rows, params = _review_rows(table, review_ids)
            fields = [field for field, _letter in table.weights]
            cursor.execute(f"SELECT id, language, {', '.join(fields)} FROM {table.source} WHERE id IN ({rows})", params)
            values = []
            for pk, language, *texts in cursor.fetchall():
                config = search_config(language)
                values.append([pk, *(indexed_text(text, config) for text in texts), config_marker(config)])
            placeholders = ", ".join(["%s"] * (len(table.columns) + 1))
            cursor.executemany(
                f"INSERT OR REPLACE INTO {table.name} (rowid, {', '.join(table.columns)}) VALUES ({placeholders})",
                values,
            )


def sqlite_purge_orphans() -> int:
    """Remove index rows whose entry is gone (deleted with its review or report); returns how many."""
    removed = 0
    with connection.cursor() as cursor:
        for table in INDEXES:
            cursor.execute(f"DELETE FROM {table.name} WHERE rowid NOT IN (SELECT id FROM {table.source})")
            removed += cursor.rowcount
    return removed
