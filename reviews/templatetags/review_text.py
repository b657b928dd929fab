"""Display helpers for review text: simple formatting turned into sanitised HTML, and links to problems."""

import re

import nh3
from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])[*_](?=\S)(.+?)(?<=\S)[*_](?![*\w])")


def _inline(text: str) -> str:
    text = _LINK.sub(r'<a href="\2">\1</a>', text)
    text = _STRONG.sub(r"<strong>\1</strong>", text)
    return _EMPHASIS.sub(r"<em>\1</em>", text)


def _block(block: str) -> str:
    lines = block.split("\n")
    for pattern, tag in ((_BULLET, "ul"), (_NUMBERED, "ol")):
        if all(pattern.match(line) for line in lines):
            items = "".join(f"<li>{_inline(pattern.match(line).group(1))}</li>" for line in lines)
            return f"<{tag}>{items}</{tag}>"
    return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"


def render_rich_text(text: str) -> str:
    """Paragraphs, lists, *emphasis*, **strong** and [links](https://...), then sanitised: anything else
    (scripts, styles, event handlers, javascript: links) is removed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]
    html = "".join(_block(block) for block in blocks)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


@register.filter(name="rich_text")
def rich_text(value):
    return mark_safe(render_rich_text(str(value or "")))  # noqa: S308 - sanitised by nh3 just above


@register.simple_tag
def problem_url(review, anchor: str) -> str:
    """Where a completeness problem is fixed: the step's URL with the field's id as fragment."""
    if anchor.startswith("overview-"):
        field = anchor.removeprefix("overview-")
        fragment = "meetings" if field == "meetings" else f"id_{field}"
        return reverse("reviews:review_edit_overview", kwargs={"pk": review.pk}) + f"#{fragment}"
    if anchor.startswith("objective-"):
        _prefix, number, field = anchor.split("-", 2)
        return (
            reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": int(number)}) + f"#id_{field}"
        )
    if anchor == "attachments":
        return reverse("reviews:review_attachments", kwargs={"pk": review.pk})
    return reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 1})
