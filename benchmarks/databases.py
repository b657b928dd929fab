"""The PostgreSQL databases the benchmarks create for themselves and drop afterwards."""

import os
import sys
from urllib.parse import urlparse, urlunparse


def database_urls(name: str) -> tuple[str, str]:
    """The maintenance database's address and the benchmark database's, both from DATABASE_URL."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    return urlunparse(parsed._replace(path="/postgres")), urlunparse(parsed._replace(path=f"/{name}"))


def run_admin_sql(url: str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE and DROP DATABASE need that)."""
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()
