"""Pledge panels for other apps' pages: `{% load pledge_tags %}{% state_pledges state %}` and
`{% mechanism_member_pledges mechanism %}`. Each costs one query and shows the pledges the viewer may read
(`selectors.pledges_visible_to`: published ones, plus those the viewer manages)."""

from django import template
from django.contrib.auth.models import AnonymousUser

from .. import selectors
from ..models import Pledge

register = template.Library()

PANEL_SIZE = 10


def _readable(context, ids) -> list[Pledge]:
    user = context.get("user") or getattr(context.get("request"), "user", None) or AnonymousUser()
    # One more than shown tells the panel whether to offer "see all".
    return list(
        selectors.pledges_visible_to(user)
        .filter(pk__in=ids)
        .select_related("pledger_state", "pledger_mechanism")
        .order_by("-announced_on", "-pk")[: PANEL_SIZE + 1]
    )


@register.inclusion_tag("pledges/tags/pledge_panel.html", takes_context=True)
def state_pledges(context, state):
    pledges = _readable(context, selectors.pledge_ids_of_state(state))
    return {
        "pledges": pledges[:PANEL_SIZE],
        "more": len(pledges) > PANEL_SIZE,
        "filter": f"state={state.iso3}",
        "panel_id": "state-pledges",
        "kind": "state",
        "subject": state.name,
    }


@register.inclusion_tag("pledges/tags/pledge_panel.html", takes_context=True)
def mechanism_member_pledges(context, mechanism):
    pledges = _readable(context, selectors.pledge_ids_of_mechanism_members(mechanism))
    return {
        "pledges": pledges[:PANEL_SIZE],
        "more": len(pledges) > PANEL_SIZE,
        "filter": f"mechanism={mechanism.slug}",
        "panel_id": "mechanism-pledges",
        "kind": "mechanism",
        "subject": mechanism.acronym,
    }
