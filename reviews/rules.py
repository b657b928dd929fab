"""Who may read, write and create reviews, cycles and attachments.

Views check these per object with `accounts.permissions.permission_required`: an anonymous user who may
not see something is sent to log in (302), a logged-in user gets 403, and a missing object is a 404.
"""

import rules

from accounts.rules import is_iom_or_admin
from mechanisms.models import Membership
from mechanisms.rules import is_mechanism_secretariat

from .enums import EDITABLE_STATUSES, ReviewStatus

# Focal points of the mechanism's States read a review once it has left the secretariat's hands.
HIDDEN_FROM_FOCAL_POINTS = frozenset({ReviewStatus.DRAFT, ReviewStatus.WITHDRAWN})


@rules.predicate
def is_secretariat_of_review(user, review):
    return review is not None and user.is_authenticated and review.mechanism_id in user.secretariat_mechanism_ids


@rules.predicate
def is_review_editable(user, review):
    return review is not None and review.status in EDITABLE_STATUSES


@rules.predicate
def is_review_approved(user, review):
    return review is not None and review.status == ReviewStatus.APPROVED


@rules.predicate
def is_review_shown_to_focal_points(user, review):
    return review is not None and review.status not in HIDDEN_FROM_FOCAL_POINTS


@rules.predicate
def is_focal_point_of_review_state(user, review):
    """The user is the focal point of a current Member or Observer State of the review's mechanism."""
    if review is None or not user.is_authenticated or not user.focal_point_state_id:
        return False
    return (
        Membership.objects.current()
        .filter(mechanism_id=review.mechanism_id, state_id=user.focal_point_state_id)
        .exists()
    )


can_view_review = (
    is_iom_or_admin
    | is_secretariat_of_review
    | is_review_approved
    | (is_review_shown_to_focal_points & is_focal_point_of_review_state)
)

rules.add_perm("reviews.view_review", can_view_review)
rules.add_perm("reviews.change_review", is_secretariat_of_review & is_review_editable)
# Checked against the mechanism the review would be for.
rules.add_perm("reviews.add_review", is_mechanism_secretariat)
rules.add_perm("reviews.manage_cycles", is_iom_or_admin)
