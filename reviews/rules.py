"""Every permission of the reviews app, from submission to workflow, in one place.

Views check these per object with `accounts.permissions.permission_required`: an anonymous user who may
not see something is sent to log in (302), a logged-in user gets 403, and a missing object is a 404.
django-rules registers them by autodiscovery of this module (`rules.apps.AutodiscoverRulesConfig`).

Who sees what (the decisions behind the predicates below):

- The mechanism's own secretariat sees and works on its reviews in every status; it edits the content only
  while the status is in EDITABLE_STATUSES (draft, changes requested, reopened).
- A draft (never submitted, or resumed after a withdrawal) is the secretariat's own working copy: IOM staff
  see that it exists and its status on the IOM dashboard, but not its content until it is submitted.
  Nobody else can open another secretariat's draft by crafting a request.
- IOM staff read every review that has been submitted at least once, and run the workflow on it.
- Focal points of the mechanism's current Member or Observer States read a review once submitted, but not
  while it is a draft or withdrawn. They do not see the workflow (comments, history, versions).
- Everyone, anonymous included, reads an approved review.
- An approved review is read-only for everyone until IOM reopens it; the edit services refuse any
  non-editable status with `ReviewNotEditable` whoever asks.

Site administrators (superusers, `is_site_admin`) get from these rules exactly what is written here, no more:
`accounts.models.User.has_perm` lets the rules answer every permission they declare, for superusers too.

- They MAY read every review in every status, follow its workflow, and act as IOM in it: comment, reply,
  resolve, start the review, request changes, approve and reopen (`is_iom_or_admin` in reviews/workflow.py);
  they manage review cycles.
- They may NOT change a review's content, in any status (it is the secretariat's text: they are not its
  secretariat, and an approved review is closed to everyone), start a review for a mechanism, manage its
  attachments, or take the secretariat's steps (submit, withdraw, resume). The focal-point dashboard is
  for focal points.
- In Django's admin (which asks `reviews.view_review` and `reviews.change_review` with no review), they
  browse reviews but cannot add or change them there: status and content change only through the portal.
"""

import rules

from accounts.rules import is_focal_point, is_iom_or_admin, is_iom_staff, is_site_admin
from mechanisms.models import Membership
from mechanisms.rules import is_mechanism_secretariat

from .enums import EDITABLE_STATUSES
from .enums import ReviewStatus as S

# Focal points of the mechanism's States read a review once it has left the secretariat's hands.
HIDDEN_FROM_FOCAL_POINTS = frozenset({S.DRAFT, S.WITHDRAWN})
FOCAL_POINT_VISIBLE_STATUSES = frozenset(set(S) - HIDDEN_FROM_FOCAL_POINTS)
# The secretariat's own working copy: only it (and site administrators) read the content.
HIDDEN_FROM_IOM = frozenset({S.DRAFT})
# IOM reviewers open a comment thread only on a review that is with them.
COMMENTABLE_STATUSES = frozenset({S.SUBMITTED, S.IN_REVIEW})
# Threads stay open for replies and resolution while the review goes back and forth; an approved
# (read-only), withdrawn or draft review takes no new comment or reply (resolving: see can_resolve).
DISCUSSABLE_STATUSES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.REOPENED})


@rules.predicate
def is_secretariat_of_review(user, review):
    return review is not None and user.is_authenticated and review.mechanism_id in user.secretariat_mechanism_ids


# The name the workflow table (reviews/workflow.py) uses.


@rules.predicate
def is_review_editable(user, review):
    return review is not None and review.status in EDITABLE_STATUSES


@rules.predicate
def is_review_approved(user, review):
    return review is not None and review.status == S.APPROVED


@rules.predicate
def is_review_shown_to_focal_points(user, review):
    return review is not None and review.status not in HIDDEN_FROM_FOCAL_POINTS


@rules.predicate
def is_review_shown_to_iom(user, review):
    return review is not None and review.status not in HIDDEN_FROM_IOM


@rules.predicate
def is_commentable(user, review):
    return review is not None and review.status in COMMENTABLE_STATUSES


@rules.predicate
def is_discussable(user, review):
    return review is not None and review.status in DISCUSSABLE_STATUSES


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


# Who follows the workflow of a review: its status actions, comments, history and versions.
can_view_workflow = is_secretariat_of_review | is_site_admin | (is_iom_staff & is_review_shown_to_iom)
can_view_review = (
    can_view_workflow | is_review_approved | (is_review_shown_to_focal_points & is_focal_point_of_review_state)
)
can_change_review = is_secretariat_of_review & is_review_editable
can_comment = is_iom_or_admin & is_commentable & can_view_workflow
can_reply = (is_iom_or_admin | is_secretariat_of_review) & is_discussable & can_view_workflow
# Resolution is IOM's call: the reviewer who asked decides whether the change answers the comment. A comment
# left open when IOM approved anyway (reviews/workflow.py) can still be resolved on the approved review.
can_resolve = is_iom_or_admin & (is_discussable | is_review_approved)

# Word round trip (reviews/word.py): whoever follows the workflow downloads the review as Word; the secretariat
# uploads it back while it may edit, IOM (and administrators, acting as IOM) while the review is with them, to
# bring in the comments made in Word (the text is frozen then: only comments are taken). Approved: nobody.
can_import_word = (is_secretariat_of_review & is_review_editable) | (
    is_iom_or_admin & is_commentable & can_view_workflow
)
# Word comments become comment threads on their part: IOM's as its review comments, the secretariat's as notes
# it opens on its own draft.
can_add_word_comments = can_comment | (is_secretariat_of_review & is_review_editable)

rules.add_perm("reviews.view_review", can_view_review)
rules.add_perm("reviews.change_review", can_change_review)
# Uploading and removing files: the secretariat's, any status (the services refuse a frozen review with a message).
rules.add_perm("reviews.manage_attachments", is_secretariat_of_review)
# Checked against the mechanism the review would be for.
rules.add_perm("reviews.add_review", is_mechanism_secretariat)
rules.add_perm("reviews.manage_cycles", is_iom_or_admin)
rules.add_perm("reviews.view_review_workflow", can_view_workflow)
rules.add_perm("reviews.download_review_word", can_view_workflow)
rules.add_perm("reviews.import_review_word", can_import_word)
rules.add_perm("reviews.add_review_comment", can_comment)
rules.add_perm("reviews.reply_review_comment", can_reply)
rules.add_perm("reviews.resolve_review_comment", can_resolve)
rules.add_perm("reviews.view_focal_point_dashboard", is_focal_point)
