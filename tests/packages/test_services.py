"""Compile requests, idempotency, failure and retry, and the data package's manifest."""

import csv
import hashlib
import io
import json
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

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


def _compiling(package, user) -> PackageVersion:
    return PackageVersion.objects.create(
        package=package, number=1, request_token=uuid.uuid4(), requested_by=user, status=VersionStatus.COMPILING
    )


@pytest.mark.django_db  # nothing is compiled, so no need for real commits
def test_version_request_refuses_while_another_version_compiles(package, iom_user):
    _compiling(package, iom_user)
    with pytest.raises(services.PackageError) as error:
        services.version_request(package=package, by=iom_user, request_token=uuid.uuid4())
    assert str(error.value) == "Version 1 is still being compiled; compile a new version once it has finished."
    assert list(PackageVersion.objects.values_list("number", "status")) == [(1, VersionStatus.COMPILING)]


@pytest.mark.django_db  # nothing is compiled, so no need for real commits
def test_version_retry_refuses_while_another_version_compiles(package, iom_user):
    _compiling(package, iom_user)
    failed = PackageVersion.objects.create(
        package=package, number=2, request_token=uuid.uuid4(), requested_by=iom_user, status=VersionStatus.FAILED
    )
    with pytest.raises(services.PackageError) as error:
        services.version_retry(version=failed, by=iom_user)
    assert str(error.value) == "Version 1 is still being compiled; compile a new version once it has finished."
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (VersionStatus.FAILED, 1)


@pytest.mark.django_db  # nothing is compiled, so no need for real commits
def test_version_request_gives_up_a_compile_left_waiting_for_a_worker_for_an_hour(
    package, iom_user, django_capture_on_commit_callbacks
):
    abandoned = PackageVersion.objects.create(package=package, number=1, request_token=uuid.uuid4())
    PackageVersion.objects.filter(pk=abandoned.pk).update(
        requested_at=timezone.now() - services.COMPILE_GIVEN_UP_AFTER - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=False):
        version, created = services.version_request(package=package, by=iom_user, request_token=uuid.uuid4())
    abandoned.refresh_from_db()
    assert (created, version.number, version.status) == (True, 2, VersionStatus.QUEUED)
    assert (abandoned.status, abandoned.error) == (
        VersionStatus.FAILED,
        "No worker finished this compile within an hour, so it was given up. Retry it if it is still needed.",
    )


@pytest.mark.django_db  # nothing is compiled, so no need for real commits
def test_version_request_fails_a_compile_whose_worker_was_lost(package, iom_user, django_capture_on_commit_callbacks):
    lost = _compiling(package, iom_user)
    PackageVersion.objects.filter(pk=lost.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False):
        version, created = services.version_request(package=package, by=iom_user, request_token=uuid.uuid4())
    lost.refresh_from_db()
    assert (created, version.number, lost.status) == (True, 2, VersionStatus.FAILED)
    assert lost.error.startswith("The worker compiling this version stopped")


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
        "report/regional-reviews-2024-input-to-the-imrf-2026-v1.docx",
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
