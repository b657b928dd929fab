"""Read queries of the pledges app: visibility, activity flags and dashboard aggregates, all in the database."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.rules import is_iom_or_admin
from gcm.models import Objective
from mechanisms.enums import MembershipRole, RegionLevel
from mechanisms.models import Membership, Region
from mechanisms.selectors import SubqueryCount, regions_under, states_in_region

from .enums import (
    CLOSED_STATUSES,
    DUE_AFTER_DAYS,
    INACTIVE_AFTER_DAYS,
    OVERDUE_AFTER_DAYS,
    ActivityFlag,
    PledgerType,
    PledgeScope,
    PledgeStatus,
)
from .models import Pledge, PledgeUpdate

FLAGGED = (ActivityFlag.DUE, ActivityFlag.OVERDUE, ActivityFlag.INACTIVE)


def pledges_visible_to(user) -> QuerySet[Pledge]:
    """Published pledges, plus every pledge the user manages."""
    if is_iom_or_admin(user):
        return Pledge.objects.all()
    visible = Q(is_published=True)
    if user.is_authenticated and user.is_active:
        if user.focal_point_state_id:
            visible |= Q(pledger_state_id=user.focal_point_state_id)
        if user.secretariat_mechanism_ids:
            visible |= Q(pledger_mechanism_id__in=user.secretariat_mechanism_ids)
    return Pledge.objects.filter(visible)


def with_activity(queryset: QuerySet[Pledge], *, today: datetime.date | None = None) -> QuerySet[Pledge]:
    """Annotate `last_activity_on` (last progress update, else announcement) and `activity_flag`."""
    today = today or timezone.localdate()
    last_update = PledgeUpdate.objects.filter(pledge=OuterRef("pk")).order_by("-date").values("date")[:1]
    return queryset.annotate(
        last_activity_on=Coalesce(Subquery(last_update, output_field=DateField()), F("announced_on")),
        activity_flag=Case(
            When(status__in=CLOSED_STATUSES, then=Value(ActivityFlag.CLOSED.value)),
            When(
                last_activity_on__lte=today - datetime.timedelta(days=INACTIVE_AFTER_DAYS),
                then=Value(ActivityFlag.INACTIVE.value),
            ),
            When(
                last_activity_on__lte=today - datetime.timedelta(days=OVERDUE_AFTER_DAYS),
                then=Value(ActivityFlag.OVERDUE.value),
            ),
            When(
                last_activity_on__lte=today - datetime.timedelta(days=DUE_AFTER_DAYS),
                then=Value(ActivityFlag.DUE.value),
            ),
            default=Value(ActivityFlag.CURRENT.value),
            output_field=CharField(),
        ),
    )


def pledge_ids_in_region(region) -> QuerySet:
    """Pledges made by a State of the region or applying to a State or area in it, at any M49 level.

    `region` as `regions_under` takes it; an OuterRef is one seen from this query of pledges (lifted here for the
    regions' subqueries nested inside it), so one query can count the pledges of each of many regions.
    """
    states = states_in_region(_seen_from_inside(region, levels=2))
    return Pledge.objects.filter(
        Q(pledger_state__in=states) | Q(states__in=states) | Q(regions__in=regions_under(_seen_from_inside(region)))
    ).values("pk")


def _seen_from_inside(region, levels: int = 1):
    """`region` as a subquery `levels` further in sees it: an OuterRef reaches out that many more queries."""
    if isinstance(region, OuterRef):
        for _level in range(levels):
            region = OuterRef(region)
    return region


def pledge_ids_of_state(state) -> QuerySet:
    """A State's own pledges: those it made alone or jointly."""
    return Pledge.objects.filter(Q(pledger_state=state) | Q(co_pledger_states=state)).values("pk")


def pledge_ids_of_mechanism_members(mechanism) -> QuerySet:
    """Pledges of a mechanism itself and of its current Member States."""
    members = Membership.objects.current().filter(mechanism=mechanism, role=MembershipRole.MEMBER).values("state_id")
    return Pledge.objects.filter(Q(pledger_mechanism=mechanism) | Q(pledger_state_id__in=members)).values("pk")


def continent_regions() -> QuerySet[Region]:
    return Region.objects.filter(level=RegionLevel.CONTINENT).order_by("name")


def pledge_list(queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
    return queryset.select_related("pledger_state", "pledger_mechanism").prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("number"))
    )


