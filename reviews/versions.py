"""Versions of a review's content: snapshots taken on save, coalesced while one person keeps typing.

Every save records its version in the save's own transaction, with the review row locked: saves of one
review (different objectives, several tabs, several people) take their turn, each version number is taken
by one of them only, and the content a version holds is read under the lock, so the latest version is
always what is stored. When a version is kept, merged or started is iscm_portal/content_versions.py's rule;
a review adds its Word marks to it.
"""

from django.db import transaction

from iscm_portal import page_cache
from iscm_portal.content_versions import content_version_record

from .models import Review, ReviewVersion
from .serialisation import content_hash, review_serialise_current


def _word_marked(version: ReviewVersion) -> bool:
    """A Word document was made from the version or it came from one: it stays as it is, the base an upload is
    compared with or the record of what the upload changed."""
    return version.exported or bool(version.imported_from)


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
        return content_version_record(
            versions=ReviewVersion.objects.filter(review=review),
            owner={"review": review},
            content=review_serialise_current(review),
            by=by,
            seal=seal,
            fields={"status": review.status},
            mark={"imported_from": imported_from[:255]} if imported_from else None,
            marked=_word_marked,
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
