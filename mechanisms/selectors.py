"""Read queries of the mechanisms app, with their joins and prefetches done here.

Every page reads a fixed number of queries whatever the number of mechanisms, States and memberships:
counts are aggregates computed by the database and related rows come in through one prefetch each.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from iscm_portal.reference_languages import active_language

from .collation import collated
from .enums import GcmEngagement, MechanismKind, MembershipRole, RegionLevel
from .filters import FACETS, MechanismFilter
from .models import ChairTerm, Mechanism, Membership, Region, State, Theme

DIRECTORY_PAGE_SIZE = 20
RELATED_LIMIT = 5
HISTORY_LIMIT = 200
# How many steps a region can lie below another: one fewer than the M49 levels (World, region, sub-region,
# intermediate region). Every app reaches the regions under a region through `regions_under`.
REGION_DEPTH = len(RegionLevel) - 1


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery, usable as an annotation in one SQL statement."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


# --- M49 regions ----------------------------------------------------------------------------------------------


def regions_under(region) -> QuerySet[Region]:
    """The region and every region below it, at any M49 level, as one queryset to use as a subquery.

    `region` is a Region, its id or an OuterRef to one; or a list or queryset of them, for the regions under
    any of them. No query runs until the caller's own query does, so filters built on it cost no extra query.
    """
    if isinstance(region, Region):
        region = region.pk
    elif isinstance(region, (list, tuple, set, frozenset)):
        region = [getattr(item, "pk", item) for item in region]
    lookup = "in" if isinstance(region, (QuerySet, list, tuple, set, frozenset)) else "exact"
    under = Q()
    for steps in range(REGION_DEPTH + 1):
        ancestor = "__".join(["parent"] * steps) or "pk"
        under |= Q(**{f"{ancestor}__{lookup}": region})
    return Region.objects.filter(under)


def states_in_region(region) -> QuerySet[State]:
    """States whose region, sub-region or intermediate region lies in `region` (same arguments as above)."""
    areas = regions_under(region)
    return State.objects.filter(Q(region__in=areas) | Q(subregion__in=areas) | Q(intermediate_region__in=areas))


def regions_above_lookup(path: str) -> str:
    """A prefetch lookup loading the regions at `path` with every region above them, for `region_and_above`."""
    return "__".join([path, *["parent"] * REGION_DEPTH])


def region_and_above(region: Region) -> list[Region]:
    """The region and the regions it lies in, nearest first (the converse of `regions_under`)."""
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return chain


def mechanisms_in_region(region) -> QuerySet[Mechanism]:
    """Mechanisms working in the region or anywhere below it (same arguments as `regions_under`)."""
    return Mechanism.objects.filter(regions__in=regions_under(region))


def _current_count(role: str) -> Count:
    return Count("memberships", filter=Q(memberships__role=role, memberships__end_date__isnull=True))


def mechanism_list() -> QuerySet[Mechanism]:
    """Mechanisms with their current Member and Observer counts, regions and themes."""
    return (
        Mechanism.objects.annotate(
            member_count=_current_count(MembershipRole.MEMBER),
            observer_count=_current_count(MembershipRole.OBSERVER),
        )
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.order_by("name")),
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
        )
        .order_by("acronym")
    )


def mechanism_filter(data: QueryDict) -> MechanismFilter:
    return MechanismFilter(data or None, queryset=mechanism_list())


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    level: str = ""
    lang: str = ""  # the label's language where it is not the page's (names the data has in English only)


class Directory:
    """The directory's page of results; its filters' counts and the filters in force are read when first shown,
    so a page whose filters come from the page cache (iscm_portal/page_cache.py) never queries them."""

    def __init__(self, data: QueryDict, filterset: MechanismFilter, page: Page):
        self.data, self.filterset, self.page = data, filterset, page

    @cached_property
    def facets(self) -> dict[str, list[FacetValue]]:
        return directory_facets(self.data)

    @cached_property
    def active(self) -> dict[str, tuple[str, str]]:
        """Each filter in force: its value's label and the address of the results without it."""
        chosen = {name: self.data.get(name, "") for name in FACETS}
        chosen["state"] = chosen["state"].upper()
        if not any(chosen.values()):
            return {}
        labels = {name: {facet.value: facet.label for facet in values} for name, values in self.facets.items()}
        return {
            name: (labels[name][value], "?" + _without(self.data, name).urlencode())
            for name, value in chosen.items()
            if value and value in labels[name]
        }


