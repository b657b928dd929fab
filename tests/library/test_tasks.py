import pytest

from gcm.models import Objective
from library.models import Practice
from library.tasks import index_review
from mechanisms.models import Mechanism
from tests.factories import ApprovedReviewFactory, PracticeReportFactory

pytestmark = pytest.mark.integration


def test_index_review_task_runs_on_a_real_worker(celery_worker_process, reference_data):
    review = ApprovedReviewFactory(mechanism=Mechanism.objects.get(slug="midwa"))
    PracticeReportFactory(review=review, objective=Objective.objects.get(number=6))
    result = index_review.delay(review.pk)
    assert result.get(timeout=60) == 5
    assert Practice.objects.filter(review=review).count() == 5
