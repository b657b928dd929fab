import pytest

from mechanisms.models import State
from reviews.enums import ReviewStatus as S
from reviews.exceptions import TransitionNotAllowed, TransitionRequirementsNotMet
from reviews.models import ReviewTransition
from reviews.workflow import TRANSITIONS, available_actions, review_transition
from tests.factories import ObjectiveReportFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete_review(bali):
    review = ReviewFactory(mechanism=bali)
    review.participating_states.set(State.objects.filter(iso3__in=["IDN", "AUS"]))
    ObjectiveReportFactory(review=review)
    return review


def test_submit_complete_draft_records_transition(complete_review, bali_secretariat):
    record = review_transition(review=complete_review, action="submit", by=bali_secretariat)
    complete_review.refresh_from_db()
    assert complete_review.status == S.SUBMITTED
    assert complete_review.submitted_at is not None
    assert (record.from_status, record.to_status, record.by) == (S.DRAFT, S.SUBMITTED, bali_secretariat)


def test_submit_incomplete_draft_lists_every_problem_and_changes_nothing(bali, bali_secretariat):
    review = ReviewFactory(mechanism=bali, method="", key_messages="")
    with pytest.raises(TransitionRequirementsNotMet) as error:
        review_transition(review=review, action="submit", by=bali_secretariat)
    assert error.value.problems == [
        "Describe how the review was carried out.",
        "Write the key messages to the IMRF.",
        "Choose the States that took part.",
        "Report progress on at least one GCM objective.",
    ]
    review.refresh_from_db()
    assert review.status == S.DRAFT
    assert ReviewTransition.objects.count() == 0


def test_other_secretariat_cannot_submit(complete_review, midwa_secretariat):
    with pytest.raises(TransitionNotAllowed):
        review_transition(review=complete_review, action="submit", by=midwa_secretariat)
    complete_review.refresh_from_db()
    assert complete_review.status == S.DRAFT


def test_secretariat_cannot_approve_own_review(complete_review, bali_secretariat):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    with pytest.raises(TransitionNotAllowed):
        review_transition(review=complete_review, action="approve", by=bali_secretariat)


def test_iom_approves_submitted_review(complete_review, bali_secretariat, iom_user):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    review_transition(review=complete_review, action="approve", by=iom_user)
    complete_review.refresh_from_db()
    assert complete_review.status == S.APPROVED
    assert list(complete_review.transitions.values_list("action", flat=True)) == ["submit", "approve"]


def test_approve_from_draft_is_refused(complete_review, iom_user):
    with pytest.raises(TransitionNotAllowed) as error:
        review_transition(review=complete_review, action="approve", by=iom_user)
    assert str(error.value) == "A review that is “Draft” cannot be changed with “Approve”."


def test_reopen_needs_a_reason(complete_review, bali_secretariat, iom_user):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    review_transition(review=complete_review, action="approve", by=iom_user)
    with pytest.raises(TransitionRequirementsNotMet):
        review_transition(review=complete_review, action="reopen", by=iom_user, reason="  ")
    review_transition(review=complete_review, action="reopen", by=iom_user, reason="Data for 2023 corrected")
    complete_review.refresh_from_db()
    assert complete_review.status == S.REOPENED


def test_available_actions_by_role(complete_review, bali_secretariat, iom_user):
    assert [action for action, _ in available_actions(review=complete_review, user=bali_secretariat)] == ["submit"]
    assert available_actions(review=complete_review, user=iom_user) == []


def test_every_transition_targets_a_known_status():
    assert {t.target for t in TRANSITIONS.values()} <= set(S.values)
    assert all(t.sources <= set(S.values) for t in TRANSITIONS.values())
