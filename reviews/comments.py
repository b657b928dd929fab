"""Comments on a review or one of its parts: IOM reviewers open threads, secretariats reply, IOM resolves."""

import re
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from iscm_portal import page_cache

from .exceptions import ReviewError
from .models import Attachment, Comment, Review
from .rules import can_comment, can_reply, can_resolve

MAX_COMMENT_LENGTH = 5000
WHOLE_REVIEW = "review"
OVERVIEW = "overview"
_PART = re.compile(r"^(review|overview|objective:(?P<objective>\d{1,2})|attachment:(?P<attachment>\d{1,12}))$")


class CommentNotAllowed(ReviewError):
    """This user may not comment, reply or resolve here, or the review takes no comments in its status."""


class CommentInvalid(ReviewError):
    """The comment itself is wrong: empty, too long, or about a part the review does not have."""


def objective_part(number: int) -> str:
    return f"objective:{number}"


def attachment_part(attachment_id: int) -> str:
    return f"attachment:{attachment_id}"


def part_label(part: str, attachment_names: dict[int, str] | None = None) -> str:
    """A human name for a part key, e.g. "Objective 6" for "objective:6"."""
    match = _PART.match(part or "")
    if not match or part == WHOLE_REVIEW:
        return _("Whole review")
    if part == OVERVIEW:
        return _("Overview")
    if match["objective"]:
        return _("Objective %(number)s") % {"number": match["objective"]}
    name = (attachment_names or {}).get(int(match["attachment"]))
    return _("Attachment: %(name)s") % {"name": name} if name else _("Attachment")


def part_validate(*, review: Review, part: str) -> str:
    """The normalised part key, or CommentInvalid if the review has no such part."""
    match = _PART.match((part or "").strip())
    if not match:
        raise CommentInvalid(_("Choose which part of the review the comment is about."))
    if match["objective"] and not 1 <= int(match["objective"]) <= 23:
        raise CommentInvalid(_("The Global Compact has objectives 1 to 23."))
    if match["attachment"] and not Attachment.objects.filter(review=review, pk=int(match["attachment"])).exists():
        raise CommentInvalid(_("This review has no such attachment."))
    return match[0]


def comment_body_clean(body: str) -> str:
    """The comment as it is kept (trimmed), or CommentInvalid; for every comment thread of the portal."""
    body = (body or "").strip()
    if not body:
        raise CommentInvalid(_("Write the comment."))
    if len(body) > MAX_COMMENT_LENGTH:
        raise CommentInvalid(
            _("Keep the comment under %(limit)s characters (it has %(length)s).")
            % {"limit": MAX_COMMENT_LENGTH, "length": len(body)}
        )
    return body


def _locked(review: Review) -> Review:
    # Lock the review so a comment cannot slip in while another request approves it.
    return Review.objects.select_for_update().get(pk=review.pk)


def comment_add(*, review: Review, part: str, body: str, by) -> Comment:
    """An IOM reviewer opens a comment on the whole review or one part of it."""
    body = comment_body_clean(body)
    with transaction.atomic():
        page_cache.content_changed(page_cache.REVIEW_ACTIVITY)
        review = _locked(review)
        if not can_comment(by, review):
            raise CommentNotAllowed(
                _("Comments can be added by IOM while a review is submitted or in review; this one is “%(status)s”.")
                % {"status": review.get_status_display()}
            )
        part = part_validate(review=review, part=part)
        return Comment.objects.create(review=review, part=part, author=by, body=body)


def comment_reply(*, parent: Comment, body: str, by) -> Comment:
    """IOM or the mechanism's secretariat answer a comment thread."""
    body = comment_body_clean(body)
    if parent.parent_id is not None:
        parent = parent.parent
    with transaction.atomic():
        page_cache.content_changed(page_cache.REVIEW_ACTIVITY)
        review = _locked(parent.review)
        if not can_reply(by, review):
            raise CommentNotAllowed(_("You may not reply to comments on this review now."))
        return Comment.objects.create(review=review, part=parent.part, parent=parent, author=by, body=body)


def comment_resolve(*, comment: Comment, by) -> Comment:
    """IOM marks a comment thread as dealt with; resolving twice changes nothing."""
    if comment.parent_id is not None:
        raise CommentInvalid(_("Only a comment, not a reply, can be marked resolved."))
    with transaction.atomic():
        page_cache.content_changed(page_cache.REVIEW_ACTIVITY)
        review = _locked(comment.review)
        if not can_resolve(by, review):
            raise CommentNotAllowed(_("You may not resolve comments on this review now."))
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.resolved_at is None:
            comment.resolved_at, comment.resolved_by = timezone.now(), by
            comment.save(update_fields=["resolved_at", "resolved_by"])
        return comment


def threads_by_part(comments: QuerySet) -> dict[str, list]:
    """The top-level comments of `comments` (one owner's) grouped by part, replies and authors loaded: two
    queries. Serves every comment model with `part`, `parent` (related name `replies`), `author`, `resolved_by`."""
    model = comments.model
    threads = (
        comments.filter(parent__isnull=True)
        .select_related("author", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=model.objects.select_related("author")))
    )
    grouped: dict[str, list] = defaultdict(list)
    for comment in threads:
        grouped[comment.part].append(comment)
    return dict(grouped)


def comments_by_part(review: Review, parts: Iterable[str] | None = None) -> dict[str, list[Comment]]:
    """Top-level comments of a review grouped by part (only `parts`, if given), replies and authors loaded: two
    queries, one if there is none."""
    comments = Comment.objects.filter(review=review)
    if parts is not None:
        comments = comments.filter(part__in=list(parts))
    return threads_by_part(comments)


def open_threads_described(review: Review) -> list[str]:
    """Each open comment thread of a review as "Part: text", part by part."""
    names = dict(review.attachments.values_list("pk", "original_name"))
    return [
        _("%(part)s: %(text)s") % {"part": part_label(part, names), "text": comment.body}
        for part, comments in comments_by_part(review).items()
        for comment in comments
        if comment.resolved_at is None
    ]
