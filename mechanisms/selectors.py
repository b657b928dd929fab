"""Read queries of the mechanisms app, with their joins and prefetches done here."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .enums import MembershipRole
from .models import Mechanism, Membership, State


def mechanism_list() -> QuerySet[Mechanism]:
    return (
        Mechanism.objects.annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__role=MembershipRole.MEMBER, memberships__end_date__isnull=True)
            ),
            observer_count=Count(
                "memberships",
                filter=Q(memberships__role=MembershipRole.OBSERVER, memberships__end_date__isnull=True),
            ),
        )
        .prefetch_related("regions", "themes")
        .order_by("acronym")
    )


def mechanism_detail(slug: str) -> QuerySet[Mechanism]:
    current_memberships = (
        Membership.objects.current()
        .select_related("state__region", "state__subregion", "state__intermediate_region")
        .order_by("state__name")
    )
    return Mechanism.objects.filter(slug=slug).prefetch_related(
        "regions", "themes", Prefetch("memberships", queryset=current_memberships, to_attr="current_memberships")
    )


def state_detail(iso3: str) -> QuerySet[State]:
    current_memberships = Membership.objects.current().select_related("mechanism").order_by("mechanism__acronym")
    return (
        State.objects.filter(iso3=iso3)
        .select_related("region", "subregion", "intermediate_region")
        .prefetch_related(Prefetch("memberships", queryset=current_memberships, to_attr="current_memberships"))
    )