def _without(data: QueryDict, key: str) -> QueryDict:
    copy = data.copy()
    copy.pop(key, None)
    copy.pop("page", None)
    return copy


def _facet_base(data: QueryDict, facet: str) -> QuerySet:
    """Mechanism ids matching every filter except `facet`, so each value's count says what choosing it gives."""
    data = _without(data, facet)
    data.pop("sort", None)
    return MechanismFilter(data or None, queryset=Mechanism.objects.all()).qs.order_by().values("pk")


def directory_facets(data: QueryDict) -> dict[str, list[FacetValue]]:
    """Counts per filter value, one aggregate query per facet."""
    facets = {}

    kind_counts = dict(
        Mechanism.objects.filter(pk__in=_facet_base(data, "kind"))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    facets["kind"] = [
        FacetValue(value, str(label), kind_counts.get(value, 0)) for value, label in MechanismKind.choices
    ]

    base = _facet_base(data, "region")
    # The descent is a subquery inside the count's subquery, so the region row is two levels out.
    regions = Region.objects.annotate(
        n=SubqueryCount(mechanisms_in_region(OuterRef(OuterRef("pk"))).filter(pk__in=base).values("pk").distinct())
    ).only("pk", "name", "name_fr", "name_es", "level", "parent")
    facets["region"] = _region_tree(list(regions))

    themes = Theme.objects.annotate(
        n=Count("mechanisms", filter=Q(mechanisms__pk__in=_facet_base(data, "theme")))
    ).order_by("name")
    facets["theme"] = [FacetValue(slug, name, n) for slug, name, n in themes.values_list("slug", "name", "n")]

    selected_state = (data.get("state") or "").upper()
    states = (
        State.objects.annotate(
            n=Count(
                "memberships",
                filter=Q(memberships__end_date__isnull=True, memberships__mechanism_id__in=_facet_base(data, "state")),
            )
        )
        .filter(Q(n__gt=0) | Q(iso3=selected_state))
        .order_by("name")
    )
    state_lang = "" if active_language() == "en" else "en"  # State names are English only in the data
    facets["state"] = collated(
        [FacetValue(iso3, name, n, lang=state_lang) for iso3, name, n in states.values_list("iso3", "name", "n")],
        lambda f: f.label,
    )

    gcm = Mechanism.objects.filter(pk__in=_facet_base(data, "gcm")).aggregate(
        mandated=Count("pk", filter=Q(gcm_review_mandate=True)),
        not_mandated=Count("pk", filter=Q(gcm_review_mandate=False)),
        unknown=Count("pk", filter=Q(gcm_review_mandate__isnull=True)),
    )
    facets["gcm"] = [FacetValue(value, str(label), gcm[value]) for value, label in GcmEngagement.choices]
    return facets


def _region_tree(regions: list[Region]) -> list[FacetValue]:
    """Regions in M49 order: each region followed by its sub-regions and their intermediate regions."""
    children: dict = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
    ordered: list[FacetValue] = []
    page_language = active_language()

    def walk(parent_id, depth):
        for region in collated(children.get(parent_id, []), lambda r: r.localized_name):
            if region.n or depth == 0:
                language = region.localized_name_language
                lang = "" if language == page_language else language
                ordered.append(FacetValue(str(region.pk), region.localized_name, region.n, region.level, lang))
            walk(region.pk, depth + 1)

    walk(None, 0)
    return ordered


def directory(data: QueryDict) -> Directory:
    filterset = mechanism_filter(data)
    page = Paginator(filterset.qs, DIRECTORY_PAGE_SIZE).get_page(data.get("page"))
    return Directory(data, filterset, page)


def mechanism_export_rows(data: QueryDict) -> QuerySet[Mechanism]:
    """Every mechanism the directory's current filters match, for CSV and JSON."""
    return mechanism_filter(data).qs.prefetch_related("partners")


# --- mechanism page -------------------------------------------------------------------------------------------


def mechanism_detail(slug: str) -> QuerySet[Mechanism]:
    """The mechanism page's profile, members and chairs; its reviews come from the reviews app's selectors."""
    memberships = Membership.objects.select_related(
        "state__region", "state__subregion", "state__intermediate_region"
    ).order_by("state__region__name", "state__name", "-start_date")
    return Mechanism.objects.filter(slug=slug).prefetch_related(
        Prefetch("regions", queryset=Region.objects.select_related("parent").order_by("name")),
        Prefetch("themes", queryset=Theme.objects.order_by("name")),
        Prefetch("partners"),
        Prefetch("memberships", queryset=memberships, to_attr="all_memberships"),
        Prefetch("chair_terms", queryset=ChairTerm.objects.select_related("state"), to_attr="chair_history"),
    )


def mechanisms_sharing_members(mechanism: Mechanism, limit: int = RELATED_LIMIT) -> QuerySet[Mechanism]:
    """Mechanisms with the most current Member States in common with this one."""
    member_states = Membership.objects.current().filter(mechanism=mechanism, role=MembershipRole.MEMBER)
    return (
        Mechanism.objects.exclude(pk=mechanism.pk)
        .annotate(
            shared=Count(
                "memberships",
                filter=Q(
                    memberships__end_date__isnull=True,
                    memberships__role=MembershipRole.MEMBER,
                    memberships__state_id__in=member_states.values("state_id"),
                ),
            )
        )
        .filter(shared__gt=0)
        .order_by("-shared", "acronym")[:limit]
    )


def mechanisms_sharing_themes(mechanism: Mechanism, limit: int = RELATED_LIMIT) -> QuerySet[Mechanism]:
    """Mechanisms with the most thematic focus tags in common with this one."""
    return (
        Mechanism.objects.exclude(pk=mechanism.pk)
        .annotate(shared=Count("themes", filter=Q(themes__in=mechanism.themes.values("pk"))))
        .filter(shared__gt=0)
        .order_by("-shared", "acronym")[:limit]
    )


def mechanism_membership_rows(mechanism: Mechanism, data: QueryDict) -> QuerySet[Membership]:
    """A mechanism's memberships for export: current ones, or all with ?history=1, optionally one role."""
    rows = (
        Membership.objects.filter(mechanism=mechanism)
        .select_related("state__region", "state__subregion", "state__intermediate_region")
        .order_by("state__name", "start_date")
    )
    if data.get("history") != "1":
        rows = rows.filter(end_date__isnull=True)
    if data.get("role") in MembershipRole.values:
        rows = rows.filter(role=data["role"])
    return rows


# --- State page -----------------------------------------------------------------------------------------------


def state_detail(iso3: str) -> QuerySet[State]:
    memberships = Membership.objects.select_related("mechanism").order_by(
        "end_date", "mechanism__kind", "mechanism__acronym"
    )
    return (
        State.objects.filter(iso3=iso3)
        .select_related("region", "subregion", "intermediate_region")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="all_memberships"),
            Prefetch("chair_terms", queryset=ChairTerm.objects.select_related("mechanism"), to_attr="chair_history"),
        )
    )


