"""Keeps the library's index in step with review content, through the reviews app's signal."""

from django.dispatch import receiver

from reviews.signals import review_content_changed

from .tasks import index_review


@receiver(review_content_changed, dispatch_uid="library-index-review")
def queue_review_indexing(sender, review_id: int, **kwargs) -> None:
    index_review.delay(review_id)
