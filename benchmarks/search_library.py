"""Search latency of the practice library on a full-size PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/search_library.py

Creates a dedicated database (`bench_library` on the server of DATABASE_URL, dropped at the end unless
--keep), loads the reference data, writes ten review cycles with a review from each of the 32 mechanisms
(8 to 12 objectives each, text from benchmarks/sample_reviews.py), builds the library, then runs a set of
typical searches through the search view itself (filters, ranking, snippets, tab counts and the rendered
page) and prints the median and 95th percentile latency and the result count of each.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.databases import database_urls, run_admin_sql  # noqa: E402

QUERIES = [
    ("ethical recruitment", {"q": "ethical recruitment"}),
    ("ethical recruitment, objective 6", {"q": "ethical recruitment", "objective": "6"}),
    ("remittances", {"q": "remittances"}),
    ("remittances in Africa", {"q": "remittances", "region": "Africa"}),
    ("trafficking, recommendations", {"q": "trafficking", "kind": "recommendation"}),
    ("skills recognition, Prague Process", {"q": "skills recognition", "mechanism": "prague-process"}),
    ("climate displacement", {"q": "climate change displacement"}),
    ('"return and reintegration" -detention', {"q": '"return and reintegration" -detention'}),
    ("data, 2024 cycle", {"q": "data", "cycle": "2024-regional-reviews"}),
    ("reviews tab: labour migration", {"q": "labour migration", "type": "reviews"}),
    ("browse objective 6 (no words)", {"objective": "6"}),
]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--database", default="bench_library")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    admin_url, bench_url = database_urls(args.database)
    run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{args.database}"')
    run_admin_sql(admin_url, f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "iscm_portal.settings.test"
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{args.database}"')


def run(args) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from benchmarks.sample_reviews import populate
    from library import views
    from library.models import Practice, ReviewDocument
    from library.services import library_reindex_all
    from mechanisms.services import reference_data_load

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    reference_data_load()
    counts = populate(cycles=args.cycles)
    loaded = time.perf_counter()
    entries = library_reindex_all()
    indexed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Data: {counts['cycles']} cycles, {counts['reviews']} reviews, {counts['reports']} objective reports, "
        f"{entries} library entries, {ReviewDocument.objects.count()} review documents "
        f"(loaded in {loaded - started:.1f} s, library built in {indexed - loaded:.1f} s)"
    )
    print(f"PostgreSQL {connection.pg_version // 10000}, {args.repeat} runs per query, after one warm-up run\n")

    factory = RequestFactory()
    staff = User.objects.create(username="bench-iom", is_iom_staff=True)
    header = f"{'query':<40} {'who':<7} {'results':>8} {'queries':>8} {'median ms':>10} {'p95 ms':>8}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for label, params in QUERIES:
        for who, user in (("public", AnonymousUser()), ("IOM", staff)):
            view = views.search if params.get("q") else views.practice_list

            def call(view=view, params=params, user=user):
                request = factory.get("/library/search/", params)
                request.user = user
                response = view(request)
                assert response.status_code == 200, response.status_code
                return response

            call()  # warm-up
            with CaptureQueriesContext(connection) as captured:
                response = call()
            timings = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                call()
                timings.append((time.perf_counter() - start) * 1000)
            results = _result_count(response)
            median, p95 = statistics.median(timings), _percentile(timings, 0.95)
            worst = max(worst, p95)
            print(f"{label:<40} {who:<7} {results:>8} {len(captured):>8} {median:>10.1f} {p95:>8.1f}")
    print(f"\nSlowest 95th percentile: {worst:.1f} ms (whole page: search, tab counts, snippets, rendering)")
    print(f"Entries from unapproved reviews: {Practice.objects.exclude(review__status='approved').count()}")


def _result_count(response) -> int:
    import re

    html = response.content.decode()
    active = re.search(r'class="nav-link active"[^>]*>[^<]*<span[^>]*>(\d+)</span>', html)
    if active:
        return int(active.group(1))
    total = re.search(r'data-testid="result-count">(\d+)', html)
    return int(total.group(1)) if total else -1


if __name__ == "__main__":
    main()
