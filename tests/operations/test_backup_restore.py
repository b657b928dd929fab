"""Restore drill: back up a portal with scripts/backup, restore it with scripts/restore into a new database and
a new media folder, and the restored portal serves the same reviews, attachments and package files (same SHA-256)."""

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from mechanisms.models import Mechanism
from packages.enums import VersionStatus
from reviews.models import Attachment
from tests.celery_app import require_postgresql, shared_database_url
from tests.factories import ApprovedReviewContentFactory, PackageFactory, ReviewCycleFactory
from tests.packages.helpers import compile_now

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Run inside the restored portal (its own process, its own DATABASE_URL and MEDIA_ROOT): what its pages serve.
SERVED = """
import hashlib, json, sys, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils.html import escape
from accounts.models import User
from reviews.models import Attachment, Review
from packages.models import PackageVersion

def body(response):
    assert response.status_code == 200, (response.status_code, response.request["PATH_INFO"])
    return b"".join(response.streaming_content) if response.streaming else response.content

setup_test_environment()  # the test client's host, "testserver", is allowed
client = Client()
client.force_login(User.objects.get(username="iom"))
served = {"reviews": {}, "attachments": {}, "files": {}}
for review in Review.objects.order_by("pk"):
    page = body(client.get(f"/reviews/{review.pk}/")).decode()
    texts = [escape(report.progress[:40]) for report in review.objective_reports.order_by("objective__number")]
    on_page = bool(texts) and all(text in page for text in texts)
    served["reviews"][review.pk] = {"status": review.status, "texts_on_page": on_page}
for attachment in Attachment.objects.order_by("pk"):
    data = body(client.get(f"/reviews/{attachment.review_id}/attachments/{attachment.pk}/"))
    served["attachments"][attachment.pk] = hashlib.sha256(data).hexdigest()
for version in PackageVersion.objects.filter(status="done").order_by("pk"):
    for kind in ("pdf", "zip"):
        data = body(client.get(f"/packages/{version.package_id}/versions/{version.number}/{kind}/"))
        served["files"][f"{version.package_id}/{version.number}/{kind}"] = hashlib.sha256(data).hexdigest()
print(json.dumps(served))
"""


def _environment(database_url: str, media_root: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": str(ROOT),
        "PYTHON": sys.executable,
    }


def _run(command: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture
def portal_with_a_package(reference_data, iom_user, settings, tmp_path, django_capture_on_commit_callbacks):
    """Two approved reviews, one with an attachment, and a compiled package, files in the test's media folder."""
    require_postgresql()
    settings.MEDIA_ROOT = tmp_path / "media"
    cycle = ReviewCycleFactory()
    reviews = [
        ApprovedReviewContentFactory(
            mechanism=Mechanism.objects.get(slug=slug), cycle=cycle, objectives=(1, 5), seed=index
        )
        for index, slug in enumerate(["bali-process", "midwa"])
    ]
    name = default_storage.save("attachments/2024/05/plan.pdf", ContentFile(PDF))
    Attachment.objects.create(
        review=reviews[0],
        file=name,
        original_name="Regional action plan.pdf",
        description="Action plan",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=iom_user,
    )
    package = PackageFactory(cycle=cycle, created_by=iom_user)
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert version.status == VersionStatus.DONE, version.error
    return version


def _server_command(admin: dict, sql: str) -> None:
    server = psycopg2.connect(**admin)
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(sql)
    finally:
        server.close()


@pytest.fixture
def fresh_database():
    """A new, empty database of its own name on the test server, dropped afterwards."""
    name = f"restore_{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    admin = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"],
        "dbname": "postgres",
    }
    _server_command(admin, f'CREATE DATABASE "{name}"')
    try:
        yield shared_database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        _server_command(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restored_portal_serves_the_same_reviews_and_package_files(portal_with_a_package, fresh_database, tmp_path):
    version = portal_with_a_package
    backup = tmp_path / "backup"
    original = _environment(shared_database_url(), Path(django_settings.MEDIA_ROOT))
    made = _run([str(ROOT / "scripts" / "backup"), str(backup)], original)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    stored = {(item["storage"], item["name"]): item["sha256"] for item in manifest["files"]}
    assert stored[("packages", version.pdf.name)] == version.pdf_sha256
    assert stored[("packages", version.zip.name)] == version.zip_sha256
    assert stored[("default", "attachments/2024/05/plan.pdf")] == hashlib.sha256(PDF).hexdigest()
    assert not any(name.startswith("packages/work/") for _storage, name in stored)

    restored_media = tmp_path / "restored-media"
    restored = _environment(fresh_database, restored_media)
    done = _run([str(ROOT / "scripts" / "restore"), str(backup)], restored)
    assert done.returncode == 0, done.stderr
    assert f"Restored the database and {len(manifest['files'])} files" in done.stdout

    before = _run([sys.executable, "-c", SERVED], original)
    after = _run([sys.executable, "-c", SERVED], restored)
    assert before.returncode == 0 and after.returncode == 0, before.stderr + after.stderr
    served_before = json.loads(before.stdout.strip().splitlines()[-1])
    served_after = json.loads(after.stdout.strip().splitlines()[-1])
    assert served_after == served_before
    assert len(served_after["reviews"]) == 2
    assert all(
        review["status"] == "approved" and review["texts_on_page"] for review in served_after["reviews"].values()
    )
    key = f"{version.package_id}/{version.number}"
    assert served_after["files"] == {f"{key}/pdf": version.pdf_sha256, f"{key}/zip": version.zip_sha256}
    assert list(served_after["attachments"].values()) == [hashlib.sha256(PDF).hexdigest()]
    assert (restored_media / version.pdf.name).is_file()

    # A second restore onto what is now a full database and storage is refused, and changes nothing.
    again = _run([str(ROOT / "scripts" / "restore"), str(backup)], restored)
    assert again.returncode == 1
    assert "is not empty; restore into a new database" in again.stderr


def test_damaged_backup_is_refused_before_anything_is_restored(portal_with_a_package, fresh_database, tmp_path):
    version = portal_with_a_package
    backup = tmp_path / "backup"
    original = _environment(shared_database_url(), Path(django_settings.MEDIA_ROOT))
    assert _run([str(ROOT / "scripts" / "backup"), str(backup)], original).returncode == 0
    copy = backup / "files" / "packages" / version.pdf.name
    copy.write_bytes(copy.read_bytes()[:-10])

    restored = _environment(fresh_database, tmp_path / "restored-media")
    checked = _run([str(ROOT / "scripts" / "restore"), "--check", str(backup)], restored)
    assert checked.returncode == 1
    assert "does not match its checksum in the manifest: the backup is damaged." in checked.stderr
    refused = _run([str(ROOT / "scripts" / "restore"), str(backup)], restored)
    assert refused.returncode == 1
    assert not (tmp_path / "restored-media").exists()
    restored_db = psycopg2.connect(fresh_database)
    try:
        with restored_db.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            assert cursor.fetchone() == (0,)
    finally:
        restored_db.close()

    # Backing up into a folder that holds something is refused too: one folder per backup.
    again = _run([str(ROOT / "scripts" / "backup"), str(backup)], original)
    assert (again.returncode, "is not empty; name a new folder for each backup." in again.stderr) == (1, True)
