"""Compile requests, idempotency, failure and retry, and the data package's manifest."""

import csv
import hashlib
import io
import json
import uuid
import zipfile

import pytest

from packages import services
from packages.enums import VersionStatus
from packages.models import PackageVersion
from packages.tasks import compile_version
from reviews.models import Attachment

from .helpers import compile_now, media_path

pytestmark = pytest.mark.django_db(transaction=True)


def test_version_request_same_token_gives_one_version(package, iom_user, django_capture_on_commit_callbacks):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = services.version_request(package=package, by=iom_user, request_token=token)
        second, created_second = services.version_request(package=package, by=iom_user, request_token=token)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert list(PackageVersion.objects.values_list("number", "status")) == [(1, VersionStatus.DONE)]


def test_duplicate_task_delivery_does_not_touch_a_published_version(
    package, iom_user, django_capture_on_commit_callbacks
):
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    before = (version.pdf_sha256, version.zip_sha256, version.finished_at)
    compile_version.delay(version.pk, version.attempts)
    version.refresh_from_db()
    assert (version.pdf_sha256, version.zip_sha256, version.finished_at) == before
    assert PackageVersion.objects.count() == 1
    assert hashlib.sha256(media_path(version.pdf).read_bytes()).hexdigest() == version.pdf_sha256


def _missing_attachment(review, user):
    return Attachment.objects.create(
        review=review,
        file="attachments/2024/05/gone.pdf",
        original_name="Regional action plan.pdf",
        description="Action plan adopted in 2024",
        content_type="application/pdf",
        size=1234,
        sha256="0" * 64,
        uploaded_by=user,
    )


def test_failed_compile_keeps_previous_version_and_reports_the_reason(
    package, iom_user, approved_reviews, client, django_capture_on_commit_callbacks
):
    good = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    attachment = _missing_attachment(approved_reviews[0], iom_user)
    failed = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    good.refresh_from_db()
    assert (failed.number, failed.status) == (2, VersionStatus.FAILED)
    reason = "The attachment “Regional action plan.pdf” of the Bali Process review is missing from storage."
    assert failed.error == reason
    assert (failed.pdf.name, failed.zip.name) == ("", "")
    assert good.status == VersionStatus.DONE
    client.force_login(iom_user)
    response = client.get(f"/packages/{package.pk}/versions/1/pdf/")
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == good.pdf_sha256
    page = client.get(f"/packages/{package.pk}/").content.decode()
    assert reason in page

    # Put the file where it belongs and retry: the same version number finishes.
    path = media_path(attachment.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 action plan")
    with django_capture_on_commit_callbacks(execute=True):
        services.version_retry(version=failed, by=iom_user)
    failed.refresh_from_db()
    assert (failed.number, failed.status, failed.attempts, failed.error) == (2, VersionStatus.DONE, 2, "")
    assert PackageVersion.objects.count() == 2


def test_retry_refuses_a_version_that_did_not_fail(package, iom_user, django_capture_on_commit_callbacks):
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    with pytest.raises(services.PackageError) as error:
        services.version_retry(version=version, by=iom_user)
    assert str(error.value) == "Only a failed version can be retried."


def test_data_package_manifest_lists_every_file_with_its_checksum(
    package, iom_user, approved_reviews, django_capture_on_commit_callbacks
):
    attachment = _missing_attachment(approved_reviews[1], iom_user)
    path = media_path(attachment.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 plan")
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    archive_path = media_path(version.zip)
    assert hashlib.sha256(archive_path.read_bytes()).hexdigest() == version.zip_sha256
    with zipfile.ZipFile(archive_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = sorted(archive.namelist())
        for entry in manifest["files"]:
            data = archive.read(entry["path"])
            assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
        rows = list(csv.DictReader(io.StringIO(archive.read("data/reviews.csv").decode("utf-8-sig"))))
        reviews = json.loads(archive.read("data/reviews.json"))
    assert names == sorted([*(entry["path"] for entry in manifest["files"]), "manifest.json"])
    assert names == [
        f"attachments/MIDWA/{attachment.pk}-Regional_action_plan.pdf",
        "data/contents.json",
        "data/reviews.csv",
        "data/reviews.json",
        "manifest.json",
        "report/regional-reviews-2024-input-to-the-imrf-2026-v1.pdf",
    ]
    report_entry = next(entry for entry in manifest["files"] if entry["path"].startswith("report/"))
    assert report_entry["sha256"] == version.pdf_sha256
    assert manifest["review_versions"] == version.review_versions
    assert [item["mechanism"] for item in manifest["review_versions"]] == ["Bali Process", "MIDWA", "Rabat Process"]
    assert len(rows) == 3 * 23
    assert [row["objective"] for row in rows if row["mechanism"] == "MIDWA" and row["addressed"] == "yes"] == [
        "2",
        "7",
        "23",
    ]
    assert reviews["reviews"][1]["attachments"][0]["file"] == names[0]
