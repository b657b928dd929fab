"""A worker SIGKILLed in the middle of a compile, and another started in its place: the compile finishes."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from mechanisms.models import Mechanism
from packages.enums import VersionStatus
from packages.models import PackageVersion
from tests.celery_app import celery_configured, require_postgresql, shared_database_url
from tests.factories import ApprovedReviewContentFactory, PackageFactory, ReviewCycleFactory

from .instances import wait_for

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

LEASE = 6  # seconds: short, so the test sees the lapsed lease quickly


def _worker(broker: str, queue: str, folder: Path, *, beat: bool) -> subprocess.Popen:
    """A prefork worker in its own process group (so the whole of it can be killed, as a lost machine)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.test",
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PACKAGES_PARTS_DIR": str(Path(settings.MEDIA_ROOT) / "parts"),
        "PACKAGES_COMPILE_LEASE": str(LEASE),
        "PACKAGES_RECOVERY_INTERVAL": "2",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "iscm_portal",
        "worker",
        "-Q",
        queue,
        "-c",
        "1",
        "--without-gossip",
        "--without-mingle",
        "-l",
        "warning",
    ]
    if beat:
        command += ["-B", "-s", str(folder / "beat-schedule")]
    log = open(folder / f"worker-{'b' if beat else 'a'}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture
def package_to_compile(reference_data, iom_user):
    """Three approved reviews on several objectives: enough sections that the kill falls in the middle."""
    cycle = ReviewCycleFactory()
    for index, slug in enumerate(["bali-process", "midwa", "rabat-process"]):
        ApprovedReviewContentFactory(
            mechanism=Mechanism.objects.get(slug=slug), cycle=cycle, objectives=(1, 2, 5, 7, 11), seed=index
        )
    return PackageFactory(cycle=cycle, created_by=iom_user)


def test_compile_finishes_after_its_worker_is_killed_and_replaced(
    package_to_compile, client, iom_user, settings, tmp_path, own_redis
):
    require_postgresql()
    settings.MEDIA_ROOT = tmp_path / "media"
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    folder = tmp_path  # the workers' logs and beat schedule, removed with the test's other files
    broker = own_redis.url
    with celery_configured(task_always_eager=False, task_default_queue=queue, broker_url=broker, result_backend=broker):
        first = _worker(broker, queue, folder, beat=False)
        replacement = None
        try:
            client.force_login(iom_user)
            response = client.post(f"/packages/{package_to_compile.pk}/compile/", {"request_token": str(uuid.uuid4())})
            assert response.status_code == 302
            version = PackageVersion.objects.get(package=package_to_compile)

            def some_sections_done():
                version.refresh_from_db()
                return version.status == VersionStatus.COMPILING and 0 < version.parts_done < version.parts_total

            wait_for(some_sections_done, timeout=180, interval=0.05, what="the first sections of the compile")
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
            killed_at = (version.parts_done, version.parts_total)

            replacement = _worker(broker, queue, folder, beat=True)

            def finished():
                version.refresh_from_db()
                return version.status in (VersionStatus.DONE, VersionStatus.FAILED)

            wait_for(finished, timeout=300, interval=0.5, what="the compile to finish on the replacement worker")
        finally:
            for worker in (first, replacement):
                if worker and worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGTERM)
                    try:
                        worker.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        os.killpg(worker.pid, signal.SIGKILL)

    logs = "\n".join(path.read_text(errors="replace")[-3000:] for path in sorted(folder.glob("*.log")))
    assert version.status == VersionStatus.DONE, f"{version.error}\n{logs}"
    assert (version.attempts, version.recoveries) == (2, 1)
    # The sections rendered before the kill were reused by the new attempt.
    assert version.parts_reused >= killed_at[0] >= 1
    assert version.parts_done == version.parts_total == killed_at[1]
    assert (Path(settings.MEDIA_ROOT) / version.pdf.name).is_file()
