"""Writes of the packages app: create a package, request, run, fail and publish its compiled versions."""

import json
import logging
import re
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from iscm_portal import page_cache
from operations.outbox import outbox_send

from .data_package import build_data_package
from .docx_report import build_report_docx
from .enums import ACTIVE_STATUSES, VersionStatus
from .exceptions import PackageCompileError, PackageError
from .files import (
    SectionsCache,
    file_digest,
    publish,
    published_folder,
    snapshot_read,
    snapshot_save,
    work_files_remove,
    work_folders,
)
from .models import Package, PackageVersion
from .pdf import assemble
from .selectors import package_snapshot, review_versions

logger = logging.getLogger(__name__)

NOT_RETRYABLE = _("Only a failed version can be retried.")

# A compile still waiting for a worker after this is given up when the next one is requested, rather than
# blocking the package for ever. One that a worker started is watched by its lease instead (see below).
COMPILE_GIVEN_UP_AFTER = timedelta(hours=1)


def compile_lease() -> timedelta:
    return timedelta(seconds=settings.PACKAGES_COMPILE_LEASE)


def _worker_lost_message(stops: int) -> str:
    return ngettext(
        "The worker compiling this version stopped (it was restarted, ran out of memory or its machine was lost). "
        "Press Retry to compile it again; the sections already made are reused.",
        "The workers compiling this version stopped %(count)s times (restarted, out of memory or their machine "
        "lost). Press Retry to compile it again; the sections already made are reused.",
        stops,
    ) % {"count": stops}


@transaction.atomic
def package_create(
    *, cycle, title: str, foreword: str = "", regions=(), mechanisms=(), language: str = "", by
) -> Package:
    """A package of the cycle's approved reviews; empty `regions` and `mechanisms` mean all of them.

    `language` is the report's language; by default the language the portal is shown in.
    """
    package = Package.objects.create(
        cycle=cycle,
        title=title,
        foreword=foreword,
        language=_report_language(language or get_language()),
        created_by=by,
    )
    package.regions.set(regions)
    package.mechanisms.set(mechanisms)
    return package


def _report_language(language: str | None) -> str:
    """One of the portal's languages: `fr-ca` gives `fr`, anything unknown the default."""
    code = (language or "").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@transaction.atomic
def package_set_language(*, package: Package, language: str, by) -> Package:
    """Choose the language the next compile writes the report in; versions already compiled keep theirs."""
    if language not in dict(settings.LANGUAGES):
        raise PackageError(_("Choose English, French or Spanish for the report."))
    Package.objects.select_for_update().filter(pk=package.pk).get()
    if PackageVersion.objects.filter(package_id=package.pk, status__in=ACTIVE_STATUSES).exists():
        raise PackageError(_("The report language cannot change while a version is being compiled."))
    Package.objects.filter(pk=package.pk).update(language=language)
    package.language = language
    return package


def _dispatch(version: PackageVersion) -> None:
    """Queue the compile of this attempt through the outbox, in the caller's transaction: a broker that is down
    or lost its data delays the compile and loses none (a second delivery of one attempt does nothing)."""
    outbox_send("packages.compile_version", args=[version.pk, version.attempts])


def _refuse_concurrent_compile(*, package_id: int) -> None:
    """One compile per package at a time; the caller holds the package's row lock."""
    active = PackageVersion.objects.filter(package_id=package_id, status__in=ACTIVE_STATUSES).first()
    if active is None:
        return
    now = timezone.now()
    if active.status == VersionStatus.COMPILING and _lease_lapsed(active, now):
        version_fail(version_id=active.pk, attempt=active.attempts, error=_worker_lost_message(active.recoveries + 1))
        return
    if active.status == VersionStatus.COMPILING or active.requested_at > now - COMPILE_GIVEN_UP_AFTER:
        raise PackageError(
            _("Version %(number)s is still being compiled; compile a new version once it has finished.")
            % {"number": active.number}
        )
    version_fail(
        version_id=active.pk,
        attempt=active.attempts,
        error=_("No worker finished this compile within an hour, so it was given up. Retry it if it is still needed."),
    )


