"""`make run`'s default: a worker on the embedded (filesystem) broker compiles while the request returns at once."""

import re
import time
import uuid

import pytest

from packages.enums import VersionStatus
from packages.models import PackageVersion
from tests.celery_app import (
    celery_configured,
    local_settings_celery_conf,
    local_settings_env,
    require_postgresql,
    shared_database_url,
    worker_process,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def local_worker(transactional_db, tmp_path, settings):
    """The worker `make run` starts, on the broker the local settings choose when none is configured."""
    require_postgresql()
    broker_dir = tmp_path / "broker"
    conf = local_settings_celery_conf(broker_dir)
    assert (conf["broker_url"], conf["task_always_eager"]) == ("filesystem://localhost//", False)
    settings.MEDIA_ROOT = tmp_path / "media"
    env = local_settings_env(broker_dir) | {
        "DATABASE_URL": shared_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    with celery_configured(**conf), worker_process(["--concurrency=2"], env) as worker:
        yield worker


def test_compile_returns_at_once_and_the_progress_fragment_reaches_done(local_worker, small_package, client, iom_user):
    package = small_package
    client.force_login(iom_user)

    response = client.post(f"/packages/{package.pk}/compile/", {"request_token": str(uuid.uuid4())})
    assert response.status_code == 302
    # Run in the request, the compile would be finished here; on the worker it has hardly begun.
    assert PackageVersion.objects.get(package=package).status in (VersionStatus.QUEUED, VersionStatus.COMPILING)

    status, deadline = None, time.monotonic() + 240
    while status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.5)
        html = client.get(f"/packages/{package.pk}/versions/1/progress/", HTTP_HX_REQUEST="true").content.decode()
        status = re.search(r'data-status="(\w+)"', html).group(1)
    assert status == "done", PackageVersion.objects.get(package=package).error
    assert '<button type="submit" class="btn btn-primary" data-action="compile">' in html  # enabled again
