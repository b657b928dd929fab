"""Celery tasks of a compile: start (snapshot), one task per section in a chord, then assemble.

Every task takes ids and the attempt number; a message from an older attempt, or for a version that is
already finished, does nothing. Sections are cached by content and files are renamed into place, so a
redelivered or duplicated message can repeat work but never publish a second version or half a file.
"""

import logging

from celery import chord, shared_task

from . import services
from .files import parts_cache_dir
from .pdf import part_specs, render_part

logger = logging.getLogger(__name__)


@shared_task(name="packages.compile_version", acks_late=True)
def compile_version(version_id: int, attempt: int) -> None:
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
    except Exception as exc:
        logger.exception("compile of package version %s failed", version_id)
        services.version_fail(version_id=version_id, attempt=attempt, error=services.error_message(exc))
        raise


@shared_task(name="packages.render_section", acks_late=True)
def render_section(version_id: int, attempt: int, snapshot_path: str, spec: dict) -> dict:
    """Render one section of the report, or reuse the file made earlier from the same content."""
    try:
        snapshot = services.snapshot_load(snapshot_path)
        part = render_part(snapshot, spec, parts_cache_dir())
        services.version_part_done(version_id=version_id, reused=part["reused"])
        return part
    except Exception as exc:
        logger.exception("section %s of package version %s failed", spec.get("key"), version_id)
        services.version_fail(version_id=version_id, attempt=attempt, error=services.error_message(exc))
        raise


@shared_task(name="packages.assemble_version", acks_late=True)
def assemble_version(parts: list[dict], version_id: int, attempt: int, snapshot_path: str) -> None:
    """Join the sections into the report, build the data package and publish the version."""
    try:
        services.version_assemble(version_id=version_id, attempt=attempt, parts=parts, snapshot_path=snapshot_path)
    except Exception as exc:
        logger.exception("assembling package version %s failed", version_id)
        services.version_fail(version_id=version_id, attempt=attempt, error=services.error_message(exc))
        raise
