"""Template helpers of the directory."""

from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.simple_tag
def url_if_exists(obj) -> str:
    """obj.get_absolute_url(), or '' while the page it points to does not exist yet (e.g. review pages)."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


@register.filter
def gcm_vote_class(value: str) -> str:
    return {
        "in_favour_or_not_voting": "text-bg-light border",
        "against": "text-bg-danger",
        "abstained": "text-bg-warning",
    }.get(value, "text-bg-secondary")


@register.filter
def review_status_class(value: str) -> str:
    """The portal's one palette of review statuses (static/css/portal.css)."""
    return f"review-status review-status-{value}"
