"""PostgreSQL restarted under light traffic: gunicorn answers 503 (never 500) while it is down and serves
pages again by itself once it is back, on its persistent connections."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from .instances import free_port, postgres_instance, wait_for

pytestmark = pytest.mark.fault

PAGES = ("/directory/", "/fr/directory/")


OUTAGE_PAGES: list[str] = []


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        if error.code == 503:
            OUTAGE_PAGES.append(f"{error.headers['Retry-After']} {error.read().decode()}")
        return error.code
    except OSError:
        return 0  # no answer at all


def _manage(env: dict, *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
        timeout=600,
    )


def test_portal_answers_503_while_the_database_restarts_and_recovers_by_itself(tmp_path):
    with postgres_instance() as postgres:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "-c", "CREATE DATABASE portal"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.test",
            "DATABASE_URL": postgres.url("portal"),
            "DATABASE_CONN_MAX_AGE": "60",  # persistent connections, as in production
            "CELERY_BROKER_URL": "",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PYTHONPATH": str(settings.BASE_DIR),
        }
        _manage(env, "migrate", "--noinput")
        log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "iscm_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        seen: list[tuple[str, int]] = []

        def traffic(phase: str) -> list[int]:
            codes = [_status(base + page) for page in PAGES]
            seen.extend((phase, code) for code in codes)
            return codes

        try:
            wait_for(lambda: traffic("before") == [200, 200], timeout=60, what="gunicorn to serve pages")
            postgres.stop()
            wait_for(lambda: traffic("down") == [503, 503], timeout=30, what="503 pages while the database is down")
            for _ in range(10):  # light traffic while it stays down
                traffic("down")
                time.sleep(0.1)
            postgres.start()
            restarted = time.monotonic()
            wait_for(lambda: traffic("after") == [200, 200], timeout=60, what="pages once the database is back")
            recovered_in = time.monotonic() - restarted
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()

    server_log = Path(tmp_path / "gunicorn.log").read_text(errors="replace")
    assert {code for phase, code in seen if phase == "down"} == {503}, server_log[-3000:]
    assert 500 not in {code for _phase, code in seen}
    assert OUTAGE_PAGES, server_log[-3000:]
    assert all(page.startswith("60 <!doctype html>") and "Traceback" not in page for page in OUTAGE_PAGES)
    assert any("The portal cannot reach its database just now." in page for page in OUTAGE_PAGES)
    assert any("Le portail ne peut pas joindre sa base de données" in page for page in OUTAGE_PAGES)
    assert recovered_in < 60
