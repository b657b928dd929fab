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
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.databases import database_urls, run_admin_sql  # noqa: E402
from benchmarks.load_pages import _demo_data, _wait_for, _wrk  # noqa: E402

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
    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
    _token, secret = api_token_create(user=user, name="benchmark", scope=TokenScope.READ)
    return cookie, secret


def _check(base: str, path: str, headers: dict) -> None:
    import urllib.request

    request = urllib.request.Request(base + path, headers=headers)
    with urllib.request.urlopen(request) as response:  # warms the page cache; a redirect would show here
        assert response.status == 200 and response.url == base + path, (path, response.status, response.url)


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
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "iscm_portal.wsgi:application", "--workers", str(args.workers),
            "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "benchmarks.pages_settings"},
    )  # fmt: skip
    try:
        _wait_for(base + pairs[0][2])
        header = f"{'list':<20} {'who':<12} {'API rps':>8} {'page rps':>9} {'ratio':>6} {'errors':>6}"
        print(header)
        print("-" * len(header))
        summary, failures = [], []
        callers = [("visitor", {}, {}), ("focal point", {"Cookie": cookie}, {"Authorization": f"Bearer {token}"})]
        for name, api_path, page_path in pairs:
            for who, page_headers, api_headers in callers:
                _check(base, page_path, page_headers)
                _check(base, api_path, api_headers)
                api_rates, page_rates, errors = [], [], 0
                for _ in range(args.rounds):
                    page_rps, page_errors = _wrk(base + page_path, None, args, headers=page_headers)
                    api_rps, api_errors = _wrk(base + api_path, None, args, headers=api_headers)
                    page_rates.append(page_rps)
                    api_rates.append(api_rps)
                    errors += page_errors + api_errors
                api_rps, page_rps = statistics.mean(api_rates), statistics.mean(page_rates)
                ratio = api_rps / page_rps
                if errors or ratio < RATIO_TARGET:
                    failures.append(f"{name} ({who})")
                print(f"{name:<20} {who:<12} {api_rps:8.0f} {page_rps:9.0f} {ratio:6.2f} {errors:6d}", flush=True)
                summary.append(f"ratio {name} {who.replace(' ', '-')} {ratio:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()
    print()
    for line in summary:
        print(line)
    print(f"load average after: {load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bench_api")
    parser.add_argument("--reuse", action="store_true", help="keep its data (demo data loaded), only migrate")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="API/page alternations per list and caller")
    parser.add_argument("--only", nargs="*", help="measure only these lists")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("The benchmark needs wrk: apt-get install -y wrk")
    if not os.environ.get("CACHE_URL", "").startswith("rediscache://"):
        sys.exit("Set CACHE_URL=rediscache://host:6379/<db> (the page cache is Redis in production)")
    admin_url, bench_url = database_urls(args.database)
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_URL": "consolemail://",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "iscm-bench-static"),
        # The benchmark is one address and one token asking as fast as it can: lift the limits for it.
        "API_RATE_LIMIT_ADDRESS": "100000000/minute",
        "API_RATE_LIMIT_TOKEN": "100000000/minute",
    }
    if not args.reuse:
        run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{args.database}"')
        run_admin_sql(admin_url, f'CREATE DATABASE "{args.database}"')
        print("Loading the reference and demo data...", flush=True)
    _demo_data(env, migrate_only=args.reuse)
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "benchmarks.pages_settings"})
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=os.environ, check=True
    )
    try:
        failures = run(args, env)
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):
            run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{args.database}"')
    if failures:
        sys.exit("Below the target (API rps >= page rps) or with errors: " + ", ".join(failures))


if __name__ == "__main__":
    main()