# --- membership map -------------------------------------------------------------------------------------------


@dataclass
class MapState:
    """A State coloured on a membership map: its M49 code keys the country shape, `label` names it on hover."""

    m49: str
    name: str
    url: str
    role: str
    roles: str
    label: str


def _map_states(entries: Iterable[tuple[str, str, str, str, str]]) -> list[MapState]:
    """MapStates of (M49 code, name, iso3, role, roles text) entries: the label's wording is translated and the
    States' addresses are found once for the whole map, not once per State."""
    label = _("%(state)s: %(roles)s")
    address = State.page_addresses()
    return [
        MapState(
            m49=m49,
            name=name,
            url=address(iso3),
            role=role,
            roles=roles_text,
            label=label % {"state": name, "roles": roles_text},
        )
        for m49, name, iso3, role, roles_text in entries
    ]


@lru_cache(maxsize=1024)
def _role_counts_text_in(language: str, members: int, observers: int, shown: bool) -> str:
    if shown:
        texts = (
            ngettext("Member of %(count)d mechanism shown", "Member of %(count)d mechanisms shown", members),
            ngettext("Observer in %(count)d mechanism shown", "Observer in %(count)d mechanisms shown", observers),
        )
    else:
        texts = (
            ngettext("Member of %(count)d mechanism", "Member of %(count)d mechanisms", members),
            ngettext("Observer in %(count)d mechanism", "Observer in %(count)d mechanisms", observers),
        )
    return ", ".join(text % {"count": count} for count, text in zip((members, observers), texts, strict=True) if count)


