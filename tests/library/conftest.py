import pytest

from gcm.models import Objective
from library.services import library_index_review
from mechanisms.models import Mechanism
from reviews.enums import ReviewStatus
from tests.factories import ApprovedReviewFactory, PracticeReportFactory, ReviewCycleFactory


@pytest.fixture
def make_report(reference_data):
    """An objective report of `slug`'s review for `year`, indexed in the library."""

    def make(slug="bali-process", number=6, year=2024, status=ReviewStatus.APPROVED, **texts):
        cycle = ReviewCycleFactory(review_year=year)
        mechanism = Mechanism.objects.get(slug=slug)
        review = mechanism.reviews.filter(cycle=cycle).first() or ApprovedReviewFactory(
            mechanism=mechanism, cycle=cycle, status=status
        )
        report = PracticeReportFactory(review=review, objective=Objective.objects.get(number=number), **texts)
        library_index_review(review=review)
        return report

    return make
