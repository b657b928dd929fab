"""Requests per second of the API's list endpoints against the same lists served as HTML pages, under gunicorn
on PostgreSQL with the demo data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres CACHE_URL=rediscache://127.0.0.1:6379/7 \\
        .venv/bin/python benchmarks/api_pages.py

Prerequisites as for benchmarks/load_pages.py: PostgreSQL (the benchmark makes its own database, `bench_api`,
dropped at the end unless --keep), Redis for the cache as in production (CACHE_URL), gunicorn and wrk.

Each pair is one list with the same data and the same page size: the directory (20 mechanisms), the pledges
(25), the practice library's search for "migration" (20 practices), each also filtered. Every pair is measured
twice, alternately API and page, in --rounds rounds:

- as a visitor (anonymous, answered from the page cache once warm, as in production), and
- as a signed-in focal point (`focal.ghana`, rendered live: the page with its session cookie, the API with a
  personal token of the same user).

It prints requests per second of each, `ratio <pair> <who> <API rps / page rps>` (the target is at least 1:
the API answers at least as many requests as the page), errors (non-2xx answers, socket errors) and the load
average before and after, since on a shared machine the rates move with other work; the ratios, measured
alternately, move less. The API's rate limits are lifted for the run (API_RATE_LIMIT_*).
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.gunicorn_load import add_arguments, check_answers, demo_database, gunicorn, wrk  # noqa: E402
from benchmarks.signed_in_pages import session_cookie  # noqa: E402

RATIO_TARGET = 1.0
# (name, API path, page path): the same rows, in the same order and page size.
PAIRS = [
    ("mechanisms", "/api/v1/mechanisms/?page_size=20", "/directory/"),
    ("mechanisms-filtered", "/api/v1/mechanisms/?kind=RCP&page_size=20", "/directory/?kind=RCP"),
    ("pledges", "/api/v1/pledges/?page_size=25", "/pledges/"),
    ("pledges-filtered", "/api/v1/pledges/?objective=6&page_size=25", "/pledges/?objective=6"),
    ("library-search", "/api/v1/library/practices/?q=migration&page_size=20", "/library/search/?q=migration"),
]
FOCAL_POINT = "focal.ghana"


def _signed_in() -> tuple[str, str]:
    """The focal point's session cookie (for the pages) and a personal API token (for the API)."""
    from django.test import Client

    from accounts.enums import TokenScope
    from accounts.models import User
    from accounts.services import api_token_create

    user = User.objects.get(username=FOCAL_POINT)
    client = Client()
    client.force_login(user)
    _token, secret = api_token_create(user=user, name="benchmark", scope=TokenScope.READ)
    return session_cookie(client), secret


def run(args, env) -> list[str]:
    import django

    django.setup()
    from django.db import connection

    from iscm_portal import page_cache

    page_cache.content_changed(*page_cache.KINDS)  # entries from an earlier run are not reused
    cookie, token = _signed_in()
    pairs = [pair for pair in PAIRS if not args.only or pair[0] in args.only]
    load_before = os.getloadavg()
    print(
        f"PostgreSQL {connection.pg_version // 10000}, gunicorn {args.workers} sync workers, wrk {args.connections} "
        f"connections, {args.rounds} x {args.duration} s per list and caller; load average "
        f"{load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f} on {os.cpu_count()} cores\n",
        flush=True,
    )
    with gunicorn(args, env, ready_path=pairs[0][2]) as base:
        header = f"{'list':<20} {'who':<12} {'API rps':>8} {'page rps':>9} {'ratio':>6} {'errors':>6}"
        print(header)
        print("-" * len(header))
        summary, failures = [], []
        callers = [("visitor", {}, {}), ("focal point", {"Cookie": cookie}, {"Authorization": f"Bearer {token}"})]
        for name, api_path, page_path in pairs:
            for who, page_headers, api_headers in callers:
                check_answers(base, page_path, page_headers)
                check_answers(base, api_path, api_headers)
                api_rates, page_rates, errors = [], [], 0
                for _ in range(args.rounds):
                    page_rps, page_errors = wrk(base + page_path, args, page_headers)
                    api_rps, api_errors = wrk(base + api_path, args, api_headers)
                    page_rates.append(page_rps)
                    api_rates.append(api_rps)
                    errors += page_errors + api_errors
                api_rps, page_rps = statistics.mean(api_rates), statistics.mean(page_rates)
                ratio = api_rps / page_rps
                if errors or ratio < RATIO_TARGET:
                    failures.append(f"{name} ({who})")
                print(f"{name:<20} {who:<12} {api_rps:8.0f} {page_rps:9.0f} {ratio:6.2f} {errors:6d}", flush=True)
                summary.append(f"ratio {name} {who.replace(' ', '-')} {ratio:.2f}")
    load_after = os.getloadavg()
    print()
    for line in summary:
        print(line)
    print(f"load average after: {load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench_api", rounds_help="API/page alternations per list and caller")
    parser.add_argument("--only", nargs="*", help="measure only these lists")
    args = parser.parse_args()
    # The benchmark is one address and one token asking as fast as it can: lift the limits for it.
    limits = {"API_RATE_LIMIT_ADDRESS": "100000000/minute", "API_RATE_LIMIT_TOKEN": "100000000/minute"}
    with demo_database(args, limits) as env:
        failures = run(args, env)
    if failures:
        sys.exit("Below the target (API rps >= page rps) or with errors: " + ", ".join(failures))


if __name__ == "__main__":
    main()