EXPORT_RELATIONS = {
    "objectives": "objective__number",
    "guiding_principles": "guidingprinciple__letter",
    "regions": "region__name",
    "states": "state__iso3",
    "co_pledger_states": "state__iso3",
}


def pledge_export_rows(queryset: QuerySet[Pledge]) -> tuple[list[Pledge], dict[str, dict[int, list]]]:
    """The pledges to export and, per many-to-many field, each pledge's values: one query per field.

    Flat value lists instead of prefetch_related: building related managers for 10,000 rows costs seconds.
    """
    pledges = list(queryset.select_related("pledger_state", "pledger_mechanism"))
    ids = queryset.values("pk")
    relations: dict[str, dict[int, list]] = {}
    for name, value in EXPORT_RELATIONS.items():
        through = getattr(Pledge, name).through
        by_pledge: dict[int, list] = {}
        for pledge_id, item in (
            through.objects.filter(pledge_id__in=ids).order_by(value).values_list("pledge_id", value)
        ):
            by_pledge.setdefault(pledge_id, []).append(item)
        relations[name] = by_pledge
    return pledges, relations


def pledge_detail(queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
    return queryset.select_related(
        "pledger_state", "pledger_mechanism", "matches__pledger_state", "matches__pledger_mechanism"
    ).prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("number")),
        "guiding_principles",
        "regions",
        "states",
        "co_pledger_states",
        Prefetch("updates", queryset=PledgeUpdate.objects.select_related("author").order_by("-date", "-pk")),
        Prefetch(
            "matching_pledges",
            queryset=Pledge.objects.filter(is_published=True).select_related("pledger_state", "pledger_mechanism"),
            to_attr="published_matching_pledges",
        ),
    )


@dataclass
class Dashboard:
    total: int
    by_objective: list[dict]
    fewest_objectives: list[dict]
    by_pledger_type: list[dict]
    by_region: list[dict]
    by_status: list[dict]
    flags: dict[str, int]
    regions: list[Region]  # the continents, in the order of `by_region`


def pledge_dashboard(queryset: QuerySet[Pledge]) -> Dashboard:
    """Counts of the (filtered) pledges per objective, pledger type, region and status, in five queries.

    Each continent counts its pledges in a subquery of the continents' query: one subquery for them all, rather
    than one built (and compiled by the ORM) for each, which took most of the dashboard's time.
    """
    ids = queryset.values("pk")
    objectives = list(
        Objective.objects.annotate(count=Count("pledges", filter=Q(pledges__pk__in=ids)))
        .order_by("number")
        .values("number", "short_label", "count")
    )
    scoped = Pledge.objects.filter(pk__in=ids)
    regions = list(
        continent_regions().annotate(
            count=SubqueryCount(scoped.filter(pk__in=pledge_ids_in_region(OuterRef(OuterRef("pk")))).values("pk"))
        )
    )
    type_counts = dict(
        scoped.order_by().values("pledger_type").annotate(count=Count("pk")).values_list("pledger_type", "count")
    )
    status_counts = dict(scoped.order_by().values("status").annotate(count=Count("pk")).values_list("status", "count"))
    counts = with_activity(scoped).aggregate(
        total=Count("pk"),
        global_=Count("pk", filter=Q(scope=PledgeScope.GLOBAL)),
        **{flag.value: Count("pk", filter=Q(activity_flag=flag.value)) for flag in FLAGGED},
    )
    by_region = [{"key": str(region.pk), "label": region.localized_name, "count": region.count} for region in regions]
    by_region.append({"key": "global", "label": str(PledgeScope.GLOBAL.label), "count": counts["global_"]})
    return Dashboard(
        total=counts["total"],
        by_objective=objectives,
        fewest_objectives=sorted(objectives, key=lambda row: (row["count"], row["number"]))[:5],
        by_pledger_type=[
            {"key": value, "label": str(label), "count": type_counts.get(value, 0)}
            for value, label in PledgerType.choices
        ],
        by_region=by_region,
        by_status=[
            {"key": value, "label": str(label), "count": status_counts.get(value, 0)}
            for value, label in PledgeStatus.choices
        ],
        flags={flag.value: counts[flag.value] for flag in FLAGGED},
        regions=regions,
    )
