"""`{% synthesis_comments package part heading=... %}`: the comment threads on one part of IOM's synthesis,
drawn by the review comments' template (reviews/templates/reviews/comments/_part_comments.html) with the
synthesis's own URLs. The view passes the package's threads as `synthesis_comments_by_part`."""

from django import template
from django.urls import reverse

from packages.synthesis import part_label

register = template.Library()


@register.inclusion_tag("reviews/comments/_part_comments.html", takes_context=True)
def synthesis_comments(context, package, part, heading=""):
    request = context.get("request")
    may = bool(request and request.user.has_perm("packages.comment_synthesis", package))
    draft = context.get("draft") or {}
    return {
        "part": part,
        "part_id": part.replace(":", "-"),
        "label": part_label(part),
        "comments": (context.get("synthesis_comments_by_part") or {}).get(part, []),
        "can": {"view": may, "add": may, "reply": may, "resolve": may},
        "next": request.get_full_path() if request and request.method == "GET" else "",
        "draft": draft if draft.get("part") == part else {},
        "csrf_token": context.get("csrf_token"),
        "empty_text": "",
        "heading": heading,
        "urls": {
            "add": reverse("packages:synthesis_comment_add", args=[package.pk]),
            "reply": "packages:synthesis_comment_reply",
            "resolve": "packages:synthesis_comment_resolve",
        },
    }
