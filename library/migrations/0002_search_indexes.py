"""GIN indexes on the search vectors, on PostgreSQL only (SQLite searches the plain columns).

They are created with SQL rather than declared in Meta.indexes so that the same migrations run on SQLite.
"""

from django.db import migrations

INDEXES = [
    ("library_practice_search_gin", "library_practice"),
    ("library_reviewdocument_search_gin", "library_reviewdocument"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_vector)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
