"""Versions of a review's content: snapshots taken on save, coalesced while one person keeps typing."""

import datetime
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from .models import Review, ReviewVersion

# Autosaves by the same person within this window update their open version instead of adding one.
COALESCE_WINDOW = datetime.timedelta(minutes=15)
OBJECTIVE_FIELDS = ("progress", "good_practices", "challenges", "recommendations", "data_evidence", "data_sources")


def review_content_snapshot(review: Review) -> dict:
    """The review's content as plain data (the same shape for history, comparison and exports)."""
    reports = review.objective_reports.select_related("objective").prefetch_related("guiding_principles")
    return {
        "language": review.language,
        "method": review.method,
        "mandate": review.mandate,
        "participating_states": sorted(review.participating_states.values_list("iso3", flat=True)),
        "stakeholders_consulted": sorted(review.stakeholders_consulted),
        "partnerships": review.partnerships,
        "key_messages": review.key_messages,
        "meetings": [
            {"title": meeting.title, "held_on": meeting.held_on.isoformat(), "place": meeting.place}
            for meeting in review.meetings.all()
        ],
        "objectives": {
            str(report.objective.number): {
                "is_regional_priority": report.is_regional_priority,
                **{name: getattr(report, name) for name in OBJECTIVE_FIELDS},
                "guiding_principles": sorted(principle.slug for principle in report.guiding_principles.all()),
            }
            for report in reports
        },
        "attachments": [
            {"name": attachment.original_name, "description": attachment.description, "sha256": attachment.sha256}
            for attachment in review.attachments.all()
        ],
    }


def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def review_version_record(*, review: Review, by, seal: bool = False) -> ReviewVersion:
    """Keep the current content as a version; unchanged content adds nothing.

    Call after every content save (seal=False) and on workflow steps such as submission (seal=True),
    so the submitted text stays a version of its own.
    """
    content = review_content_snapshot(review)
    digest = content_hash(content)
    now = timezone.now()
    with transaction.atomic():
        latest = ReviewVersion.objects.select_for_update().filter(review=review).order_by("-number").first()
        if latest and latest.content_hash == digest:
            if seal and not latest.sealed:
                latest.sealed = True
                latest.status = review.status
                latest.save(update_fields=["sealed", "status"])
            return latest
        if (
            latest
            and not latest.sealed
            and not seal
            and latest.created_by_id == getattr(by, "pk", None)
            and now - latest.created_at < COALESCE_WINDOW
        ):
            latest.content, latest.content_hash, latest.status = content, digest, review.status
            latest.save(update_fields=["content", "content_hash", "status"])
            return latest
        return ReviewVersion.objects.create(
            review=review,
            number=(latest.number + 1) if latest else 1,
            content=content,
            content_hash=digest,
            status=review.status,
            created_by=by,
            created_at=now,
            sealed=seal,
        )
