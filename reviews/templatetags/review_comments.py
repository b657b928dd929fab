"""The comments on one part of a review, with their reply, resolve and add forms.

Usage: `{% load review_comments %}` then `{% part_comments review "objective:6" %}`, or with the number
apart: `{% part_comments review "objective" report.objective.number %}` (also "overview", "review",
"attachment" attachment.pk).

The review's comments are loaded once per page (two queries) and kept on the review object, so placing
the tag beside every part does not add queries. A view may pass them in as `comments_by_part`, or name the only
parts its page shows as `comment_parts` (the others are not read). Users who may
not follow the review's workflow (reviews.view_review_workflow) see nothing.
"""

from django import template
from django.urls import reverse

from reviews.comments import comments_by_part, part_label

register = template.Library()


def _review_comments(context, review) -> dict:
    grouped = context.get("comments_by_part")
    if grouped is None:
        grouped = getattr(review, "_comments_by_part", None)
        if grouped is None:
            grouped = review._comments_by_part = comments_by_part(review, context.get("comment_parts"))
    return grouped


def _review_permissions(user, review) -> dict:
    cached = getattr(review, "_comment_permissions", None)
    if cached is None or cached[0] != user.pk:
        permissions = {
            "view": user.has_perm("reviews.view_review_workflow", review),
            "add": user.has_perm("reviews.add_review_comment", review),
            "reply": user.has_perm("reviews.reply_review_comment", review),
            "resolve": user.has_perm("reviews.resolve_review_comment", review),
        }
        review._comment_permissions = cached = (user.pk, permissions)
    return cached[1]


@register.inclusion_tag("reviews/comments/_part_comments.html", takes_context=True)
def part_comments(context, review, part, number=None, label="", empty_text="", heading=""):
    """`part` is a full key ("objective:6") or a kind followed by its number ("objective" 6)."""
    if number is not None and number != "":
        part = f"{part}:{number}"
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    draft = context.get("draft") or {}
    can = _review_permissions(user, review) if user else {}
    if not can.get("view"):
        # Comments are the workflow's: focal points and the public never see them, nor their count.
        return {"review": review, "part": part, "comments": [], "can": {}, "empty_text": ""}
    return {
        "review": review,
        "part": part,
        "part_id": part.replace(":", "-"),
        "label": label or part_label(part, context.get("attachment_names")),
        "comments": _review_comments(context, review).get(part, []),
        "can": can,
        "next": request.get_full_path() if request and request.method == "GET" else "",
        "draft": draft if draft.get("part") == part else {},
        "csrf_token": context.get("csrf_token"),
        "empty_text": empty_text,
        "heading": heading,
        "urls": {
            "add": reverse("reviews:comment_add", args=[review.pk]),
            "reply": "reviews:comment_reply",
            "resolve": "reviews:comment_resolve",
        },
    }


@register.simple_tag(takes_context=True)
def part_open_comment_count(context, review, part, number=None):
    """How many open comment threads a part has, for users who follow the workflow (0 for others)."""
    if number is not None and number != "":
        part = f"{part}:{number}"
    user = context.get("user")
    if user is None or not _review_permissions(user, review).get("view"):
        return 0
    return sum(1 for comment in _review_comments(context, review).get(part, []) if comment.resolved_at is None)
