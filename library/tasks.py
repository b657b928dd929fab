from celery import shared_task

from reviews.models import Review

from .services import library_index_review, library_reindex_stale


@shared_task(name="library.index_review")
def index_review(review_id: int) -> int:
    """Rebuild a review's library entries after its content or status changed; a deleted review is ignored."""
    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        return 0
    return library_index_review(review=review)


@shared_task(name="library.reindex_stale")
def reindex_stale() -> int:
    """Periodic safety net: reindex reviews edited since their last indexing (a missed hook costs minutes, not data)."""
    return library_reindex_stale()
