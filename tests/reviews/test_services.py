import pytest

from gcm.models import GuidingPrinciple, Objective
from mechanisms.models import State
from reviews.enums import ReviewStatus as S
from reviews.exceptions import ReviewNotEditable
from reviews.models import ObjectiveReport, Review
from reviews.serialisation import review_serialise_current
from reviews.services import (
    EditConflict,
    NoPreviousReview,
    ReviewAlreadyExists,
    objective_report_save,
    review_create,
    review_overview_update,
    review_start_from_previous,
)
from reviews.workflow import review_transition
from tests.factories import ReviewCycleFactory, ReviewMeetingFactory, complete_review_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_2020(bali, bali_secretariat, iom_user):
    review = complete_review_create(mechanism=bali, cycle=ReviewCycleFactory(review_year=2020), objectives=(6, 10))
    review.objective_reports.get(objective__number=10).guiding_principles.set(GuidingPrinciple.objects.all()[:2])
    ReviewMeetingFactory(review=review)
    review_transition(review=review, action="submit", by=bali_secretariat)
    review_transition(review=review, action="approve", by=iom_user)
    return Review.objects.get(pk=review.pk)


def test_start_from_previous_copies_text_and_leaves_old_review_untouched(approved_2020, bali, bali_secretariat):
    before = review_serialise_current(approved_2020)
    cycle = ReviewCycleFactory(review_year=2024)
    review = review_start_from_previous(mechanism=bali, cycle=cycle, by=bali_secretariat)
    new = review_serialise_current(review)
    assert (review.status, review.started_from, review.cycle) == (S.DRAFT, approved_2020, cycle)
    assert new["objectives"] == before["objectives"]
    assert new["participating_states"] == before["participating_states"]
    assert (new["method"], new["meetings"], new["attachments"]) == (before["method"], [], [])
    objective_report_save(
        review=review,
        objective=Objective.objects.get(number=6),
        data={"progress": "Updated for 2024."},
        loaded_revision=1,
        by=bali_secretariat,
    )
    approved_2020.refresh_from_db()
    assert review_serialise_current(approved_2020) == before
    assert approved_2020.status == S.APPROVED


def test_start_from_previous_without_approved_review_is_refused(bali, bali_secretariat):
    with pytest.raises(NoPreviousReview):
        review_start_from_previous(mechanism=bali, cycle=ReviewCycleFactory(review_year=2024), by=bali_secretariat)


def test_second_review_in_same_cycle_is_refused(bali, bali_secretariat):
    cycle = ReviewCycleFactory(review_year=2024)
    review_create(mechanism=bali, cycle=cycle, by=bali_secretariat)
    with pytest.raises(ReviewAlreadyExists):
        review_create(mechanism=bali, cycle=cycle, by=bali_secretariat)


def test_overview_update_with_stale_revision_changes_nothing(bali, bali_secretariat):
    review = review_create(mechanism=bali, cycle=ReviewCycleFactory(), by=bali_secretariat)
    idn = State.objects.get(iso3="IDN")
    data = {"method": "Mine", "participating_states": [idn]}
    review_overview_update(review=review, data=data, meetings=[], loaded_revision=1, by=bali_secretariat)
    with pytest.raises(EditConflict) as error:
        review_overview_update(
            review=review, data={"method": "Theirs"}, meetings=[], loaded_revision=1, by=bali_secretariat
        )
    review.refresh_from_db()
    assert (review.method, review.revision, error.value.current_revision) == ("Mine", 2, 2)
    assert list(review.participating_states.all()) == [idn]


def test_objective_emptied_is_removed(bali, bali_secretariat):
    review = review_create(mechanism=bali, cycle=ReviewCycleFactory(), by=bali_secretariat)
    objective = Objective.objects.get(number=2)
    objective_report_save(
        review=review, objective=objective, data={"progress": "x"}, loaded_revision=0, by=bali_secretariat
    )
    objective_report_save(
        review=review, objective=objective, data={"progress": "  "}, loaded_revision=1, by=bali_secretariat
    )
    assert ObjectiveReport.objects.filter(review=review).count() == 0


def test_submitted_review_cannot_be_edited(bali, bali_secretariat):
    review = complete_review_create(mechanism=bali)
    review_transition(review=review, action="submit", by=bali_secretariat)
    with pytest.raises(ReviewNotEditable):
        objective_report_save(
            review=review,
            objective=Objective.objects.get(number=6),
            data={"progress": "y"},
            loaded_revision=1,
            by=bali_secretariat,
        )
    assert review.objective_reports.get().progress == "Member States adopted a regional framework on fair recruitment."


def test_attachment_refused_once_submitted(bali, bali_secretariat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reviews.services import attachment_add

    review = complete_review_create(mechanism=bali)
    review_transition(review=review, action="submit", by=bali_secretariat)
    with pytest.raises(ReviewNotEditable) as error:
        attachment_add(
            review=review, upload=SimpleUploadedFile("a.csv", b"a,b\n1,2\n"), description="x", by=bali_secretariat
        )
    assert str(error.value) == "This review is “Submitted”, so its content cannot be changed now."
    assert review.attachments.count() == 0
