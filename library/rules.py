import rules

from accounts.rules import is_iom_or_admin
from reviews.enums import ReviewStatus


@rules.predicate
def is_from_approved_review(user, practice):
    return practice is not None and practice.review.status == ReviewStatus.APPROVED


@rules.predicate
def is_secretariat_of_practice(user, practice):
    return practice is not None and user.is_authenticated and practice.mechanism_id in user.secretariat_mechanism_ids


# The public (anyone, signed in or not) sees what approved reviews say; IOM staff and administrators see
# everything, and a secretariat its own mechanisms' reviews in any status, marked with the review's status.
rules.add_perm("library.view_library", rules.always_allow)
rules.add_perm("library.view_unapproved", is_iom_or_admin)
rules.add_perm("library.view_practice", is_iom_or_admin | is_from_approved_review | is_secretariat_of_practice)
