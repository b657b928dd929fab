"""Template helpers of the directory."""

from dataclasses import asdict

from django import template
from django.urls import NoReverseMatch

from ..enums import GcmVote2018

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


# The 2018 vote as a mark beside a State; most States voted in favour or did not vote, and carry no mark.
GCM_VOTE_MARKS = {
    GcmVote2018.AGAINST: "bi-x-octagon-fill text-danger",
    GcmVote2018.ABSTAINED: "bi-dash-circle-fill text-warning-emphasis",
    GcmVote2018.NOT_APPLICABLE: "bi-circle text-body-secondary",
}


@register.filter
def gcm_vote_mark(value: str) -> str:
    return GCM_VOTE_MARKS.get(value, "")


@register.simple_tag
def gcm_vote_legend() -> list[tuple[str, str]]:
    """(icon classes, label) of each marked vote, for the one legend a list of States shows."""
    return [(icon, str(GcmVote2018(value).label)) for value, icon in GCM_VOTE_MARKS.items()]


@register.filter
def review_status_class(value: str) -> str:
    """The portal's one palette of review statuses (static/css/portal.css)."""
    return f"review-status review-status-{value}"


@register.inclusion_tag("mechanisms/map/_map.html")
def membership_map(
    states, map_id, title, member_legend="", observer_legend="", as_list=False, note="", focus="", compact=False
):
    """A world map colouring `states` (selectors.MapState); the page passes its data in, nothing is queried.

    `focus` is the M49 code of a State to centre the map on; `compact` stacks the legend under the map.
    """
    return {
        "map_states": states,
        "map_data": [asdict(state) for state in states],
        "map_data_id": f"{map_id}-data",
        "map_id": map_id,
        "map_title": title,
        "member_legend": member_legend,
        "observer_legend": observer_legend,
        "map_list": as_list,
        "map_note": note,
        "map_focus": focus,
        "map_compact": compact,
    }
