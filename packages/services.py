"""Writes of the packages app: create a package, request, run, fail and publish its compiled versions."""

import json
import logging
import os
import uuid
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from iscm_portal import page_cache

from .data_package import build_data_package
from .enums import ACTIVE_STATUSES, VersionStatus
from .exceptions import PackageCompileError, PackageError
from .files import file_digest, parts_cache_dir, work_dir, write_atomically
from .models import Package, PackageVersion
from .pdf import assemble
from .selectors import package_snapshot, review_versions

logger = logging.getLogger(__name__)

NOT_RETRYABLE = _("Only a failed version can be retried.")

# A compile of the demo takes under a minute and a large package a few minutes. One still unfinished after
# this lost its worker (a worker killed mid-compile; the embedded broker does not redeliver), so it is
# given up rather than blocking the package for ever.
COMPILE_GIVEN_UP_AFTER = timedelta(hours=1)

@transaction.atomic
def package_create(*, cycle, title: str, foreword: str = "", regions=(), mechanisms=(), by) -> Package:
    """A package of the cycle's approved reviews; empty `regions` and `mechanisms` mean all of them."""
    package = Package.objects.create(cycle=cycle, title=title, foreword=foreword, created_by=by)
    package.regions.set(regions)
    package.mechanisms.set(mechanisms)
    return package


def _dispatch(version: PackageVersion) -> None:
    from .tasks import compile_version  # inline: tasks import this module (tasks → services)

    def send():
        try:
            compile_version.delay(version.pk, version.attempts)
        except Exception:
            # With tasks run eagerly (no broker) a failing compile raises here; it is already recorded
            # on the version, and the request that queued it must still succeed.
            logger.exception("compile of package version %s failed", version.pk)

    transaction.on_commit(send)


def _refuse_concurrent_compile(*, package_id: int) -> None:
    """One compile per package at a time; the caller holds the package's row lock."""
    active = PackageVersion.objects.filter(package_id=package_id, status__in=ACTIVE_STATUSES).first()
    if active is None:
        return
    if active.requested_at > timezone.now() - COMPILE_GIVEN_UP_AFTER:
        raise PackageError(
            _("Version %(number)s is still being compiled; compile a new version once it has finished.")
            % {"number": active.number}
        )
    version_fail(
        version_id=active.pk,
        attempt=active.attempts,
        error=_("No worker finished this compile within an hour, so it was given up. Retry it if it is still needed."),
    )


