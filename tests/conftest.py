"""Fixtures shared by the whole suite: reference data, users of every role, a real Celery worker."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection

from mechanisms.models import Mechanism
from mechanisms.services import reference_data_load
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference data once; tests that flush the database reload it through `reference_data`."""
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def reference_data(db):
    if not Mechanism.objects.exists():
        reference_data_load()


@pytest.fixture
def bali(reference_data):
    return Mechanism.objects.get(slug="bali-process")


@pytest.fixture
def midwa(reference_data):
    return Mechanism.objects.get(slug="midwa")


@pytest.fixture
def iom_user(db):
    return UserFactory(username="iom", is_iom_staff=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def bali_secretariat(bali):
    return UserFactory(username="bali-sec", secretariat_mechanisms=[bali])


@pytest.fixture
def midwa_secretariat(midwa):
    return UserFactory(username="midwa-sec", secretariat_mechanisms=[midwa])


@pytest.fixture
def indonesia_focal_point(reference_data):
    from mechanisms.models import State

    return UserFactory(username="idn-focal", focal_point_state=State.objects.get(iso3="IDN"))


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real `celery worker` process on the configured broker, reading the test database.

    Needs CELERY_BROKER_URL (Redis) and PostgreSQL: an in-memory SQLite test database
    cannot be shared with another process.
    """
    from iscm_portal.celery import app

    broker = os.environ.get("CELERY_BROKER_URL")
    missing = []
    if not broker:
        missing.append("CELERY_BROKER_URL")
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL on PostgreSQL")
    if missing:
        message = f"needs {' and '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "iscm_portal",
        "worker",
        "--pool=solo",
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "warning",
    ]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    previous = (app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url, app.conf.result_backend)
    app.conf.update(task_always_eager=False, task_default_queue=queue, broker_url=broker, result_backend=broker)
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
                    raise
        yield worker
    finally:
        app.conf.update(
            task_always_eager=previous[0],
            task_default_queue=previous[1],
            broker_url=previous[2],
            result_backend=previous[3],
        )
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
