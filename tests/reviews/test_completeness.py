import pytest

from gcm.models import Objective
from reviews.completeness import review_completeness
from tests.factories import ObjectiveReportFactory, ReviewFactory, complete_review_create

pytestmark = pytest.mark.django_db


def test_complete_review_has_no_problems(bali):
    result = review_completeness(complete_review_create(mechanism=bali))
    assert (result.is_complete, result.objectives_addressed, result.filled_count) == (True, 1, 4)


def test_started_objective_without_progress_blocks_submission(bali):
    review = complete_review_create(mechanism=bali)
    ObjectiveReportFactory(review=review, objective=Objective.objects.get(number=12), progress="", challenges="Gaps")
    assert [(p.message, p.anchor) for p in review_completeness(review).problems] == [
        ("Objective 12: describe the progress made.", "objective-12-progress")
    ]


def test_empty_review_items_say_what_is_missing(bali):
    review = ReviewFactory(mechanism=bali, method="", key_messages="")
    result = review_completeness(review)
    assert [(item.anchor, item.filled, item.required) for item in result.items] == [
        ("overview-method", False, True),
        ("overview-meetings", False, False),
        ("overview-mandate", False, False),
        ("overview-participating_states", False, True),
        ("overview-stakeholders_consulted", False, False),
        ("overview-partnerships", False, False),
        ("overview-key_messages", False, True),
        ("objectives", False, True),
        ("attachments", False, False),
    ]