def _lease_lapsed(version: PackageVersion, now) -> bool:
    expires = version.lease_expires_at or (version.started_at or version.requested_at) + compile_lease()
    return expires < now


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
        language=package.language,
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
    version.requested_by = by
    version.requested_at = timezone.now()  # the given-up clock starts again
    version.recoveries = 0
    _requeue(version)
    return version


def _requeue(version: PackageVersion) -> None:
    """Queue the locked `version` as a new attempt: messages of earlier attempts are then ignored."""
    version.status = VersionStatus.QUEUED
    version.attempts += 1
    version.error = ""
    version.progress = 0
    version.parts_done = version.parts_total = version.parts_rendered = version.parts_reused = 0
    version.current_step = _("Waiting for a worker")
    version.lease_expires_at = None
    version.finished_at = None
    version.save()
    _dispatch(version)


def compiles_recover(*, now=None) -> list[int]:
    """Notice compiles whose worker was lost (their lease lapsed): start each again, reusing the sections
    already rendered, or fail it with the reason once it lost `PACKAGES_COMPILE_MAX_RECOVERIES` workers.

    Returns the ids of the versions it handled. Run by beat every `PACKAGES_RECOVERY_INTERVAL` seconds and
    by each worker as it starts.
    """
    now = now or timezone.now()
    stale = PackageVersion.objects.filter(status=VersionStatus.COMPILING).filter(
        Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True, started_at__lt=now - compile_lease())
    )
    handled = []
    for version_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            version = stale.select_for_update(skip_locked=True).filter(pk=version_id).first()
            if version is None:
                continue  # finished meanwhile, or another recoverer holds it
            logger.warning("package version %s lost its worker (attempt %s)", version.pk, version.attempts)
            if version.recoveries >= settings.PACKAGES_COMPILE_MAX_RECOVERIES:
                version_fail(
                    version_id=version.pk, attempt=version.attempts, error=_worker_lost_message(version.recoveries + 1)
                )
            else:
                version.recoveries += 1
                _requeue(version)
            handled.append(version.pk)
    return handled


def version_lease_renew(*, version_id: int, attempt: int) -> bool:
    """Extend the lease of a version this attempt is compiling; False once it is no longer this attempt's."""
    return bool(
        PackageVersion.objects.filter(pk=version_id, attempts=attempt, status=VersionStatus.COMPILING).update(
            lease_expires_at=timezone.now() + compile_lease()
        )
    )


