"""Real Celery for a test: point the test process's app at a broker, start a worker process on it."""

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from django.db import connection

from iscm_portal.celery import app

KEYS = (
    "task_always_eager",
    "broker_url",
    "broker_read_url",
    "broker_write_url",
    "broker_transport_options",
    "result_backend",
    "task_default_queue",
)


def _forget_connections():
    """Drop the broker pool and result backend the app may have cached under the previous configuration."""
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    # Not closed: kombu keeps pools in a global registry that other tests' workers reuse.
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def celery_configured(**conf):
    """Tasks go to the broker in `conf` inside the block."""
    previous = {key: app.conf[key] for key in KEYS}
    if "broker_url" in conf:
        # Celery prefers a CELERY_BROKER_URL in the environment to broker_url, not to these two.
        conf |= {"broker_read_url": conf["broker_url"], "broker_write_url": conf["broker_url"]}
    app.conf.update(**conf)
    _forget_connections()
    try:
        yield app
    finally:
        app.conf.update(previous)
        _forget_connections()


def local_settings_env(broker_dir) -> dict:
    """The environment of `make run` with no broker configured, its embedded broker kept in `broker_dir`."""
    unset = ("CELERY_BROKER_URL", "REDIS_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_ALWAYS_EAGER")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    return env | {"DJANGO_SETTINGS_MODULE": "iscm_portal.settings.local", "LOCAL_BROKER_DIR": str(broker_dir)}


def local_settings_celery_conf(broker_dir) -> dict:
    """What the local settings tell Celery, read in a fresh process as `make run` would."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); print(json.dumps({"
        "'broker_url': settings.CELERY_BROKER_URL,"
        "'broker_transport_options': getattr(settings, 'CELERY_BROKER_TRANSPORT_OPTIONS', {}),"
        "'result_backend': settings.CELERY_RESULT_BACKEND,"
        "'task_always_eager': settings.CELERY_TASK_ALWAYS_EAGER}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=local_settings_env(broker_dir), capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def require_postgresql():
    """A worker process must share the test database; an in-memory SQLite one cannot be shared."""
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("needs DATABASE_URL on PostgreSQL")
        pytest.skip("needs DATABASE_URL on PostgreSQL")


def shared_database_url() -> str:
    """The test database's URL, for a worker process's DATABASE_URL."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def worker_process(arguments: list[str], env: dict, *, queue: str | None = None):
    """A `celery worker` process, yielded once it answers a ping sent by the app as configured now."""
    command = [sys.executable, "-m", "celery", "-A", "iscm_portal", "worker", *arguments, "-l", "warning"]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if worker.poll() is not None:
                pytest.fail(f"worker exited early:\n{worker.stdout.read().decode()}")
            try:
                if app.send_task("iscm_portal.ping", queue=queue).get(timeout=5) == "pong":
                    break
            except Exception:
                if time.monotonic() > deadline:
                    worker.terminate()
                    pytest.fail(f"worker did not answer a ping:\n{worker.communicate(timeout=30)[0].decode()}")
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