def _role_counts_text(members: int, observers: int, shown: bool) -> str:
    """ "Member of 2 mechanisms, Observer in 1 mechanism"; `shown` counts among the directory's current results.

    The same few counts come up for most of the 200-odd States of a map: each text is worked out once per
    language (the catalogues are loaded once per process too).
    """
    return _role_counts_text_in(get_language(), members, observers, shown)


def _role_from_counts(members: int) -> str:
    return MembershipRole.MEMBER if members else MembershipRole.OBSERVER


def directory_map(data: QueryDict) -> list[MapState]:
    """The States taking part in the mechanisms the directory's filters match, in one query.

    A State is coloured as a Member when it is a Member of at least one of them, else as an Observer.
    """
    shown = mechanism_filter(data).qs.order_by().values("pk")
    # From the memberships, grouped by State: the filtered mechanisms are one subquery (not one per count).
    states = (
        Membership.objects.current()
        .filter(mechanism_id__in=shown)
        .values_list("state__m49_code", "state__name", "state__iso3")  # 200-odd rows: no model instances
        .annotate(
            member_n=Count("pk", filter=Q(role=MembershipRole.MEMBER)),
            observer_n=Count("pk", filter=Q(role=MembershipRole.OBSERVER)),
        )
        .order_by()
    )
    return _map_states(
        (m49, name, iso3, _role_from_counts(members), _role_counts_text(members, observers, True))
        for m49, name, iso3, members, observers in collated(states, lambda row: row[1])
    )


def mechanism_map(members: list[Membership], observers: list[Membership]) -> list[MapState]:
    """A mechanism's current Members and Observers, from the memberships its page has loaded (no query)."""
    # The roles' names translated once, not once per membership (get_role_display translates every choice each time).
    roles = {value: str(label) for value, label in MembershipRole.choices}
    return _map_states(
        (m.state.m49_code, m.state.name, m.state.iso3, m.role, roles.get(m.role, m.role))
        for m in [*members, *observers]
    )


def state_map(state: State, current: list[Membership]) -> list[MapState]:
    """The State itself, with how many mechanisms it belongs to, from the memberships its page has loaded."""
    members = sum(1 for m in current if m.role == MembershipRole.MEMBER)
    observers = len(current) - members
    if not current:
        return []
    roles_text = _role_counts_text(members, observers, False)
    return _map_states([(state.m49_code, state.name, state.iso3, _role_from_counts(members), roles_text)])


# --- overview -------------------------------------------------------------------------------------------------


@dataclass
class OverviewRow:
    state: State
    cells: list[str]
    count: int


@dataclass
class Overview:
    regions: list[Region]
    region: Region | None
    mechanisms: list[Mechanism]
    rows: list[OverviewRow]


