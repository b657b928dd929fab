import factory
from django.utils import timezone

from reviews.enums import ReviewStatus

from .reviews import ObjectiveReportFactory, ReviewFactory

__all__ = ["ApprovedReviewFactory", "PracticeReportFactory"]


class ApprovedReviewFactory(ReviewFactory):
    status = ReviewStatus.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class PracticeReportFactory(ObjectiveReportFactory):
    """An objective report whose good practices, challenges and recommendations feed the library."""

    review = factory.SubFactory(ApprovedReviewFactory)
    good_practices = (
        "- **Ethical recruitment standards.** Member States adopted a code on ethical recruitment of migrant workers.\n"
        "- Pre-departure orientation reaches most outgoing workers."
    )
    challenges = "Recruitment fees are still charged to workers in several corridors."
    recommendations = "1. Abolish recruitment fees charged to workers.\n2. Share complaint data across the region."
