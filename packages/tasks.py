"""Celery tasks of a compile: start (snapshot), one task per section in a chord, then assemble.

Every task takes ids and the attempt number; a message from an older attempt, or for a version that is
already finished, does nothing. Sections are cached by content and files are renamed into place, so a
redelivered or duplicated message can repeat work but never publish a second version or half a file.

A worker that dies mid-compile is survived twice over: its unacknowledged message goes back to the queue
(`task_acks_late`, `task_reject_on_worker_lost`, the broker's visibility timeout), and the version's lease,
renewed by a heartbeat while a task of it runs, lapses; `recover_compiles` then starts the version again from
the sections cache (packages/services.py, `compiles_recover`).
"""

import logging

from celery import chord, shared_task
from celery.signals import worker_ready
from django.conf import settings

from iscm_portal.database_outage import DATABASE_UNAVAILABLE

from . import services
from .files import SectionsCache
from .pdf import part_specs, render_part

logger = logging.getLogger(__name__)


def _limits() -> dict:
    """No compile task runs past the time limit; the soft limit lets it record why it stopped."""
    return {"time_limit": settings.PACKAGES_TASK_TIME_LIMIT, "soft_time_limit": settings.PACKAGES_TASK_TIME_LIMIT - 30}


@shared_task(name="packages.compile_version", acks_late=True, bind=True, **_limits())
def compile_version(self, version_id: int, attempt: int) -> None:
    """Freeze the input of a version and fan the sections out to the workers."""
    try:
        started = services.version_start(version_id=version_id, attempt=attempt)
        if started is None:
            return
        _version, snapshot_path = started
        specs = part_specs(services.snapshot_load(snapshot_path))
        services.version_parts_planned(version_id=version_id, total=len(specs))
        header = [render_section.s(version_id, attempt, snapshot_path, spec) for spec in specs]
        chord(header)(assemble_version.s(version_id, attempt, snapshot_path))
    except DATABASE_UNAVAILABLE:
        raise  # retried on a new connection (iscm_portal.celery.PortalTask), not a failed compile
    except Exception as exc:
        logger.exception("compile of package version %s failed", version_id)
        services.version_fail(version_id=version_id, attempt=attempt, error=services.error_message(exc))
        raise


@shared_task(name="packages.render_section", acks_late=True, bind=True, **_limits())
def render_section(self, version_id: int, attempt: int, snapshot_path: str, spec: dict) -> dict:
    """Render one section of the report, or reuse the file made earlier from the same content."""
    try:
        if not services.version_is_current(version_id=version_id, attempt=attempt):
            return {**spec, "stale": True}
        with services.version_heartbeat(version_id=version_id, attempt=attempt, enabled=not self.request.is_eager):
            snapshot = services.snapshot_load(snapshot_path)
            part = render_part(snapshot, spec, SectionsCache())
        services.version_part_done(version_id=version_id, part=part)
        return part
    except DATABASE_UNAVAILABLE:
        raise
    except Exception as exc:
        logger.exception("section %s of package version %s failed", spec.get("key"), version_id)
        services.version_fail(version_id=version_id, attempt=attempt, error=services.error_message(exc))
        raise


@shared_task(name="packages.assemble_version", acks_late=True, bind=True, **_limits())
def assemble_version(self, parts: list[dict], version_id: int, attempt: int, snapshot_path: str) -> None:
    """Join the sections into the report, build the data package and publish the version."""
    try:
        with services.version_heartbeat(version_id=version_id, attempt=attempt, enabled=not self.request.is_eager):
            services.version_assemble(version_id=version_id, attempt=attempt, parts=parts, snapshot_path=snapshot_path)
    except DATABASE_UNAVAILABLE:
        raise
    except Exception as exc:
        logger.exception("assembling package version %s failed", version_id)
        services.version_fail(version_id=version_id, attempt=attempt, error=services.error_message(exc))
        raise


@shared_task(name="packages.recover_compiles")
def recover_compiles() -> list[int]:
    """Beat, and each worker as it starts: restart or fail the compiles whose worker was lost."""
    return services.compiles_recover()


@shared_task(name="packages.prune_files")
def prune_files() -> dict:
    """Hourly (beat): remove finished versions' snapshots and prune the sections cache by age and size."""
    return services.packages_files_prune()


@worker_ready.connect(dispatch_uid="packages-recover-compiles")
def _recover_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A worker that starts may be the replacement of one that died mid-compile: look at once."""
    try:
        recover_compiles.apply_async(ignore_result=True)
    except Exception:
        logger.warning("could not queue the recovery of lost compiles", exc_info=True)
