import factory

from mechanisms.models import State
from reviews.enums import ReviewStatus as S
from reviews.models import Comment
from reviews.workflow import review_transition

from .accounts import UserFactory
from .reviews import ObjectiveReportFactory, ReviewFactory

__all__ = ["CommentFactory", "complete_review", "review_in_status"]


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    review = factory.SubFactory(ReviewFactory)
    part = "objective:6"
    author = factory.LazyFunction(lambda: UserFactory(username="iom-commenter", is_iom_staff=True))
    body = "Please add the figures for 2023."


def complete_review(mechanism, **kwargs):
    """A draft with everything submission requires."""
    review = ReviewFactory(mechanism=mechanism, **kwargs)
    review.participating_states.set(State.objects.filter(iso3__in=["IDN", "AUS"]))
    ObjectiveReportFactory(review=review)
    return review


# The real steps that lead from a draft to each status.
_PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.IN_REVIEW: ["submit", "start_review"],
    S.CHANGES_REQUESTED: ["submit", "comment", "request_changes"],
    S.APPROVED: ["submit", "approve"],
    S.WITHDRAWN: ["submit", "withdraw"],
    S.REOPENED: ["submit", "approve", "reopen"],
}


def review_in_status(status, *, mechanism, secretariat, iom, **kwargs):
    """A complete review brought to `status` through the workflow itself, as people would."""
    review = complete_review(mechanism, **kwargs)
    for step in _PATHS[status]:
        if step == "comment":
            CommentFactory(review=review, author=iom, part="objective:6")
        elif step in {"submit", "withdraw"}:
            review_transition(review=review, action=step, by=secretariat)
        else:
            review_transition(review=review, action=step, by=iom, reason="Figures corrected")
    review.refresh_from_db()
    assert review.status == status
    return review
