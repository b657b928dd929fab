"""Keeps the library's index in step with review content, through the reviews app's signal."""

from django.dispatch import receiver

from operations.outbox import outbox_send
from reviews.signals import review_content_changed


@receiver(review_content_changed, dispatch_uid="library-index-review")
def queue_review_indexing(sender, review_id: int, **kwargs) -> None:
    # Through the outbox, so an autosave never waits on a broker that is down (reindex_stale also catches up).
    outbox_send("library.index_review", args=[review_id])
