"""The workflow part of the demo: demo reviews are submitted, commented, sent back and approved as people do it.

Every step calls the same services as the pages (workflow transitions, comments), so the demo reviews carry
the versions, the history with its actors and the e-mails a real review has.
"""

import datetime

from django.utils import timezone

from .comments import comment_add, comment_reply, comment_resolve
from .enums import ReviewStatus as S
from .models import Review
from .workflow import review_transition


def _open_threads(review: Review):
    return review.comments.filter(parent__isnull=True, resolved_at__isnull=True).order_by("pk")


def demo_review_submit(review: Review, *, secretariat) -> None:
    review_transition(review=review, action="submit", by=secretariat)


def demo_review_backdate(review: Review, *, days: int) -> None:
    """A demo review submitted `days` ago, so the dashboards show a wait that looks like a working week (the demo's
    only write outside the services: a real step is dated when it is taken)."""
    when = timezone.now() - datetime.timedelta(days=days)
    review.transitions.update(at=when)
    Review.objects.filter(pk=review.pk).update(submitted_at=when)


def demo_review_send_back(review: Review, *, iom, comments: list[tuple[str, str]], note: str = "") -> None:
    """IOM takes the submitted review in review, comments on it and asks for changes (with a cover note)."""
    review_transition(review=review, action="start_review", by=iom)
    for part, body in comments:
        comment_add(review=review, part=part, body=body, by=iom)
    review_transition(review=review, action="request_changes", by=iom, reason=note)


def demo_review_reply(review: Review, *, secretariat, body: str) -> None:
    """The secretariat answers every open comment thread of its review."""
    for comment in _open_threads(review):
        comment_reply(parent=comment, body=body, by=secretariat)


def demo_review_approve(review: Review, *, iom) -> None:
    """IOM takes the review in review, resolves the comments that were answered, and approves it."""
    review.refresh_from_db(fields=["status"])
    if review.status == S.SUBMITTED:
        review_transition(review=review, action="start_review", by=iom)
    for comment in _open_threads(review):
        comment_resolve(comment=comment, by=iom)
    review_transition(review=review, action="approve", by=iom)
