"""Compiles whose worker was lost are noticed by their lapsed lease and start again or fail with a Retry;
a compile's files are cleaned up, and failure reasons never show the server's paths."""

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from packages import services
from packages.enums import VersionStatus
from packages.models import PackageVersion
from packages.tasks import render_section

from .helpers import compile_now

pytestmark = pytest.mark.django_db(transaction=True)

WORKER_LOST_ONCE = (
    "The worker compiling this version stopped (it was restarted, ran out of memory or its machine was lost). "
    "Press Retry to compile it again; the sections already made are reused."
)


def _lost(version: PackageVersion, **changes) -> None:
    """As the database looks after the worker compiling `version` died: compiling, lease run out."""
    lost = {
        "status": VersionStatus.COMPILING,
        "started_at": timezone.now() - timedelta(minutes=10),
        "lease_expires_at": timezone.now() - timedelta(seconds=1),
    }
    PackageVersion.objects.filter(pk=version.pk).update(**(lost | changes))


def test_compile_whose_worker_was_lost_starts_again_and_reuses_its_sections(
    package, iom_user, django_capture_on_commit_callbacks
):
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    _lost(version)

    with django_capture_on_commit_callbacks(execute=True):
        handled = services.compiles_recover()

    version.refresh_from_db()
    assert handled == [version.pk]
    assert (version.status, version.attempts, version.recoveries) == (VersionStatus.DONE, 2, 1)
    assert (version.parts_reused, version.parts_rendered) == (version.parts_total, 0)
    assert version.lease_expires_at is None


def test_compile_that_keeps_losing_its_worker_fails_with_the_reason_and_a_retry_button(
    package, iom_user, client, settings, django_capture_on_commit_callbacks
):
    settings.PACKAGES_COMPILE_MAX_RECOVERIES = 0
    version = PackageVersion.objects.create(
        package=package, number=1, request_token=uuid.uuid4(), requested_by=iom_user
    )
    _lost(version)

    assert services.compiles_recover() == [version.pk]

    version.refresh_from_db()
    assert (version.status, version.error) == (VersionStatus.FAILED, WORKER_LOST_ONCE)
    client.force_login(iom_user)
    html = client.get(f"/packages/{package.pk}/").content.decode()
    assert f"<span data-error>{WORKER_LOST_ONCE}</span>" in html
    assert 'data-action="retry"' in html


@pytest.mark.django_db  # nothing is committed: no need for real transactions
def test_compile_with_a_live_lease_is_left_alone(package, iom_user):
    version = PackageVersion.objects.create(
        package=package, number=1, request_token=uuid.uuid4(), requested_by=iom_user
    )
    _lost(version, lease_expires_at=timezone.now() + timedelta(seconds=60))
    assert services.compiles_recover() == []
    version.refresh_from_db()
    assert (version.status, version.attempts) == (VersionStatus.COMPILING, 1)


@pytest.mark.django_db  # nothing is committed: no need for real transactions
def test_message_of_an_earlier_attempt_renders_nothing(package, iom_user, fresh_parts_cache):
    version = PackageVersion.objects.create(
        package=package, number=1, request_token=uuid.uuid4(), requested_by=iom_user, attempts=2
    )
    _lost(version, lease_expires_at=timezone.now() + timedelta(seconds=60))
    spec = {"key": "cover", "kind": "cover"}
    assert render_section.apply(args=(version.pk, 1, "/nowhere/snapshot-1.json", spec)).get() == {
        **spec,
        "stale": True,
    }
    assert not fresh_parts_cache.exists()


@pytest.mark.django_db  # nothing is committed: no need for real transactions
def test_queued_compile_says_since_when_it_waits_for_a_worker(package, iom_user, client):
    version = PackageVersion.objects.create(
        package=package, number=1, request_token=uuid.uuid4(), requested_by=iom_user
    )
    PackageVersion.objects.filter(pk=version.pk).update(requested_at=timezone.now() - timedelta(minutes=7))
    version.refresh_from_db()
    client.force_login(iom_user)
    html = client.get(f"/packages/{package.pk}/versions/1/progress/").content.decode()
    since = timezone.localtime(version.requested_at).strftime("%-d %b %Y %H:%M")
    assert f"Waiting for a worker since {since} UTC (7\xa0minutes)." in html


def test_compile_failing_on_the_file_system_does_not_show_server_paths(
    package, iom_user, settings, django_capture_on_commit_callbacks
):
    blocker = _work_dir(0).parent  # a file where the compile's work folder should be
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")

    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)

    assert version.status == VersionStatus.FAILED
    assert version.error == (
        "The server could not read or write the package's files (Not a directory). Retry it; if it fails again, "
        "ask the portal's administrators to check the storage."
    )
    assert str(settings.MEDIA_ROOT) not in version.error


@pytest.mark.django_db
def test_unexpected_error_message_hides_paths():
    error = ValueError("cannot parse /srv/portal/media/packages/work/3/snapshot-1.json near C:\\data\\x")
    assert services.error_message(error) == "Unexpected error while compiling: ValueError: cannot parse … near …"


def test_finished_compile_leaves_no_snapshot_behind(package, iom_user, django_capture_on_commit_callbacks):
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert version.status == VersionStatus.DONE
    assert not _work_dir(version.pk).exists()


def _work_dir(version_id: int):
    return django_settings.MEDIA_ROOT / "packages" / "work" / str(version_id)


def _cached_section(folder, name: str, *, size: int, age_days: float) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.time() - age_days * 86400
    for suffix, data in ((".pdf", b"%" * size), (".json", b"{}")):
        path = folder / f"{name}{suffix}"
        path.write_bytes(data)
        os.utime(path, (stamp, stamp))


@pytest.mark.django_db  # nothing is committed: no need for real transactions
def test_sections_cache_is_pruned_by_age_then_by_size_oldest_first(fresh_parts_cache, settings, package, iom_user):
    settings.PACKAGES_PARTS_CACHE_MAX_AGE_DAYS = 30
    settings.PACKAGES_PARTS_CACHE_MAX_BYTES = 2500
    _cached_section(fresh_parts_cache, "ancient", size=10, age_days=40)
    _cached_section(fresh_parts_cache, "old", size=1000, age_days=20)
    _cached_section(fresh_parts_cache, "older", size=1000, age_days=25)
    _cached_section(fresh_parts_cache, "recent", size=1000, age_days=2)
    # Touched minutes ago: a running compile may join it.
    _cached_section(fresh_parts_cache, "in-use", size=1000, age_days=0.01)
    finished = PackageVersion.objects.create(
        package=package, number=1, request_token=uuid.uuid4(), status=VersionStatus.FAILED
    )
    running = PackageVersion.objects.create(package=package, number=2, request_token=uuid.uuid4())
    for version in (finished, running):
        _work_dir(version.pk).mkdir(parents=True)
        (_work_dir(version.pk) / "snapshot-1-0123456789abcdef.json").write_text("{}")

    report = services.packages_files_prune()

    assert sorted(path.name for path in fresh_parts_cache.iterdir()) == [
        "in-use.json",
        "in-use.pdf",
        "recent.json",
        "recent.pdf",
    ]
    assert report == {"work_folders_removed": 1, "sections_removed": 3, "bytes_freed": 10 + 2 + 2 * 1002}
    assert (_work_dir(finished.pk).exists(), _work_dir(running.pk).exists()) == (False, True)
