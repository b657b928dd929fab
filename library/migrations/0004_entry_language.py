"""Library entries record their review's language and are indexed with its text-search configuration.

Existing entries take their review's language; French and Spanish entries are then reindexed (English ones keep
the vectors they had). On PostgreSQL their search vectors are rebuilt with the `french` or `spanish`
configuration; on SQLite the FTS5 tables gain the `config` column and are refilled, French and Spanish text as
Snowball stems (see library/fulltext.py). As with 0003, the SQL is written out here so this migration stays
what it is when later code changes; `manage.py rebuild_library` rebuilds everything from the reviews anyway.
"""

import re

import snowballstemmer
from django.db import migrations, models

CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}
SNOWBALL = {"french", "spanish"}
TOKENIZER = "porter unicode61 remove_diacritics 2"
WORD = re.compile(r"[^\W_]+")
# (FTS5 table, source table, {field: weight letter})
TABLES = [
    ("library_practice_fts", "library_practice", {"title": "A", "body": "B", "context_text": "C"}),
    (
        "library_reviewdocument_fts",
        "library_reviewdocument",
        {"summary": "A", "body": "B", "title": "C", "context_text": "C"},
    ),
]


def copy_review_languages(apps, schema_editor):
    for _fts, source, _weights in TABLES:
        schema_editor.execute(
            f"UPDATE {source} SET language = "
            f"(SELECT reviews_review.language FROM reviews_review WHERE reviews_review.id = {source}.review_id)"
        )


def _postgresql_vectors(schema_editor):
    for _fts, source, weights in TABLES:
        for language, config in CONFIGS.items():
            if config == "english":
                continue  # unchanged
            vector = " || ".join(
                f"setweight(to_tsvector('{config}'::regconfig, COALESCE({field}, '')), '{letter}')"
                for field, letter in weights.items()
            )
            schema_editor.execute(f"UPDATE {source} SET search_vector = {vector} WHERE language = '{language}'")
        others = ", ".join(f"'{language}'" for language in CONFIGS)
        vector = " || ".join(
            f"setweight(to_tsvector('simple'::regconfig, COALESCE({field}, '')), '{letter}')"
            for field, letter in weights.items()
        )
        schema_editor.execute(f"UPDATE {source} SET search_vector = {vector} WHERE language NOT IN ({others})")


def _indexed(text, config):
    if config not in SNOWBALL:
        return text or ""
    stemmer = snowballstemmer.stemmer(config)
    return " ".join(stemmer.stemWord(word) for word in WORD.findall((text or "").lower()))


def _sqlite_tables(schema_editor):
    connection = schema_editor.connection
    for name, source, weights in TABLES:
        fields = list(weights)
        schema_editor.execute(f"DROP TABLE IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {name} USING fts5({', '.join(fields)}, config, tokenize='{TOKENIZER}')"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, language, {', '.join(fields)} FROM {source}")
            rows = []
            for pk, language, *texts in cursor.fetchall():
                config = CONFIGS.get(language, "simple")
                rows.append([pk, *(_indexed(text, config) for text in texts), f"cfg{config}"])
            placeholders = ", ".join(["%s"] * (len(fields) + 2))
            cursor.executemany(
                f"INSERT INTO {name} (rowid, {', '.join(fields)}, config) VALUES ({placeholders})", rows
            )


def reindex(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _postgresql_vectors(schema_editor)
    elif vendor == "sqlite":
        _sqlite_tables(schema_editor)


def back_to_english_tables(apps, schema_editor):
    """Undo on SQLite: the FTS5 tables of migration 0003 (English only), refilled from the entries."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, source, weights in TABLES:
        columns = ", ".join(weights)
        schema_editor.execute(f"DROP TABLE IF EXISTS {name}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({columns}, tokenize='{TOKENIZER}')")
        schema_editor.execute(f"INSERT INTO {name} (rowid, {columns}) SELECT id, {columns} FROM {source}")


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_sqlite_fulltext"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="practice",
            name="language",
            field=models.CharField(default="en", max_length=5, verbose_name="language"),
        ),
        migrations.AddField(
            model_name="reviewdocument",
            name="language",
            field=models.CharField(default="en", max_length=5, verbose_name="language"),
        ),
        migrations.RunPython(copy_review_languages, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(reindex, back_to_english_tables, elidable=False),
    ]
