"""Fixtures shared by the whole suite: reference data, users of every role, a real Celery worker."""

import os
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from mechanisms.models import Mechanism
from mechanisms.services import reference_data_load
from tests.celery_app import celery_configured, require_postgresql, shared_database_url, worker_process
from tests.factories import UserFactory


def pytest_collection_modifyitems(config, items):
    """Fault tests stop and start processes: they run only when asked for (`pytest -m fault`), on their own."""
    if "fault" in (config.option.markexpr or ""):
        return
    kept = [item for item in items if item.get_closest_marker("fault") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("fault")])
        items[:] = kept


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Every test starts and ends in English: a request in French activates French for the rest of the thread
    (as in a worker thread between requests), which would otherwise leak into the next test's non-request code."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        if os.environ.get("CI"):
            pytest.fail("needs CELERY_BROKER_URL")
        pytest.skip("needs CELERY_BROKER_URL")
    require_postgresql()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.test",
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    arguments = ["--pool=solo", "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"]
    conf = {"task_always_eager": False, "task_default_queue": queue, "broker_url": broker, "result_backend": broker}
    with celery_configured(**conf), worker_process(arguments, env, queue=queue) as worker:
        yield worker


@pytest.fixture
def redis_url() -> str:
    """The Redis server the suite runs beside (CELERY_BROKER_URL's), for tests of the Redis cache as production
    runs it; keys the tests write there carry a prefix of their own."""
    server = os.environ.get("CELERY_BROKER_URL", "")
    if not server.startswith("redis://"):
        if os.environ.get("CI"):
            pytest.fail("needs CELERY_BROKER_URL (Redis)")
        pytest.skip("needs CELERY_BROKER_URL (Redis)")
    return server


@pytest.fixture
def database_unreachable():
    """The default connection points at a server that does not answer, as while PostgreSQL restarts.

    PostgreSQL only: Django never closes an in-memory SQLite test database, so it cannot be taken away.
    """
    require_postgresql()
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    yield saved
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)
