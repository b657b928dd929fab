import pytest

from accounts.demo import demo_users_create
from reviews.demo import demo_reviews_create
from reviews.enums import ReviewStatus as S
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_demo_reviews_in_every_state_and_idempotent(reference_data):
    demo_users_create(password="x")
    demo_reviews_create(password="x")
    demo_reviews_create(password="x")
    assert sorted(Review.objects.values_list("mechanism__slug", "cycle__slug", "status")) == [
        ("bali-process", "2020-21-regional-reviews", S.APPROVED),
        ("midwa", "2024-regional-reviews", S.DRAFT),
        ("rabat-process", "2024-regional-reviews", S.APPROVED),
        ("rcm-puebla-process", "2024-regional-reviews", S.SUBMITTED),
    ]
    assert Review.objects.get(mechanism__slug="rabat-process").transitions.count() == 2


def test_demo_complete_review_has_meetings_objectives_and_attachment(reference_data):
    demo_users_create(password="x")
    demo_reviews_create(password="x")
    rabat = Review.objects.get(mechanism__slug="rabat-process")
    assert rabat.meetings.count() == 2
    assert list(rabat.objective_reports.values_list("objective__number", flat=True)) == [1, 5, 19, 20]
    assert list(rabat.attachments.values_list("content_type", flat=True)) == ["text/csv"]
    assert list(rabat.versions.values_list("number", "sealed", "status")) == [(1, True, "submitted")]
