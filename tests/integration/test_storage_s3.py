"""Two workers with different local folders and no shared disk compile one package through an S3-compatible
bucket (moto's server, started by the test), and the web views serve the files from that bucket."""

import hashlib
import logging
import os
import re
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from io import BytesIO

import boto3
import environ
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer

from iscm_portal.file_storage import file_storages
from mechanisms.models import Mechanism
from packages.enums import VersionStatus
from packages.models import PackageVersion
from reviews.models import Attachment
from tests.celery_app import celery_configured, require_postgresql, shared_database_url
from tests.factories import ApprovedReviewContentFactory, PackageFactory, ReviewCycleFactory
from tests.fault.instances import free_port, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

LEASE = 6  # seconds: short, so that beta sees alpha's lapsed lease quickly
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def bucket(monkeypatch):
    """An S3-compatible endpoint on a free port with an empty bucket; the S3_* variables the portal reads."""
    port = free_port()
    monkeypatch.setattr(logging.getLogger("werkzeug"), "level", logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    variables = {
        "S3_BUCKET": f"portal-{uuid.uuid4().hex[:8]}",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test-key",
        "S3_SECRET_ACCESS_KEY": "test-secret",
        "S3_ADDRESSING_STYLE": "path",
    }
    client = boto3.client(
        "s3",
        endpoint_url=variables["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=variables["S3_BUCKET"])
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    try:
        yield client, variables
    finally:
        server.stop()


def _keys(client, bucket: str) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def _files_under(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def _worker(name: str, queue: str, broker: str, variables: dict, folder) -> subprocess.Popen:
    """A worker on this machine as if on another: its own MEDIA_ROOT and temporary folder, the shared bucket."""
    (folder / "media").mkdir(parents=True)
    (folder / "tmp").mkdir()
    env = {
        **os.environ,
        **variables,
        "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.test",
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(folder / "media"),
        "TMPDIR": str(folder / "tmp"),
        "PACKAGES_COMPILE_LEASE": str(LEASE),
    }
    command = [sys.executable, "-m", "celery", "-A", "iscm_portal", "worker", "-n", f"{name}@%h", "-Q", queue]
    # Prefork: a solo worker would take every queued message at once (its prefetch limit does not hold on Redis).
    command += ["-c", "1", "--without-gossip", "--without-mingle", "-l", "info"]
    log = open(folder / "worker.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_until_ready(folder) -> None:
    log = folder / "worker.log"
    wait_for(lambda: " ready." in log.read_text(errors="replace"), timeout=120, what=f"worker {folder.name}")


def test_two_workers_without_a_shared_disk_compile_one_package_through_a_bucket(
    bucket, reference_data, iom_user, client, settings, tmp_path
):
    require_postgresql()
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        pytest.skip("needs CELERY_BROKER_URL")
    s3, variables = bucket
    settings.MEDIA_ROOT = tmp_path / "web-media"
    settings.STORAGES = {**settings.STORAGES, **file_storages(environ.Env())}

    cycle = ReviewCycleFactory()
    reviews = [
        ApprovedReviewContentFactory(mechanism=Mechanism.objects.get(slug=slug), cycle=cycle, objectives=(1, 5), seed=i)
        for i, slug in enumerate(["bali-process", "midwa"])
    ]
    stored = default_storage.save("attachments/2024/05/plan.pdf", ContentFile(PDF))
    attachment = Attachment.objects.create(
        review=reviews[0],
        file=stored,
        original_name="Regional action plan.pdf",
        description="Action plan",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=iom_user,
    )
    package = PackageFactory(cycle=cycle, created_by=iom_user)
    assert _keys(s3, variables["S3_BUCKET"]) == ["attachments/2024/05/plan.pdf"]

    queue = f"s3-{uuid.uuid4().hex[:8]}"
    workers = []
    with celery_configured(task_always_eager=False, task_default_queue=queue, broker_url=broker, result_backend=broker):
        try:
            # Alpha starts the compile and renders the first sections, then its machine is lost (SIGKILL). Beta,
            # with nothing of alpha's disk, restarts the compile once its lease lapsed, takes alpha's sections
            # from the bucket, renders the rest and joins them.
            workers.append(_worker("alpha", queue, broker, variables, tmp_path / "alpha"))
            _wait_until_ready(tmp_path / "alpha")
            client.force_login(iom_user)
            response = client.post(f"/packages/{package.pk}/compile/", {"request_token": str(uuid.uuid4())})
            assert response.status_code == 302
            version = PackageVersion.objects.get(package=package)

            def some_sections_done():
                version.refresh_from_db()
                return version.parts_done >= 2

            wait_for(some_sections_done, timeout=300, interval=0.1, what="alpha's first sections")
            os.killpg(workers[0].pid, signal.SIGKILL)
            workers[0].wait(timeout=30)
            version.refresh_from_db()
            rendered_by_alpha = version.parts_done
            assert version.status == VersionStatus.COMPILING and rendered_by_alpha < version.parts_total
            time.sleep(LEASE)  # the lease lapses: beta, starting, sees a compile whose worker was lost

            workers.append(_worker("beta", queue, broker, variables, tmp_path / "beta"))

            def finished():
                version.refresh_from_db()
                return version.status in (VersionStatus.DONE, VersionStatus.FAILED)

            wait_for(finished, timeout=300, interval=0.5, what="the compile on beta")
        finally:
            for worker in workers:
                if worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)

    logs = {name: (tmp_path / name / "worker.log").read_text(errors="replace") for name in ("alpha", "beta")}
    assert version.status == VersionStatus.DONE, f"{version.error}\n{logs}"
    assert (version.attempts, version.recoveries) == (2, 1)
    # Beta found alpha's sections in the bucket (it never saw alpha's disk) and rendered only the rest.
    assert version.parts_reused >= rendered_by_alpha >= 2
    assert version.parts_rendered == version.parts_total - version.parts_reused >= 1

    def ran(name: str, task: str) -> int:
        return len(re.findall(rf"Task packages\.{task}\[[^\]]+\] succeeded", logs[name]))

    assert ran("alpha", "render_section") >= 2 and ran("beta", "render_section") == version.parts_total
    assert (ran("alpha", "assemble_version"), ran("beta", "assemble_version")) == (0, 1)

    keys = _keys(s3, variables["S3_BUCKET"])
    assert version.pdf.name in keys and version.zip.name in keys
    assert sum(key.startswith("packages/parts/") and key.endswith(".pdf") for key in keys) == version.parts_total + 1
    assert not [key for key in keys if key.startswith("packages/work/")]  # the snapshot is removed once published
    # Nothing was written to any local disk: not the workers' media or temporary folders, not the web's.
    assert _files_under(tmp_path / "alpha" / "media") == _files_under(tmp_path / "beta" / "media") == []
    assert _files_under(tmp_path / "beta" / "tmp") == []  # the report and ZIP were made there, then uploaded
    assert not (tmp_path / "web-media").exists()

    pdf = client.get(f"/packages/{package.pk}/versions/1/pdf/")
    data = b"".join(pdf.streaming_content)
    assert (pdf.status_code, data[:5], hashlib.sha256(data).hexdigest()) == (200, b"%PDF-", version.pdf_sha256)
    archive = client.get(f"/packages/{package.pk}/versions/1/zip/")
    data = b"".join(archive.streaming_content)
    assert (archive.status_code, hashlib.sha256(data).hexdigest()) == (200, version.zip_sha256)
    with zipfile.ZipFile(BytesIO(data)) as opened:
        assert opened.read(f"attachments/Bali_Process/{attachment.pk}-Regional_action_plan.pdf") == PDF