@contextmanager
def version_heartbeat(*, version_id: int, attempt: int, enabled: bool = True) -> Iterator[None]:
    """Renew the version's lease every quarter lease while the block runs (a section, the assembly), from a
    thread with its own connection, so a long section keeps its lease and a dead worker loses it."""
    if not enabled:
        yield
        return
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.PACKAGES_COMPILE_LEASE / 4):
                try:
                    if not version_lease_renew(version_id=version_id, attempt=attempt):
                        return
                except Exception:  # the database may be restarting; the next beat tries again
                    logger.warning("could not renew the lease of package version %s", version_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"lease-{version_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def version_is_current(*, version_id: int, attempt: int) -> bool:
    """Whether a task of this attempt should still work: a redelivered message of an older attempt, or of a
    version that has finished or failed, does nothing (so a section that kills its worker cannot loop)."""
    return PackageVersion.objects.filter(pk=version_id, attempts=attempt, status=VersionStatus.COMPILING).exists()


@lru_cache(maxsize=4)
def snapshot_load(name: str) -> dict:
    """The snapshot of one attempt, from the "packages" storage; read once per worker process, since every
    section task needs it (a name always means one content: it carries the content's hash)."""
    return json.loads(snapshot_read(name))


def version_start(*, version_id: int, attempt: int) -> tuple[PackageVersion, str] | None:
    """Freeze the reviews this version compiles from; None if the message is stale or the attempt has started.

    An attempt starts once: a second delivery of its message (the outbox's, or the broker's after a lost worker)
    does nothing, and a start whose worker died is noticed by its lapsed lease (`compiles_recover`).
    """
    with transaction.atomic():
        version = PackageVersion.objects.select_for_update().select_related("package__cycle").filter(pk=version_id)
        version = version.first()
        if version is None or version.attempts != attempt or version.status != VersionStatus.QUEUED:
            return None
        version.status = VersionStatus.COMPILING
        version.started_at = timezone.now()
        version.lease_expires_at = version.started_at + compile_lease()
        version.progress = 2
        version.current_step = _("Collecting the approved reviews")
        version.save(update_fields=["status", "started_at", "lease_expires_at", "progress", "current_step"])
    work_files_remove(version.pk)  # what earlier attempts left; their messages are ignored from now on
    snapshot = package_snapshot(version.package, language=version.language)
    snapshot["date"] = timezone.localdate(version.requested_at).isoformat()
    snapshot["version"] = version.number
    name = snapshot_save(version_id=version.pk, attempt=attempt, data=json.dumps(snapshot, ensure_ascii=False).encode())
    PackageVersion.objects.filter(pk=version.pk).update(
        review_versions=review_versions(snapshot),
        synthesis_version=snapshot["synthesis"]["version"],
        synthesis_final=snapshot["synthesis"]["final"],
    )
    return version, name


def version_parts_planned(*, version_id: int, total: int) -> None:
    PackageVersion.objects.filter(pk=version_id).update(
        parts_total=total, progress=5, current_step=_("Rendering the sections")
    )


def version_part_done(*, version_id: int, part: dict) -> None:
    """Count one finished section and renew the lease; one UPDATE, so parallel workers never lose a count."""
    reused = part["reused"]
    PackageVersion.objects.filter(pk=version_id, status=VersionStatus.COMPILING).update(
        lease_expires_at=timezone.now() + compile_lease(),
        parts_done=F("parts_done") + 1,
        parts_reused=F("parts_reused") + int(reused),
        parts_rendered=F("parts_rendered") + int(not reused),
        progress=5 + (F("parts_done") + 1) * 80 / F("parts_total"),
    )


def version_step(*, version_id: int, progress: int, step: str) -> None:
    PackageVersion.objects.filter(pk=version_id, status=VersionStatus.COMPILING).update(
        progress=progress, current_step=step, lease_expires_at=timezone.now() + compile_lease()
    )


def version_fail(*, version_id: int, attempt: int, error: str) -> None:
    """Record why a compile failed; earlier finished versions are untouched and stay downloadable."""
    PackageVersion.objects.filter(
        pk=version_id, attempts=attempt, status__in=[VersionStatus.QUEUED, VersionStatus.COMPILING]
    ).update(
        status=VersionStatus.FAILED,
        error=error[:2000],
        finished_at=timezone.now(),
        current_step="",
        lease_expires_at=None,
    )


# Anything that looks like a file system path: `/srv/media/x.pdf`, `C:\\data\\x`, `./parts/…`.
_PATH = re.compile(r"""(?<!\w)(?:[A-Za-z]:)?\.{0,2}[/\\][^\s'"]*""")


def error_message(exc: BaseException) -> str:
    """The reason IOM staff read on a failed version: what went wrong, never where on the server (the log,
    written by the task, keeps the full error)."""
    if isinstance(exc, PackageCompileError):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return _(
            "A part of the report took longer than %(minutes)s minutes to make, so the compile was stopped. "
            "Retry it; if it fails again, ask the portal's administrators to look at the workers' log."
        ) % {"minutes": settings.PACKAGES_TASK_TIME_LIMIT // 60}
    if isinstance(exc, OSError):
        return _(
            "The server could not read or write the package's files (%(reason)s). Retry it; if it fails again, "
            "ask the portal's administrators to check the storage."
        ) % {"reason": exc.strerror or type(exc).__name__}
    return _("Unexpected error while compiling: %(kind)s: %(detail)s") % {
        "kind": type(exc).__name__,
        "detail": _PATH.sub("…", str(exc))[:500],
    }


def version_assemble(*, version_id: int, attempt: int, parts: list[dict], snapshot_path: str) -> None:
    """Join the sections, build the data package and publish both, or leave everything as it was.

    `snapshot_path` is the snapshot's name in the "packages" storage. The files are made in a temporary folder
    of this worker and uploaded to the "packages" storage once the version is still the one to publish.
    """
    version = PackageVersion.objects.select_related("package__cycle").get(pk=version_id)
    if version.attempts != attempt or version.status != VersionStatus.COMPILING:
        return
    snapshot = snapshot_load(snapshot_path)
    with tempfile.TemporaryDirectory(prefix=f"iscm-package-{version_id}-") as folder:
        version_step(version_id=version_id, progress=88, step=_("Joining the sections and numbering the pages"))
        base = f"{slugify(version.package.title)[:60] or 'package'}-v{version.number}"
        pdf_tmp = Path(folder) / f"{base}.pdf"
        author = version.requested_by.get_full_name() if version.requested_by else ""
        result = assemble(snapshot, parts, SectionsCache(), pdf_tmp, author=f"IOM{f' ({author})' if author else ''}")
        version_step(version_id=version_id, progress=92, step=_("Writing the Word report"))
        docx_tmp = Path(folder) / f"{base}.docx"
        build_report_docx(snapshot, docx_tmp)
        version_step(version_id=version_id, progress=94, step=_("Writing the data package"))
        zip_tmp = Path(folder) / f"{base}.zip"
        build_data_package(snapshot, pdf_tmp, zip_tmp, version=version, contents=result["contents"], docx_path=docx_tmp)
        pdf_size, pdf_sha = file_digest(pdf_tmp)
        zip_size, zip_sha = file_digest(zip_tmp)
        docx_size, _docx_sha = file_digest(docx_tmp)

        target = published_folder(package_id=version.package_id, number=version.number)
        with transaction.atomic():
            locked = PackageVersion.objects.select_for_update().get(pk=version_id)
            if locked.attempts != attempt or locked.status != VersionStatus.COMPILING:
                return  # a duplicate delivery got here first; never overwrite published files
            locked.pdf.name = publish(pdf_tmp, f"{target}/{pdf_tmp.name}")
            locked.zip.name = publish(zip_tmp, f"{target}/{zip_tmp.name}")
            locked.docx.name, locked.docx_size = publish(docx_tmp, f"{target}/{docx_tmp.name}"), docx_size
            locked.pdf_size, locked.pdf_sha256, locked.pdf_pages = pdf_size, pdf_sha, result["pages"]
            locked.zip_size, locked.zip_sha256 = zip_size, zip_sha
            locked.status = VersionStatus.DONE
            locked.progress = 100
            locked.current_step = ""
            locked.finished_at = timezone.now()
            locked.lease_expires_at = None
            locked.save()
            page_cache.content_changed(page_cache.PACKAGES)
            transaction.on_commit(lambda: _remove_work_files(version_id))


def _remove_work_files(version_id: int) -> None:
    """The snapshot of a version (about 310 KB) once nothing will read it again; a storage that fails here
    leaves it to the hourly prune."""
    try:
        work_files_remove(version_id)
    except OSError:
        logger.warning("could not remove the work files of package version %s", version_id, exc_info=True)


def packages_files_prune(*, now=None) -> dict:
    """Remove work files of versions that are not compiling, and prune the sections cache by age, then by total
    size (oldest first); sections used within the last hour stay, as a running compile may still join them."""
    now = (now or timezone.now()).timestamp()
    active = set(PackageVersion.objects.filter(status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    work_removed = 0
    for version_id in work_folders():
        if version_id not in active:
            work_files_remove(version_id)
            work_removed += 1
    cache = SectionsCache()
    sections = sorted(cache.sections(), key=lambda section: section.modified)
    max_age = settings.PACKAGES_PARTS_CACHE_MAX_AGE_DAYS * 86400
    total = sum(section.size for section in sections)
    removed = freed = 0
    for section in sections:
        too_old = now - section.modified > max_age
        if not too_old and (total <= settings.PACKAGES_PARTS_CACHE_MAX_BYTES or now - section.modified < 3600):
            continue
        cache.remove(section)
        total -= section.size
        freed += section.size
        removed += 1
    return {"work_folders_removed": work_removed, "sections_removed": removed, "bytes_freed": freed}
