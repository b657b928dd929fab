"""Requests per second of the busiest pages under gunicorn on PostgreSQL, each beside a bare view of the same HTML
(and, with --baseline, each signed-in page beside itself at an earlier commit).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres CACHE_URL=rediscache://127.0.0.1:6379/7 \\
        .venv/bin/python benchmarks/load_pages.py

Prerequisites: PostgreSQL (DATABASE_URL names the server; the benchmark makes its own database,
`bench_pages`, dropped at the end unless --keep), Redis for the page cache as in production (CACHE_URL;
old entries are expired, nothing is flushed), gunicorn (a project dependency) and wrk, the load generator
(`apt-get install -y wrk` on Debian).

It loads the reference and demo data (as `make run` does), starts gunicorn (production settings on plain
HTTP, benchmarks/pages_settings.py; `--preload`, so every view is imported once before the workers fork)
and, for each page, runs wrk with a fixed number of connections (closed loop: at most that many requests in
flight) against the page and against a bare view returning the page's own HTML through the same middleware
(benchmarks/pages_urls.py), alternately, in --rounds rounds. Public pages are requested anonymously and
repeatedly, as visitors do (so from the page cache once warm); the dashboards and the objective editing page
with a signed-in demo user's session. It prints requests per second, errors, the load average after each
page, `ratio <page> <page rps / bare rps>` per page, and the in-process server time of each page
(`server_ms`, median of --samples requests through Django's test client, wall and CPU; for public pages both
from the cache and rendered live). On a machine shared with other work the wall times and rates move with
that work: compare the ratios (page and bare view measured alternately) and CPU times.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.gunicorn_load import (  # noqa: E402
    add_arguments,
    baseline_server,
    check_answers,
    demo_database,
    gunicorn,
    wrk,
)
from benchmarks.signed_in_pages import session_cookie, signed_in_clients, signed_in_pages  # noqa: E402

# Issue 18's targets for the signed-in pages: 2.5 times their throughput before the work on fast pages, which
# was about 64 requests per second for the dashboards and 40 for an editing page on the machine it was measured on.
SIGNED_IN_TARGETS = {"dashboard-secretariat": 160, "dashboard-iom": 160, "objective-edit": 100}
SPEEDUP_TARGET = 2.5
# The last commit before that work: --baseline's default, so the speed-up is measured on this machine.
BEFORE_FAST_PAGES = "4fd5239"
PUBLIC_RATIO_TARGET = 0.5


def _pages() -> list[tuple[str, str, str | None]]:
    """(name, path, username or None for anonymous) of every page measured."""
    from mechanisms.models import Mechanism
    from reviews.enums import ReviewStatus
    from reviews.models import Review

    mechanism = Mechanism.objects.get(slug="bali-process")
    approved = Review.objects.filter(status=ReviewStatus.APPROVED).order_by("pk").first()
    return [
        ("directory", "/directory/", None),
        ("directory-filtered", "/directory/?kind=RCP&region=2", None),
        ("mechanism", mechanism.get_absolute_url(), None),
        ("state", "/directory/states/IDN/", None),
        ("pledges", "/pledges/", None),
        ("pledges-dashboard", "/pledges/dashboard/", None),
        ("library-search", "/library/search/?q=migration", None),
        ("review", f"/reviews/{approved.pk}/", None),
        *signed_in_pages(),
    ]


def _clients(pages) -> dict:
    """The anonymous client and a signed-in one per user."""
    from django.test import Client

    return {None: Client(), **signed_in_clients({user for _name, _path, user in pages if user})}


def _server_times(pages, clients, samples: int) -> dict[str, tuple[tuple, tuple | None]]:
    """Median in-process time per page, wall and CPU (CPU time is less disturbed by other load on the machine),
    as served (public pages: from the cache, warm) and, for public pages, rendered live."""
    from django.test import override_settings

    def median_ms(client, path) -> tuple[float, float]:
        client.get(path)
        wall, cpu = [], []
        for _ in range(samples):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        return statistics.median(wall), statistics.median(cpu)

    times = {}
    for name, path, user in pages:
        served = median_ms(clients[user], path)
        live = None
        if user is None:
            with override_settings(PAGE_CACHE_ENABLED=False):
                live = median_ms(clients[user], path)
        times[name] = (served, live)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench_pages", rounds_help="page/bare alternations per page")
    parser.add_argument("--samples", type=int, default=50, help="in-process requests per page")
    parser.add_argument("--only", nargs="*", help="measure only these pages")
    parser.add_argument(
        "--baseline",
        nargs="?",
        const=BEFORE_FAST_PAGES,
        metavar="COMMIT",
        help=f"also serve this commit's code (default {BEFORE_FAST_PAGES}, before the work on fast pages) and "
        "measure each signed-in page against its own there, alternately: the speed-up on this machine",
    )
    args = parser.parse_args()
    pages_dir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        with demo_database(args, {"BENCH_PAGES_DIR": str(pages_dir)}) as env:
            run(args, env, pages_dir)
    finally:
        shutil.rmtree(pages_dir, ignore_errors=True)


def run(args, env, pages_dir: Path) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from iscm_portal import page_cache

    page_cache.content_changed(*page_cache.KINDS)  # entries from an earlier run are not reused
    pages = [page for page in _pages() if not args.only or page[0] in args.only]
    clients = _clients(pages)
    for name, path, user in pages:
        response = clients[user].get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        (pages_dir / f"{name}.html").write_bytes(response.content)
    times = _server_times(pages, clients, args.samples)
    print(
        f"PostgreSQL {connection.pg_version // 10000}, CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}, "
        f"gunicorn {args.workers} sync workers, wrk {args.connections} connections, "
        f"{args.rounds} x {args.duration} s per page and per bare view, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n",
        flush=True,
    )

    headers = {user: {"Cookie": session_cookie(client)} if user else {} for user, client in clients.items()}
    with gunicorn(args, env, ready_path=f"/bench/bare/{pages[0][0]}/") as base:
        failures = _measure(args, base, pages, headers, times)
        if args.baseline:
            signed_in = [page for page in pages if page[2]]
            with baseline_server(args, env, args.baseline) as (baseline_base, baseline):
                failures += _measure_speedups(args, base, signed_in, headers, baseline_base, baseline)
    print()
    for name, (served, live) in times.items():
        print(
            f"server_ms {name} {served[0]:.1f} (cpu {served[1]:.1f})"
            + (f", rendered live {live[0]:.1f} (cpu {live[1]:.1f})" if live is not None else "")
        )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nload average {load} (1, 5, 15 min) on {os.cpu_count()} cores: rates fall as other work rises")
    print("All targets met, no errors." if not failures else f"Missed or with errors: {', '.join(failures)}")


def _alternately(args, measured: tuple[str, dict], reference: tuple[str, dict]) -> tuple[float, float, int]:
    """Mean requests per second of an address and of its reference (URL, headers), measured alternately in
    --rounds rounds (the reference first in each), and the errors of both."""
    rates, reference_rates, errors = [], [], 0
    for _ in range(args.rounds):
        reference_rps, reference_errors = wrk(reference[0], args, reference[1])
        rps, own_errors = wrk(measured[0], args, measured[1])
        reference_rates.append(reference_rps)
        rates.append(rps)
        errors += reference_errors + own_errors
    return statistics.mean(rates), statistics.mean(reference_rates), errors


def _measure(args, base: str, pages, headers: dict, times: dict) -> list[str]:
    """One line per page (wrk on the page and on its bare view, alternately), then the ratios; the pages that
    missed their target or had errors."""
    header = (
        f"{'page':<22} {'who':<24} {'rps':>8} {'bare rps':>9} {'ratio':>6} {'errors':>6} {'ms served':>9} "
        f"{'ms live':>8} {'load':>5}  target"
    )
    print(header)
    print("-" * len(header))
    summary, failures = [], []
    for name, path, user in pages:
        check_answers(base, path, headers[user])
        rps, bare_rps, errors = _alternately(
            args, (base + path, headers[user]), (f"{base}/bench/bare/{name}/", headers[user])
        )
        ratio = rps / bare_rps
        served, live = times[name]
        if user is None:
            target, met = f"ratio >= {PUBLIC_RATIO_TARGET}", ratio >= PUBLIC_RATIO_TARGET
        else:
            target, met = f">= {SIGNED_IN_TARGETS[name]} rps", rps >= SIGNED_IN_TARGETS[name]
        if errors or not met:
            failures.append(name)
        live_text = f"{live[0]:8.1f}" if live is not None else f"{'-':>8}"
        print(
            f"{name:<22} {user or 'anonymous':<24} {rps:8.0f} {bare_rps:9.0f} {ratio:6.2f} {errors:6d} "
            f"{served[0]:9.1f} {live_text} {os.getloadavg()[0]:5.1f}  {target}{'' if met else ' (missed)'}",
            flush=True,
        )
        summary.append(f"ratio {name} {ratio:.2f}")
    print()
    for line in summary:
        print(line)
    return failures


def _measure_speedups(args, base: str, pages, headers: dict, baseline_base: str, baseline: dict) -> list[str]:
    """Each signed-in page against the same page served by the baseline commit, alternately (the same user,
    picked by the same rule from that commit's demo data): one line per page, then `speedup <page> <ratio>`;
    the pages under SPEEDUP_TARGET or with errors."""
    before = {name: (path, {"Cookie": baseline["cookies"][user]}) for name, path, user in baseline["pages"]}
    header = f"{'page':<22} {'rps':>8} {args.baseline + ' rps':>14} {'speed-up':>8} {'errors':>6} {'load':>5}  target"
    print(f"\nThe signed-in pages against the same pages at {args.baseline}, on this machine\n\n{header}")
    print("-" * len(header))
    summary, failures = [], []
    for name, path, user in pages:
        before_path, before_headers = before[name]
        check_answers(baseline_base, before_path, before_headers)
        rps, before_rps, errors = _alternately(
            args, (base + path, headers[user]), (baseline_base + before_path, before_headers)
        )
        speedup = rps / before_rps
        met = speedup >= SPEEDUP_TARGET
        if errors or not met:
            failures.append(f"{name} (speed-up)")
        print(
            f"{name:<22} {rps:8.0f} {before_rps:14.0f} {speedup:8.2f} {errors:6d} {os.getloadavg()[0]:5.1f}  "
            f">= {SPEEDUP_TARGET}{'' if met else ' (missed)'}",
            flush=True,
        )
        summary.append(f"speedup {name} {speedup:.2f}")
    print()
    for line in summary:
        print(line)
    return failures


if __name__ == "__main__":
    main()
