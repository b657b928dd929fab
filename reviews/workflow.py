"""The review state machine: every allowed transition, who may make it and what it requires, in one table.

Anything not in TRANSITIONS is refused by `review_transition` with a clear message and changes nothing.
A transition's `requires` must be met; its `confirm` lists what the person may knowingly go past (approving
while comments are open): `review_transition` refuses with `TransitionNeedsConfirmation` listing it, and with
`confirmed=True` goes ahead and records the list on the transition (`ReviewTransition.confirmed_problems`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rules import is_iom_or_admin
from iscm_portal import page_cache
from operations.outbox import outbox_send

from .comments import open_threads_described
from .enums import ReviewStatus as S
from .exceptions import TransitionNeedsConfirmation, TransitionNotAllowed, TransitionRequirementsNotMet
from .models import Review, ReviewTransition
from .rules import is_secretariat_of_review
from .versions import review_version_record

__all__ = ["TRANSITIONS", "NOTIFY", "available_actions", "is_secretariat_of_review", "review_transition"]


def submission_problems(review: Review) -> list[str]:
    """What still blocks submission; the review-submission work refines the checks here."""
    from .completeness import review_completeness

    return [problem.message for problem in review_completeness(review).problems]


def open_comments_problems(review: Review) -> list[str]:
    """Requesting changes needs at least one open comment telling the secretariat what to change."""
    if review.comments.filter(parent__isnull=True, resolved_at__isnull=True).exists():
        return []
    return [_("Add at least one open comment saying what should change.")]


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    allowed: Callable  # a rules predicate taking (user, review)
    label: str
    requires: tuple[Callable[[Review], list[str]], ...] = field(default=())
    needs_reason: bool = False
    # What the person must see and knowingly confirm: the checks, why, and the words of the go-ahead.
    confirm: tuple[Callable[[Review], list[str]], ...] = field(default=())
    confirm_message: str = ""
    confirm_label: str = ""
    # A step that is hard to undo asks once, saying what will happen (`ask_first`), before it is made; the page
    # or dialog that asks offers `confirm_button`. `cover_note` adds an optional note for the e-mail it sends.
    ask_first: str = ""
    confirm_button: str = ""
    cover_note: bool = False


# action: (from statuses, to status, who, what it requires)
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({S.DRAFT, S.REOPENED, S.CHANGES_REQUESTED}),
        S.SUBMITTED,
        is_secretariat_of_review,
        gettext_lazy("Submit to IOM"),
        requires=(submission_problems,),
        ask_first=gettext_lazy(
            "IOM is told by e-mail and starts reviewing it. From then on the review is frozen: you cannot change "
            "it until IOM asks for changes, or until you withdraw it."
        ),
        confirm_button=gettext_lazy("Yes, submit to IOM"),
    ),
    "start_review": Transition(frozenset({S.SUBMITTED}), S.IN_REVIEW, is_iom_or_admin, gettext_lazy("Start review")),
    "request_changes": Transition(
        frozenset({S.SUBMITTED, S.IN_REVIEW}),
        S.CHANGES_REQUESTED,
        is_iom_or_admin,
        gettext_lazy("Request changes"),
        requires=(open_comments_problems,),
        ask_first=gettext_lazy(
            "The review goes back to the secretariat, who can edit it again. They get an e-mail listing the open "
            "comments below, with your note if you write one. You cannot comment or approve until they resubmit."
        ),
        confirm_button=gettext_lazy("Yes, send it back"),
        cover_note=True,
    ),
    "approve": Transition(
        frozenset({S.SUBMITTED, S.IN_REVIEW}),
        S.APPROVED,
        is_iom_or_admin,
        gettext_lazy("Approve"),
        confirm=(open_threads_described,),  # approving leaves open comments unanswered
        confirm_message=gettext_lazy(
            "Comments on this review are still open. Resolve them first, or approve anyway: they stay open and "
            "IOM can still resolve them after approval."
        ),
        confirm_label=gettext_lazy("Approve anyway, leaving these comments open"),
        ask_first=gettext_lazy(
            "The review becomes public in the directory and the practice library, goes into the IMRF packages of "
            "its cycle, and the secretariat is told by e-mail. Only reopening it, with a reason, undoes this."
        ),
        confirm_button=gettext_lazy("Yes, approve"),
    ),
    "withdraw": Transition(
        frozenset({S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED}),
        S.WITHDRAWN,
        is_secretariat_of_review,
        gettext_lazy("Withdraw"),
    ),
    "resume": Transition(frozenset({S.WITHDRAWN}), S.DRAFT, is_secretariat_of_review, gettext_lazy("Resume as draft")),
    "reopen": Transition(
        frozenset({S.APPROVED}), S.REOPENED, is_iom_or_admin, gettext_lazy("Reopen"), needs_reason=True
    ),
}


# action: the e-mail it triggers once the transition is committed (see reviews/notifications.py).
NOTIFY: dict[str, str] = {
    "submit": "submitted",  # to IOM staff; "resubmitted" when the review was submitted before
    "request_changes": "changes_requested",  # to the mechanism's secretariat, listing the open comments
    "approve": "approved",  # to the mechanism's secretariat
    "reopen": "reopened",  # to the mechanism's secretariat, with IOM's reason
}


# A reason or a cover note is read in an e-mail: a few paragraphs at most.
REASON_MAX_CHARS = 2000


def transition_blockers(*, review: Review, action: str) -> list[str]:
    """What stops `action` on this review now (the checks `review_transition` makes), for the page that asks."""
    return [problem for check in TRANSITIONS[action].requires for problem in check(review)]


def transition_to_confirm(*, review: Review, action: str) -> list[str]:
    """What the person would knowingly go past with `action` (e.g. comments left open when approving)."""
    return [problem for check in TRANSITIONS[action].confirm for problem in check(review)]


def available_actions(*, review: Review, user) -> list[tuple[str, Transition]]:
    """The actions this user could take on this review now (requirements are checked on use)."""
    return [
        (action, transition)
        for action, transition in TRANSITIONS.items()
        if review.status in transition.sources and transition.allowed(user, review)
    ]


def review_transition(
    *, review: Review, action: str, by, reason: str = "", confirmed: bool = False
) -> ReviewTransition:
    """Move a review along one allowed transition and record who did it; refuse anything else.

    `confirmed` is the person's explicit go-ahead past the transition's `confirm` list (e.g. "approve anyway").
    `reason` is the reason a step needs (reopening) or the optional cover note it takes (requesting changes).
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(_("Unknown action."))
    # Only a step that asks for a reason or takes a cover note keeps one.
    reason = reason.strip() if transition.needs_reason or transition.cover_note else ""
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.status not in transition.sources:
            raise TransitionNotAllowed(
                _("A review that is “%(status)s” cannot be changed with “%(action)s”.")
                % {"status": review.get_status_display(), "action": transition.label}
            )
        if not transition.allowed(by, review):
            raise TransitionNotAllowed(_("You may not “%(action)s” this review.") % {"action": transition.label})
        if transition.needs_reason and not reason:
            raise TransitionRequirementsNotMet(_("A reason is required."), [_("Give a reason.")])
        if len(reason) > REASON_MAX_CHARS:
            raise TransitionRequirementsNotMet(
                _("Keep it under %(limit)s characters (it has %(length)s).")
                % {"limit": REASON_MAX_CHARS, "length": len(reason)},
                [],
            )
        problems = transition_blockers(review=review, action=action)
        if problems:
            raise TransitionRequirementsNotMet(
                _("“%(action)s” is not possible yet.") % {"action": transition.label}, problems
            )
        to_confirm = transition_to_confirm(review=review, action=action)
        if to_confirm and not confirmed:
            raise TransitionNeedsConfirmation(str(transition.confirm_message), to_confirm)
        now = timezone.now()
        record = ReviewTransition.objects.create(
            review=review,
            action=action,
            from_status=review.status,
            to_status=transition.target,
            by=by,
            reason=reason,
            confirmed_problems=to_confirm,
        )
        review.status = transition.target
        update_fields = ["status", "updated_at"]
        if transition.target == S.SUBMITTED:
            review.submitted_at = now
            update_fields.append("submitted_at")
        if transition.target == S.APPROVED:
            review.approved_at = now
            update_fields.append("approved_at")
        review.save(update_fields=update_fields)
        # The status shows on public pages, and an approved review becomes one.
        page_cache.content_changed(page_cache.REVIEWS)
        # Each workflow step closes the current version, so what was submitted stays comparable.
        review_version_record(review=review, by=by, seal=True)
        if action in NOTIFY:
            # Recorded with the step, handed to the broker after the commit (or later, if the broker is down).
            outbox_send("reviews.send_transition_notification", args=[record.pk])
    return record
