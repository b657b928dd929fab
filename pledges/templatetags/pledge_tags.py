"""Pledge panels for other apps' pages: `{% load pledge_tags %}{% state_pledges state %}` and
`{% mechanism_member_pledges mechanism %}`. Each costs one query and shows published pledges only."""

from django import template

from .. import selectors
from ..models import Pledge

register = template.Library()

PANEL_SIZE = 10


def _published(ids) -> list[Pledge]:
    # One more than shown tells the panel whether to offer "see all".
    return list(
        Pledge.objects.filter(is_published=True, pk__in=ids)
        .select_related("pledger_state", "pledger_mechanism")
        .order_by("-announced_on", "-pk")[: PANEL_SIZE + 1]
    )


@register.inclusion_tag("pledges/tags/pledge_panel.html")
def state_pledges(state):
    pledges = _published(selectors.pledge_ids_of_state(state))
    return {
        "pledges": pledges[:PANEL_SIZE],
        "more": len(pledges) > PANEL_SIZE,
        "filter": f"state={state.iso3}",
        "panel_id": "state-pledges",
        "kind": "state",
        "subject": state.name,
    }


@register.inclusion_tag("pledges/tags/pledge_panel.html")
def mechanism_member_pledges(mechanism):
    pledges = _published(selectors.pledge_ids_of_mechanism_members(mechanism))
    return {
        "pledges": pledges[:PANEL_SIZE],
        "more": len(pledges) > PANEL_SIZE,
        "filter": f"mechanism={mechanism.slug}",
        "panel_id": "mechanism-pledges",
        "kind": "mechanism",
        "subject": mechanism.acronym,
    }
