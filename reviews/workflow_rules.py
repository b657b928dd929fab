"""Who may follow, comment on and compare a review in the workflow (issue 5).

Written against the role predicates of accounts.rules and `is_review_secretariat`; the review pages'
own view/change rules live in reviews/rules.py.
"""

import rules

from accounts.rules import is_focal_point, is_iom_or_admin, is_iom_staff, is_secretariat_staff, is_site_admin

from .enums import ReviewStatus as S

# IOM reviewers open a comment thread only on a review that is with them.
COMMENTABLE_STATUSES = frozenset({S.SUBMITTED, S.IN_REVIEW})
# Threads stay open for replies and resolution while the review goes back and forth; an approved
# (read-only), withdrawn or draft review takes no comment activity.
DISCUSSABLE_STATUSES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.REOPENED})
# What a Member State's focal point may see of their mechanisms' reviews.
FOCAL_POINT_VISIBLE_STATUSES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED, S.REOPENED})


@rules.predicate
def is_review_secretariat(user, review):
    return review is not None and user.is_authenticated and review.mechanism_id in user.secretariat_mechanism_ids


@rules.predicate
def is_not_draft(user, review):
    # A draft (never submitted, or resumed after withdrawal) is the secretariat's own working copy.
    return review is not None and review.status != S.DRAFT


@rules.predicate
def is_commentable(user, review):
    return review is not None and review.status in COMMENTABLE_STATUSES


@rules.predicate
def is_discussable(user, review):
    return review is not None and review.status in DISCUSSABLE_STATUSES


can_view_workflow = is_review_secretariat | is_site_admin | (is_iom_staff & is_not_draft)
can_comment = is_iom_or_admin & is_commentable & can_view_workflow
can_reply = (is_iom_or_admin | is_review_secretariat) & is_discussable & can_view_workflow
# Resolution is IOM's call: the reviewer who asked decides whether the change answers the comment.
can_resolve = is_iom_or_admin & is_discussable

rules.add_perm("reviews.view_review_workflow", can_view_workflow)
rules.add_perm("reviews.add_review_comment", can_comment)
rules.add_perm("reviews.reply_review_comment", can_reply)
rules.add_perm("reviews.resolve_review_comment", can_resolve)
rules.add_perm("reviews.view_focal_point_dashboard", is_focal_point)
rules.add_perm("reviews.view_secretariat_dashboard", is_secretariat_staff)
