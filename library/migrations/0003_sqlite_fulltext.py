"""FTS5 tables for the library search on SQLite, filled from the entries already built (see library/fulltext.py).

PostgreSQL searches the search_vector columns instead, so nothing happens there. The SQL is written out here
rather than taken from fulltext.py so that this migration stays what it was when later code changes.
"""

import django.db.models.deletion
from django.db import migrations, models

TOKENIZER = "porter unicode61 remove_diacritics 2"
TABLES = [
    ("library_practice_fts", "library_practice", ["title", "body", "context_text"]),
    ("library_reviewdocument_fts", "library_reviewdocument", ["summary", "body", "title", "context_text"]),
]


def create_tables(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA compile_options")
        options = {row[0] for row in cursor.fetchall()}
    if "ENABLE_FTS5" not in options:
        raise RuntimeError(
            "This Python's SQLite has no FTS5 full-text search, which the practice library needs. "
            "Use a Python built with a standard SQLite, or PostgreSQL (DATABASE_URL=postgres://...)."
        )
    for name, source, columns in TABLES:
        schema_editor.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({', '.join(columns)}, tokenize='{TOKENIZER}')")
        schema_editor.execute(
            f"INSERT INTO {name} (rowid, {', '.join(columns)}) SELECT id, {', '.join(columns)} FROM {source}"
        )


def drop_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, _source, _columns in TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_indexes")]

    operations = [
        migrations.RunPython(create_tables, drop_tables, elidable=False),
        # The models searches join through; Django does not manage their tables (created above on SQLite only).
        migrations.CreateModel(
            name="PracticeSearchRow",
            fields=[
                (
                    "practice",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts_row",
                        serialize=False,
                        to="library.practice",
                    ),
                ),
                ("match", models.TextField(db_column="library_practice_fts")),
            ],
            options={"db_table": "library_practice_fts", "managed": False},
        ),
        migrations.CreateModel(
            name="ReviewDocumentSearchRow",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts_row",
                        serialize=False,
                        to="library.reviewdocument",
                    ),
                ),
                ("match", models.TextField(db_column="library_reviewdocument_fts")),
            ],
            options={"db_table": "library_reviewdocument_fts", "managed": False},
        ),
    ]
