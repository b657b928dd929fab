"""Demo content for the review workflow: the demo reviews, once submitted, go through IOM's review."""

from accounts.models import User

from .comments import comment_add
from .enums import ReviewStatus as S
from .models import Review
from .workflow import review_transition


def demo_workflow_create(*, password: str) -> list[str]:
    """Send the first submitted demo review back with comments and approve the second; safe to run again.

    Runs after the demo reviews are created (seed_demo's DEMO_STEPS order); reviews that already have
    comments are left alone, so a second run changes nothing.
    """
    iom = User.objects.filter(username="iom.reviewer").first()
    if iom is None:
        return []
    submitted = list(
        Review.objects.filter(status=S.SUBMITTED, comments__isnull=True)
        .select_related("mechanism", "cycle")
        .order_by("mechanism__acronym")
    )
    lines = []
    if submitted:
        review = submitted[0]
        report = review.objective_reports.select_related("objective").first()
        part = f"objective:{report.objective.number}" if report else "review"
        comment_add(
            review=review,
            part=part,
            body="Please add the figures for 2023 and say where they come from.",
            by=iom,
        )
        comment_add(
            review=review,
            part="overview",
            body="Which Member States took part in the consultations?",
            by=iom,
        )
        review_transition(review=review, action="request_changes", by=iom)
        lines.append(f"  workflow: {review.mechanism.acronym} sent back with comments (/reviews/{review.pk}/workflow/)")
    if len(submitted) > 1:
        review = submitted[1]
        review_transition(review=review, action="approve", by=iom)
        lines.append(f"  workflow: {review.mechanism.acronym} approved (/reviews/{review.pk}/workflow/)")
    return lines
