"""What the load benchmarks share (load_pages.py, api_pages.py): their options, a PostgreSQL database with the
reference and demo data, gunicorn with production settings on plain HTTP, and wrk runs against it."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.databases import database_urls, run_admin_sql

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "benchmarks.pages_settings"


def add_arguments(parser, *, database: str, rounds_help: str) -> None:
    parser.add_argument("--database", default=database)
    parser.add_argument("--reuse", action="store_true", help="keep its data (demo data loaded), only migrate")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help=rounds_help)


def _demo_data(env: dict, *, migrate_only: bool = False, root: Path = ROOT) -> None:
    """Migrate and load the reference and demo data with the code in `root`, as `make run` does (seed_demo needs
    DEBUG)."""
    setup_env = {**env, "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.local", "DEBUG": "true"}
    setup_env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    commands = [["migrate", "--noinput"]] + ([] if migrate_only else [["load_reference_data"], ["seed_demo"]])
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=root, env=setup_env, check=True, capture_output=True
        )


@contextmanager
def demo_database(args, extra_env: dict) -> Iterator[dict]:
    """The benchmark's own database with the demo data, and the environment of its server (also set in this
    process, with the benchmark settings, for the in-process measurements); dropped afterwards unless --keep or
    --reuse."""
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
        **extra_env,
    }
    if not args.reuse:
        run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{args.database}"')
        run_admin_sql(admin_url, f'CREATE DATABASE "{args.database}"')
        print("Loading the reference and demo data...", flush=True)
    _demo_data(env, migrate_only=args.reuse)
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": SETTINGS})
    # Production's static files storage needs its manifest, as after a deploy.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=os.environ, check=True
    )
    try:
        yield env
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):
            run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{args.database}"')


@contextmanager
def gunicorn(args, env: dict, *, ready_path: str, root: Path = ROOT, port: int | None = None) -> Iterator[str]:
    """gunicorn serving the code in `root` on `port` (default --port, or a free one) with `--preload` (every view
    imported once before the workers fork), answering `ready_path`; yields its base address and stops it
    afterwards."""
    if port is None and not args.port:
        args.port = _free_port()
    port = port or args.port
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "iscm_portal.wsgi:application", "--workers", str(args.workers),
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--preload",
        ],
        cwd=root,
        env={"DJANGO_SETTINGS_MODULE": SETTINGS, **env},
    )  # fmt: skip
    try:
        _wait_for(base + ready_path)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def baseline_server(args, env: dict, revision: str) -> Iterator[tuple[str, dict]]:
    """An earlier commit's portal under gunicorn, as `gunicorn` serves today's: that commit's code (`git archive`
    into a temporary directory), its own database with its own reference and demo data, the same production
    settings on plain HTTP (benchmarks/pages_settings.py, copied beside it) and a Redis database of its own.
    Yields its base address and what benchmarks/signed_in_pages.py prints there (its pages and session
    cookies); drops the database and the directory afterwards."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    code = scratch / "code"
    code.mkdir()
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    (code / "node_modules").symlink_to(ROOT / "node_modules")  # its vendored assets (Bootstrap, htmx...)
    shutil.copy(ROOT / "benchmarks" / "pages_settings.py", scratch / "baseline_settings.py")
    database = f"{args.database}_baseline"
    admin_url, url = database_urls(database)
    cache_url, _, cache_db = env["CACHE_URL"].rpartition("/")
    baseline_env = {
        key: value for key, value in env.items() if key not in ("BENCH_PAGES_DIR", "DJANGO_SETTINGS_MODULE")
    }
    baseline_env.update(
        DATABASE_URL=url,
        CACHE_URL=f"{cache_url}/{int(cache_db or 0) + 1}",
        PYTHONPATH=f"{scratch}{os.pathsep}{code}",
        STATIC_ROOT=str(scratch / "static"),
    )
    run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{database}"')
    run_admin_sql(admin_url, f'CREATE DATABASE "{database}"')
    try:
        print(f"Loading {revision}'s reference and demo data...", flush=True)
        _demo_data(baseline_env, root=code)
        baseline_env["DJANGO_SETTINGS_MODULE"] = "baseline_settings"
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=code, env=baseline_env, check=True
        )
        found = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "signed_in_pages.py")],
            cwd=code, env=baseline_env, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        pages = json.loads(found.splitlines()[-1])
        with gunicorn(args, baseline_env, ready_path="/directory/", root=code, port=_free_port()) as base:
            yield base, pages
    finally:
        run_admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{database}"')
        shutil.rmtree(scratch, ignore_errors=True)


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


def check_answers(base: str, path: str, headers: dict) -> None:
    """One request (it warms the page cache): a redirect or an error would show here, not as a fast rate."""
    request = urllib.request.Request(base + path, headers=headers)
    with urllib.request.urlopen(request) as response:
        assert response.status == 200 and response.url == base + path, (path, response.status, response.url)


_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def wrk(url: str, args, headers: dict | None = None) -> tuple[float, int]:
    """Requests per second and errors (non-2xx/3xx answers, socket errors) of one wrk run."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    errors = sum(int(n) for n in _NON_2XX.findall(output))
    for match in _SOCKET.findall(output):
        errors += sum(int(n) for n in match)
    return float(_RPS.search(output).group(1)), errors