@transaction.atomic
def version_request(*, package: Package, by, request_token: uuid.UUID) -> tuple[PackageVersion, bool]:
    """Queue a new numbered version. The same `request_token` always gives back the same version.

    Returns the version and whether it was created by this call.
    """
    Package.objects.select_for_update().filter(pk=package.pk).get()
    existing = PackageVersion.objects.filter(package=package, request_token=request_token).first()
    if existing:
        return existing, False
    _refuse_concurrent_compile(package_id=package.pk)
    number = (package.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PackageVersion.objects.create(
        package=package,
        number=number,
        request_token=request_token,
        requested_by=by,
        current_step=_("Waiting for a worker"),
    )
    _dispatch(version)
    return version, True


@transaction.atomic
def version_retry(*, version: PackageVersion, by) -> PackageVersion:
    """Run a failed version again under the same number; older messages of it are then ignored."""
    Package.objects.select_for_update().filter(pk=version.package_id).get()
    version = PackageVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.FAILED:
        raise PackageError(NOT_RETRYABLE)
    _refuse_concurrent_compile(package_id=version.package_id)
    version.status = VersionStatus.QUEUED
    version.attempts += 1
    version.error = ""
    version.progress = 0
    version.parts_done = version.parts_total = version.parts_rendered = version.parts_reused = 0
    version.current_step = _("Waiting for a worker")
    version.requested_by = by
    version.requested_at = timezone.now()  # the given-up clock starts again
    version.finished_at = None
    version.save()
    _dispatch(version)
    return version


def _snapshot_path(version: PackageVersion) -> Path:
    return work_dir(version.pk) / f"snapshot-{version.attempts}.json"


@lru_cache(maxsize=4)
def _load_snapshot(path: str, _mtime: float) -> dict:
    return json.loads(Path(path).read_text())


def snapshot_load(path: str) -> dict:
    """The snapshot of one attempt; parsed once per worker process, since every section task needs it."""
    return _load_snapshot(path, os.path.getmtime(path))


def version_start(*, version_id: int, attempt: int) -> tuple[PackageVersion, str] | None:
    """Freeze the reviews this version compiles from; None if the message is stale or the version finished."""
    with transaction.atomic():
        version = PackageVersion.objects.select_for_update().select_related("package__cycle").filter(pk=version_id)
        version = version.first()
        if (
            version is None
            or version.attempts != attempt
            or version.status
            not in (
                VersionStatus.QUEUED,
                VersionStatus.COMPILING,
            )
        ):
            return None
        version.status = VersionStatus.COMPILING
        version.started_at = timezone.now()
        version.progress = 2
        version.current_step = _("Collecting the approved reviews")
        version.save(update_fields=["status", "started_at", "progress", "current_step"])
    snapshot = package_snapshot(version.package)
    snapshot["date"] = timezone.localdate(version.requested_at).isoformat()
    snapshot["version"] = version.number
    path = _snapshot_path(version)
    write_atomically(path, json.dumps(snapshot, ensure_ascii=False).encode())
    PackageVersion.objects.filter(pk=version.pk).update(review_versions=review_versions(snapshot))
    return version, str(path)


def version_parts_planned(*, version_id: int, total: int) -> None:
    PackageVersion.objects.filter(pk=version_id).update(
        parts_total=total, progress=5, current_step=_("Rendering the sections")
    )


def version_part_done(*, version_id: int, reused: bool) -> None:
    """Count one finished section; one UPDATE, so parallel workers never lose a count."""
    PackageVersion.objects.filter(pk=version_id, status=VersionStatus.COMPILING).update(
        parts_done=F("parts_done") + 1,
        parts_reused=F("parts_reused") + int(reused),
        parts_rendered=F("parts_rendered") + int(not reused),
        progress=5 + (F("parts_done") + 1) * 80 / F("parts_total"),
    )


def version_step(*, version_id: int, progress: int, step: str) -> None:
    PackageVersion.objects.filter(pk=version_id, status=VersionStatus.COMPILING).update(
        progress=progress, current_step=step
    )


def version_fail(*, version_id: int, attempt: int, error: str) -> None:
    """Record why a compile failed; earlier finished versions are untouched and stay downloadable."""
    PackageVersion.objects.filter(
        pk=version_id, attempts=attempt, status__in=[VersionStatus.QUEUED, VersionStatus.COMPILING]
    ).update(status=VersionStatus.FAILED, error=error[:2000], finished_at=timezone.now(), current_step="")


def error_message(exc: BaseException) -> str:
    if isinstance(exc, PackageCompileError):
        return str(exc)
    return _("Unexpected error while compiling: %(kind)s: %(detail)s") % {
        "kind": type(exc).__name__,
        "detail": str(exc)[:500],
    }


def version_assemble(*, version_id: int, attempt: int, parts: list[dict], snapshot_path: str) -> None:
    """Join the sections, build the data package and publish both, or leave everything as it was."""
    version = PackageVersion.objects.select_related("package__cycle").get(pk=version_id)
    if version.attempts != attempt or version.status != VersionStatus.COMPILING:
        return
    snapshot = snapshot_load(snapshot_path)
    folder = work_dir(version.pk) / f"attempt-{attempt}"
    version_step(version_id=version_id, progress=88, step=_("Joining the sections and numbering the pages"))
    base = f"{slugify(version.package.title)[:60] or 'package'}-v{version.number}"
    pdf_tmp = folder / f"{base}.pdf"
    author = version.requested_by.get_full_name() if version.requested_by else ""
    result = assemble(snapshot, parts, parts_cache_dir(), pdf_tmp, author=f"IOM{f' ({author})' if author else ''}")
    version_step(version_id=version_id, progress=94, step=_("Writing the data package"))
    zip_tmp = folder / f"{base}.zip"
    build_data_package(snapshot, pdf_tmp, zip_tmp, version=version, contents=result["contents"])

    relative = Path("packages") / str(version.package_id) / f"v{version.number}"
    with transaction.atomic():
        locked = PackageVersion.objects.select_for_update().get(pk=version_id)
        if locked.attempts != attempt or locked.status != VersionStatus.COMPILING:
            return  # a duplicate delivery got here first; never overwrite published files
        final_dir = Path(settings.MEDIA_ROOT) / relative
        final_dir.mkdir(parents=True, exist_ok=True)
        pdf_size, pdf_sha = file_digest(pdf_tmp)
        zip_size, zip_sha = file_digest(zip_tmp)
        os.replace(pdf_tmp, final_dir / pdf_tmp.name)
        os.replace(zip_tmp, final_dir / zip_tmp.name)
        locked.pdf.name = str(relative / pdf_tmp.name)
        locked.zip.name = str(relative / zip_tmp.name)
        locked.pdf_size, locked.pdf_sha256, locked.pdf_pages = pdf_size, pdf_sha, result["pages"]
        locked.zip_size, locked.zip_sha256 = zip_size, zip_sha
        locked.status = VersionStatus.DONE
        locked.progress = 100
        locked.current_step = ""
        locked.finished_at = timezone.now()
        locked.save()
        page_cache.content_changed(page_cache.PACKAGES)
