"""Versions of a review's content: snapshots taken on save, coalesced while one person keeps typing.

Every save records its version in the save's own transaction, with the review row locked: saves of one
review (different objectives, several tabs, several people) take their turn, each version number is taken
by one of them only, and the content a version holds is read under the lock, so the latest version is
always what is stored.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from iscm_portal import page_cache

from .models import Review, ReviewVersion
from .serialisation import content_hash, review_serialise_current

# Autosaves by the same person within this window update their open version instead of adding one.
COALESCE_WINDOW = datetime.timedelta(minutes=15)


def review_version_record(*, review: Review, by, seal: bool = False, imported_from: str = "") -> ReviewVersion:
    """Keep the current content as a version; unchanged content adds nothing.

    Call after every content save (seal=False) and on workflow steps such as submission (seal=True),
    so the submitted text stays a version of its own. Best called inside the save's transaction.
    `imported_from` names the Word document the change came from: it is always a version of its own.
    """
    page_cache.content_changed(page_cache.REVIEW_ACTIVITY)
    with transaction.atomic():
        # The lock on the review row orders concurrent saves; the content is read after taking it.
        review = Review.objects.select_for_update().get(pk=review.pk)
        content = review_serialise_current(review)
        digest = content_hash(content)
        now = timezone.now()
        latest = ReviewVersion.objects.filter(review=review).order_by("-number").first()
        if latest and latest.content_hash == digest:
            if seal and not latest.sealed:
                latest.sealed = True
                latest.status = review.status
                latest.save(update_fields=["sealed", "status"])
            return latest
        if (
            latest
            and not latest.sealed
            and not latest.exported
            and not latest.imported_from
            and not seal
            and not imported_from
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
            imported_from=imported_from[:255],
        )


def review_version_for_word(*, review: Review, by) -> ReviewVersion:
    """The version a Word document of the review is made from: the current content, kept as it is from now on
    (later saves start a new version instead of updating it), so an upload can be compared with it."""
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        latest = ReviewVersion.objects.filter(review=locked).order_by("-number").first()
        if latest is None or latest.content_hash != content_hash(review_serialise_current(locked)):
            latest = review_version_record(review=locked, by=by)
        if not latest.exported:
            latest.exported = True
            latest.save(update_fields=["exported"])
        return latest
