"""Requests per second of the busiest pages under gunicorn on PostgreSQL, each beside a bare view of the same HTML.

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
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.databases import database_urls, run_admin_sql  # noqa: E402

# Throughput of these pages before the page cache (issue 18: gunicorn, 3 workers, wrk at 16 connections).
SIGNED_IN_TARGETS = {"dashboard-secretariat": 160, "dashboard-iom": 160, "objective-edit": 100}
PUBLIC_RATIO_TARGET = 0.5


def _demo_data(env: dict, *, migrate_only: bool = False) -> None:
    """Migrate and load the reference and demo data, as `make run` does (seed_demo needs DEBUG)."""
    setup_env = {**env, "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.local", "DEBUG": "true"}
    setup_env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    commands = [["migrate", "--noinput"]] + ([] if migrate_only else [["load_reference_data"], ["seed_demo"]])
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=setup_env, check=True, capture_output=True
        )


def _pages() -> list[tuple[str, str, str | None]]:
    """(name, path, username or None for anonymous) of every page measured."""
    from django.contrib.auth import get_user_model

    from mechanisms.models import Mechanism
    from reviews.enums import ReviewStatus
    from reviews.models import Review

    mechanism = Mechanism.objects.get(slug="bali-process")
    approved = Review.objects.filter(status=ReviewStatus.APPROVED).order_by("pk").first()
    users = get_user_model().objects
    secretariat, editable = next(
        (user, review)
        for user in users.filter(username__startswith="secretariat.").order_by("username")
        for review in Review.objects.filter(mechanism__in=user.secretariat_mechanisms.all()).order_by("pk")
        if user.has_perm("reviews.change_review", review)
    )
    iom = users.get(username="iom.reviewer")
    return [
        ("directory", "/directory/", None),
        ("directory-filtered", "/directory/?kind=RCP&region=2", None),
        ("mechanism", mechanism.get_absolute_url(), None),
        ("state", "/directory/states/IDN/", None),
        ("pledges", "/pledges/", None),
        ("pledges-dashboard", "/pledges/dashboard/", None),
        ("library-search", "/library/search/?q=migration", None),
        ("review", f"/reviews/{approved.pk}/", None),
        ("dashboard-secretariat", "/reviews/", secretariat.username),
        ("dashboard-iom", "/reviews/iom/", iom.username),
        ("objective-edit", f"/reviews/{editable.pk}/objectives/6/", secretariat.username),
    ]


def _clients(pages) -> dict:
    """A signed-in test client per user (its session is in the benchmark's database, so gunicorn accepts it)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    clients = {None: Client()}
    for username in {user for _name, _path, user in pages if user}:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        clients[username] = client
    return clients


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


def _wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} within {timeout} s")


_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def _wrk(url: str, cookie: str | None, args, headers: dict | None = None) -> tuple[float, int]:
    """Requests per second and errors (non-2xx/3xx answers, socket errors) of one wrk run."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    errors = sum(int(n) for n in _NON_2XX.findall(output))
    for match in _SOCKET.findall(output):
        errors += sum(int(n) for n in match)
    return float(_RPS.search(output).group(1)), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bench_pages")
    parser.add_argument("--reuse", action="store_true", help="keep its data (demo data loaded), only migrate")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="page/bare alternations per page")
    parser.add_argument("--samples", type=int, default=50, help="in-process requests per page")
    parser.add_argument("--only", nargs="*", help="measure only these pages")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("The benchmark needs wrk: apt-get install -y wrk")
    if not os.environ.get("CACHE_URL", "").startswith("rediscache://"):
        sys.exit("Set CACHE_URL=rediscache://host:6379/<db> (the page cache is Redis in production)")

    admin_url, bench_url = database_urls(args.database)
    pages_dir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_URL": "consolemail://",
        "BENCH_PAGES_DIR": str(pages_dir),
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "iscm-bench-static"),
    }
    if not args.reuse:
        run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{args.database}"')
        run_admin_sql(admin_url, f'CREATE DATABASE "{args.database}"')
        print("Loading the reference and demo data...", flush=True)
    _demo_data(env, migrate_only=args.reuse)
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "benchmarks.pages_settings"})
    # Production's static files storage needs its manifest, as after a deploy.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=os.environ, check=True
    )
    servers: list[subprocess.Popen] = []
    try:
        run(args, env, pages_dir, servers)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        shutil.rmtree(pages_dir, ignore_errors=True)
        if not (args.keep or args.reuse):
            run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{args.database}"')


def run(args, env, pages_dir: Path, servers: list) -> None:
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

    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "iscm_portal.wsgi:application", "--workers", str(args.workers),
            "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning", "--preload",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "benchmarks.pages_settings"},
    )  # fmt: skip
    servers.append(server)
    _wait_for(f"{base}/bench/bare/{pages[0][0]}/")
    cookies = {
        user: "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
        for user, client in clients.items()
        if user
    }
    header = (
        f"{'page':<22} {'who':<24} {'rps':>8} {'bare rps':>9} {'ratio':>6} {'errors':>6} {'ms served':>9} "
        f"{'ms live':>8} {'load':>5}  target"
    )
    print(header)
    print("-" * len(header))
    summary, failures = [], []
    for name, path, user in pages:
        cookie = cookies.get(user)
        request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(request) as response:  # warms the page cache; a redirect would show here
            assert response.status == 200 and response.url == base + path, (name, response.status, response.url)
        rates, bare_rates, errors = [], [], 0
        for _ in range(args.rounds):
            bare_rps, bare_errors = _wrk(f"{base}/bench/bare/{name}/", cookie, args)
            rps, page_errors = _wrk(base + path, cookie, args)
            bare_rates.append(bare_rps)
            rates.append(rps)
            errors += bare_errors + page_errors
        rps, bare_rps = statistics.mean(rates), statistics.mean(bare_rates)
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
    for name, (served, live) in times.items():
        print(
            f"server_ms {name} {served[0]:.1f} (cpu {served[1]:.1f})"
            + (f", rendered live {live[0]:.1f} (cpu {live[1]:.1f})" if live is not None else "")
        )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nload average {load} (1, 5, 15 min) on {os.cpu_count()} cores: rates fall as other work rises")
    print("All targets met, no errors." if not failures else f"Missed or with errors: {', '.join(failures)}")


if __name__ == "__main__":
    main()
