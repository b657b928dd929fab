"""A review's content as plain data, and the hash of it: the one canonical form of what a review says.

Versions store this form and compare it; the packages app records its hash for each review a compile
took in, so a package's manifest names the exact review version it printed. The hash of a review's content
is the same wherever it is taken.

`review_serialise` reads relations through `.all()`: give it a review loaded with `SERIALISED_RELATIONS`
prefetched and it runs no query (the packages snapshot does this for every review of a compile).
"""

import copy

from django.db.models import Prefetch, prefetch_related_objects

from iscm_portal.content_versions import content_hash

from .enums import OBJECTIVE_TEXT_FIELDS
from .models import ObjectiveReport, Review

SERIALISED_RELATIONS = (
    Prefetch(
        "objective_reports",
        queryset=ObjectiveReport.objects.select_related("objective").prefetch_related("guiding_principles"),
    ),
    "participating_states",
    "meetings",
    "attachments",
)


def review_serialise(review: Review) -> dict:
    """The review's content as JSON-ready data (the same shape for history, comparison and content hashes)."""
    return {
        "language": review.language,
        "method": review.method,
        "mandate": review.mandate,
        "participating_states": sorted(state.iso3 for state in review.participating_states.all()),
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
                **{name: getattr(report, name) for name in OBJECTIVE_TEXT_FIELDS},
                "guiding_principles": sorted(principle.slug for principle in report.guiding_principles.all()),
            }
            for report in review.objective_reports.all()
        },
        "attachments": [
            {"name": attachment.original_name, "description": attachment.description, "sha256": attachment.sha256}
            for attachment in review.attachments.all()
        ],
    }


def review_content_hash(review: Review) -> str:
    return content_hash(review_serialise(review))


def review_serialise_current(review: Review) -> dict:
    """`review_serialise` of the relations as they are now in the database.

    A caller's instance may hold relations prefetched before the save that is being recorded; they are read
    again on a copy, so the caller's instance is left as it was.
    """
    current = copy.copy(review)
    current._prefetched_objects_cache = {}
    prefetch_related_objects([current], *SERIALISED_RELATIONS)
    return review_serialise(current)
