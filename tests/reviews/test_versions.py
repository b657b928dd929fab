import datetime

import pytest
from django.utils import timezone

from reviews.models import ReviewVersion
from reviews.versions import COALESCE_WINDOW, review_version_record
from tests.factories import ObjectiveReportFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(bali):
    review = ReviewFactory(mechanism=bali)
    ObjectiveReportFactory(review=review, progress="First text.")
    return review


def test_version_snapshot_holds_objective_text(review, bali_secretariat):
    version = review_version_record(review=review, by=bali_secretariat)
    assert version.number == 1
    assert version.content["objectives"]["6"]["progress"] == "First text."
    assert version.content["method"] == "Two regional consultations and a written survey of Member States."


def test_version_unchanged_content_adds_nothing(review, bali_secretariat):
    first = review_version_record(review=review, by=bali_secretariat)
    again = review_version_record(review=review, by=bali_secretariat)
    assert again.pk == first.pk
    assert ReviewVersion.objects.filter(review=review).count() == 1


def test_version_autosaves_by_same_person_coalesce(review, bali_secretariat):
    review_version_record(review=review, by=bali_secretariat)
    review.objective_reports.update(progress="Second text.")
    version = review_version_record(review=review, by=bali_secretariat)
    assert (version.number, version.content["objectives"]["6"]["progress"]) == (1, "Second text.")


def test_version_after_window_or_seal_starts_new(review, bali_secretariat):
    first = review_version_record(review=review, by=bali_secretariat, seal=True)
    review.objective_reports.update(progress="After submission.")
    second = review_version_record(review=review, by=bali_secretariat)
    ReviewVersion.objects.filter(pk=second.pk).update(
        created_at=timezone.now() - COALESCE_WINDOW - datetime.timedelta(1)
    )
    review.objective_reports.update(progress="Next day.")
    third = review_version_record(review=review, by=bali_secretariat)
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert third.content["objectives"]["6"]["progress"] == "Next day."


def test_version_by_another_person_starts_new(review, bali_secretariat):
    from tests.factories import UserFactory

    colleague = UserFactory(username="bali-colleague", secretariat_mechanisms=[review.mechanism])
    review_version_record(review=review, by=bali_secretariat)
    review.objective_reports.update(progress="Colleague's text.")
    assert review_version_record(review=review, by=colleague).number == 2