def overview(region_id) -> Overview:
    """A States-by-mechanisms matrix for one M49 region: 'member', 'observer' or '' in each cell."""
    regions = list(Region.objects.filter(level=RegionLevel.CONTINENT).order_by("name"))
    region = next((r for r in regions if str(r.pk) == str(region_id)), regions[0] if regions else None)
    if region is None:
        return Overview(regions=[], region=None, mechanisms=[], rows=[])
    memberships = list(
        Membership.objects.current().filter(state__region=region).values_list("state_id", "mechanism_id", "role")
    )
    mechanism_ids = {mechanism_id for _state, mechanism_id, _role in memberships}
    kind_rank = {kind: rank for rank, kind in enumerate(MechanismKind.values)}
    mechanisms = sorted(
        Mechanism.objects.filter(pk__in=mechanism_ids), key=lambda m: (kind_rank[m.kind], m.acronym.lower())
    )
    states = State.objects.filter(region=region).select_related("subregion", "intermediate_region")
    roles = {(state_id, mechanism_id): role for state_id, mechanism_id, role in memberships}
    rows = []
    for state in collated(states, lambda s: s.area.localized_name, lambda s: s.name):
        cells = [roles.get((state.pk, mechanism.pk), "") for mechanism in mechanisms]
        rows.append(OverviewRow(state=state, cells=cells, count=sum(1 for cell in cells if cell)))
    return Overview(regions=regions, region=region, mechanisms=mechanisms, rows=rows)


# --- history --------------------------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: object
    who: object
    subject: str
    action: str
    changes: list[tuple[str, str, str]]


def _display(record, field_name):
    model_field = record._meta.get_field(field_name)
    value = getattr(record, model_field.attname)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _field_changes(new, old, fields: list[str]) -> list[tuple[str, str, str]]:
    changes = []
    for name in fields:
        before = _display(old, name) if old is not None else "—"
        after = _display(new, name)
        if old is None and after == "—":
            continue
        if before != after:
            changes.append((str(capfirst(new._meta.get_field(name).verbose_name)), before, after))
    return changes


def _actions():
    return {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def mechanism_history(mechanism: Mechanism) -> list[HistoryEntry]:
    """Who changed what and when in the profile, the chair and the memberships, newest first."""
    actions = _actions()
    entries = []
    profile_fields = [
        f.name
        for f in Mechanism._meta.concrete_fields
        if f.name not in ("id", "sources", "other_participants", "notes")
    ]
    records = list(mechanism.history.select_related("history_user").order_by("history_date", "history_id"))
    m2m = {}
    for name, target in (("themes", "theme"), ("partners", "organisation")):
        through = apps.get_model("mechanisms", f"HistoricalMechanism_{name}")
        for history_id, label in through.objects.filter(history__id=mechanism.pk).values_list(
            "history_id", f"{target}__name"
        ):
            m2m.setdefault((name, history_id), set()).add(label)
    previous = None
    for record in records:
        changes = _field_changes(record, previous, profile_fields)
        for name, verbose in (
            ("themes", Mechanism._meta.get_field("themes").verbose_name),
            ("partners", Mechanism._meta.get_field("partners").verbose_name),
        ):
            before = m2m.get((name, previous.history_id), set()) if previous else set()
            after = m2m.get((name, record.history_id), set())
            if before != after:
                changes.append(
                    (str(capfirst(verbose)), ", ".join(sorted(before)) or "—", ", ".join(sorted(after)) or "—")
                )
        if changes or record.history_type != "~":
            entries.append(
                HistoryEntry(
                    record.history_date, record.history_user, str(_("profile")), actions[record.history_type], changes
                )
            )
        previous = record

    for model, fields in (
        (Membership, ["role", "start_date", "end_date", "note"]),
        (ChairTerm, ["start_date", "end_date"]),
    ):
        records = model.history.filter(mechanism_id=mechanism.pk).select_related("history_user", "state")
        last = {}
        for record in records.order_by("history_date", "history_id"):
            old = last.get(record.id)
            subject = (
                str(_("Chair: %(state)s") % {"state": record.state.name})
                if model is ChairTerm
                else str(record.state.name)
            )
            changes = _field_changes(record, old, fields)
            if changes or record.history_type != "~":
                entries.append(
                    HistoryEntry(
                        record.history_date, record.history_user, subject, actions[record.history_type], changes
                    )
                )
            last[record.id] = record
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:HISTORY_LIMIT]
