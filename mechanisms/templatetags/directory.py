"""Template helpers of the directory."""

from dataclasses import fields

from django import template
from django.urls import NoReverseMatch
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from iscm_portal.reference_languages import active_language, english_marked, marked

from ..enums import GcmVote2018
from ..selectors import MapState

register = template.Library()

_MAP_STATE_FIELDS = tuple(field.name for field in fields(MapState))


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
        # Its fields are plain strings: no need for asdict's deep copy of each.
        "map_data": [{name: getattr(state, name) for name in _MAP_STATE_FIELDS} for state in states],
        "map_data_id": f"{map_id}-data",
        "map_id": map_id,
        "map_title": title,
        "member_legend": member_legend,
        "observer_legend": observer_legend,
        "map_list": as_list,
        # The text alternative's entries, written here rather than by the template: through the template engine
        # the 200-odd States of the directory's map were a tenth of the page's time.
        "map_list_items": format_html_join(
            "",
            '<li><span class="map-swatch map-swatch-{}" aria-hidden="true"></span> <a href="{}">{}</a>: {}</li>',
            ((state.role, state.url, state.name, state.roles) for state in states),
        )
        if as_list
        else "",
        "map_note": note,
        "map_focus": focus,
        "map_compact": compact,
    }


# Sub-regions and intermediate regions indented under their region in the region filter.
_FACET_INDENT = {"subregion": mark_safe("&nbsp;&nbsp;"), "intermediate": mark_safe("&nbsp;&nbsp;&nbsp;&nbsp;")}


@register.simple_tag
def facet_options(facets, selected, after_selected=""):
    """The `<option>`s of one of the directory's filters (selectors.FacetValue: value, label, count, level, lang),
    `selected` chosen; written in one pass, as the 200-odd States through the template engine cost the page more
    than all its queries. `after_selected`: attributes every option ends with."""
    return format_html_join(
        "",
        '<option value="{}"{}{}{}>{}{} ({})</option>',
        (
            (
                facet.value,
                format_html(' lang="{}"', facet.lang) if facet.lang else "",
                " selected" if selected == facet.value else "",
                after_selected,
                _FACET_INDENT.get(facet.level, ""),
                facet.label,
                localize(facet.count),
            )
            for facet in facets
        ),
    )


@register.filter
def region_name(region):
    """An M49 region's name in the page's language, or its English name marked `lang="en"` (no official one)."""
    return marked(region.localized_name, region.localized_name_language)


@register.filter
def state_name(state):
    """A State's name: the reference data has English names only (mechanisms/data/SOURCES.md), marked as such."""
    return english_marked(state.name)


@register.filter
def mechanism_name(mechanism):
    """A mechanism's full name: English (or its official name) only in the data, marked as English."""
    return english_marked(mechanism.name)


@register.simple_tag
def region_lang(region) -> str:
    """` lang="en"` for an element (an `<option>`) showing `region.localized_name` in English on another page."""
    language = region.localized_name_language
    return "" if language == active_language() else format_html(' lang="{}"', language)


@register.simple_tag
def english_lang() -> str:
    """` lang="en"` on an element whose title or text is an English-only name, on a French or Spanish page."""
    return "" if active_language() == "en" else format_html(' lang="{}"', "en")
