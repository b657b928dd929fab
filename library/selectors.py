"""Reads of the library: visibility, faceted full-text search, the objective comparison and related work.

Every function here runs a fixed number of queries whatever the data size; the tests pin the counts.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, IntegerField, OuterRef, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from gcm.models import Objective
from mechanisms.enums import MechanismKind, RegionLevel
from mechanisms.models import Mechanism, Region
from mechanisms.selectors import regions_under, states_in_region
from reviews.enums import ReviewStatus
from reviews.models import ObjectiveReport, ReviewCycle
from reviews.selectors import visible_reviews

from .enums import PracticeKind
from .fulltext import (
    CONFIGS,
    DOCUMENT_INDEX,
    PRACTICE_INDEX,
    STEMMED_LANGUAGES,
    FtsTable,
    WebSearch,
    languages_of_config,
    search_config,
    uses_sqlite_index,
)
from .highlight import START, STOP, highlight, marked_to_html
from .models import Practice, ReviewDocument
from .services import SEARCH_CONFIG

SNIPPET_CHARS = 260
SNIPPET_TOKENS = 40  # SQLite's snippets, about as long as PostgreSQL's two fragments of up to 30 words


# ---------------------------------------------------------------- visibility


def can_see_unapproved(user) -> bool:
    return user.has_perm("library.view_unapproved")


def _from_visible_reviews(user) -> Q:
    """The reviews app's own reading rule (`reviews.selectors.visible_reviews`), as one subquery."""
    return Q(review__in=visible_reviews(user).values("pk"))


def visible_practices(user) -> QuerySet[Practice]:
    return Practice.objects.filter(_from_visible_reviews(user))


def visible_review_documents(user) -> QuerySet[ReviewDocument]:
    return ReviewDocument.objects.filter(_from_visible_reviews(user))


def _visible_reports(user) -> QuerySet[ObjectiveReport]:
    return ObjectiveReport.objects.filter(_from_visible_reviews(user))


# ---------------------------------------------------------------- pledges (an optional app)


def pledge_model():
    """The pledges app's Pledge model when it exists and has the fields the search needs, else None."""
    if not apps.is_installed("pledges"):
        return None
    try:
        model = apps.get_model("pledges", "Pledge")
    except LookupError:
        return None
    return model if _has_fields(model, "title", "text") else None


def _has_fields(model, *names) -> bool:
    try:
        for name in names:
            model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def visible_pledges(user):
    model = pledge_model()
    if model is None:
        return None
    try:  # the pledges app decides who sees which pledge (published ones, plus those a user manages)
        from pledges.selectors import pledges_visible_to
    except ImportError:
        pledges_visible_to = None
    if pledges_visible_to is not None:
        return pledges_visible_to(user)
    pledges = model.objects.all()
    if not can_see_unapproved(user) and _has_fields(model, "is_published"):
        pledges = pledges.filter(is_published=True)
    return pledges


# ---------------------------------------------------------------- facets


@dataclass
class RegionTree:
    """All M49 areas, loaded in one query, with the top-level regions used as the region facet."""

    by_id: dict[int, Region]

    @property
    def facet_regions(self) -> list[Region]:
        regions = [r for r in self.by_id.values() if r.level in (RegionLevel.WORLD, RegionLevel.CONTINENT)]
        return sorted(regions, key=lambda r: (r.level != RegionLevel.CONTINENT, r.name))

    def top(self, region: Region) -> Region:
        while region.parent_id is not None and region.level not in (RegionLevel.CONTINENT, RegionLevel.WORLD):
            region = self.by_id[region.parent_id]
        return region


def region_tree() -> RegionTree:
    return RegionTree(by_id={region.pk: region for region in Region.objects.all()})


@dataclass
class FacetOptions:
    objectives: list[Objective]
    regions: RegionTree
    mechanisms: list[Mechanism]
    cycles: list[ReviewCycle]


def facet_options() -> FacetOptions:
    """The choices of every facet filter (four queries)."""
    return FacetOptions(
        objectives=list(Objective.objects.order_by("number")),
        regions=region_tree(),
        mechanisms=list(Mechanism.objects.order_by("acronym").only("pk", "slug", "acronym", "name")),
        cycles=list(ReviewCycle.objects.order_by("-review_year")),
    )


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    objective: Objective | None = None
    region: Region | None = None
    mechanism: Mechanism | None = None
    kind: str = ""
    cycle: ReviewCycle | None = None
    language: str = ""  # the review language of practices and reviews (pledges have none)

    @cached_property
    def search(self) -> WebSearch:
        """The query parsed as PostgreSQL's websearch syntax: "phrases", or, -exclusions."""
        return WebSearch.parse(self.q)

    @property
    def terms(self) -> list[str]:
        """The words to highlight."""
        return self.search.words

    @property
    def region_area_ids(self) -> QuerySet:
        """The chosen region and every area under it, as a subquery (the mechanisms app owns the descent)."""
        return regions_under(self.region).values("pk")

    @property
    def active(self) -> bool:
        return bool(self.objective or self.region or self.mechanism or self.kind or self.cycle or self.language)


def _mechanism_in_region(filters: SearchFilters, mechanism_field: str):
    through = Mechanism.regions.through
    return Exists(through.objects.filter(mechanism_id=OuterRef(mechanism_field), region_id__in=filters.region_area_ids))


def _filter_by_review_facets(queryset, filters: SearchFilters, *, objective_condition):
    if filters.objective:
        queryset = queryset.filter(objective_condition)
    if filters.region:
        queryset = queryset.filter(_mechanism_in_region(filters, "mechanism_id"))
    if filters.mechanism:
        queryset = queryset.filter(mechanism_id=filters.mechanism.pk)
    if filters.cycle:
        queryset = queryset.filter(cycle_id=filters.cycle.pk)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    return queryset


def filter_practices(practices: QuerySet[Practice], filters: SearchFilters) -> QuerySet[Practice]:
    objective_condition = Q(objective_id=filters.objective.pk) if filters.objective else Q()
    practices = _filter_by_review_facets(practices, filters, objective_condition=objective_condition)
    if filters.kind:
        practices = practices.filter(kind=filters.kind)
    return practices


def filter_review_documents(documents: QuerySet[ReviewDocument], filters: SearchFilters) -> QuerySet:
    objective_condition = Q()
    if filters.objective:
        objective_condition = Q(
            Exists(ObjectiveReport.objects.filter(review_id=OuterRef("review_id"), objective_id=filters.objective.pk))
        )
    return _filter_by_review_facets(documents, filters, objective_condition=objective_condition)


def filter_pledges(pledges, filters: SearchFilters):
    model = pledges.model
    if filters.objective and _has_fields(model, "objectives"):
        pledges = pledges.filter(objectives=filters.objective.pk)
    if filters.region:
        conditions = Q(pk__in=[])
        if _has_fields(model, "regions"):
            through = model.regions.through
            conditions |= Q(
                Exists(through.objects.filter(pledge_id=OuterRef("pk"), region_id__in=filters.region_area_ids))
            )
        if _has_fields(model, "pledger_mechanism"):
            conditions |= Q(_mechanism_in_region(filters, "pledger_mechanism_id"))
        if _has_fields(model, "pledger_state"):
            conditions |= Q(pledger_state__in=states_in_region(filters.region))
        pledges = pledges.filter(conditions)
    if filters.mechanism:
        pledges = (
            pledges.filter(pledger_mechanism_id=filters.mechanism.pk)
            if _has_fields(model, "pledger_mechanism")
            else pledges.none()
        )
    if filters.cycle and _has_fields(model, "imrf_edition"):
        # A review cycle feeds one IMRF edition; pledges are made at an IMRF.
        pledges = pledges.filter(imrf_edition=filters.cycle.imrf_year)
    return pledges


# ---------------------------------------------------------------- full-text search


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def _search_query(search: WebSearch, config: str = SEARCH_CONFIG) -> SearchQuery:
    return SearchQuery(search.websearch, search_type="websearch", config=config)


def _readings(search: WebSearch):
    """(entries of a configuration, the query as that configuration reads it) for each configuration in which
    the query has something to look for."""
    for config in CONFIGS:
        reading = search.in_config(config)
        if not reading.websearch:
            continue
        languages, others = languages_of_config(config)
        entries = ~Q(language__in=languages) if others else Q(language__in=languages)
        yield config, entries, _search_query(reading, config)


def _headlines(
    expression_field, query: SearchQuery, *, config: str = SEARCH_CONFIG, highlight_all: bool = False
) -> SearchHeadline:
    options = {"start_sel": START, "stop_sel": STOP, "config": config}
    if highlight_all:
        options["highlight_all"] = True
    else:
        options.update(max_fragments=2, min_words=12, max_words=30, fragment_delimiter=" … ")
    return SearchHeadline(expression_field, query, **options)


def _contains_term(term, fields: tuple[str, ...]) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": " ".join(term.words)})
    return condition


def _simple_match(filters: SearchFilters, fields: tuple[str, ...]) -> Q:
    """Without a full-text index (the pledges on SQLite): the same syntax, matching parts of words."""
    condition = Q(pk__in=[])
    for group in filters.search.groups:
        group_condition = Q()
        for term in group:
            contains = _contains_term(term, fields)
            group_condition &= ~contains if term.excluded else contains
        condition |= group_condition
    return condition


def _simple_rank(filters: SearchFilters, title_field: str, body_field: str):
    """Without a full-text index: a wanted term in the title counts three, in the text one."""
    score = Value(0)
    for group in filters.search.groups:
        for term in group:
            if term.excluded:
                continue
            text = " ".join(term.words)
            score = (
                score
                + Case(When(**{f"{title_field}__icontains": text}, then=Value(3)), default=Value(0))
                + Case(When(**{f"{body_field}__icontains": text}, then=Value(1)), default=Value(0))
            )
    return score


def _ranked(
    queryset,
    filters: SearchFilters,
    *,
    vector,
    index: FtsTable | None = None,
    title_field: str,
    body_field: str,
    snippet_source=None,
    snippet_fields=(),
    extra_fields=(),
):
    """Order by relevance, annotating highlighted titles and snippets: PostgreSQL's full-text search, SQLite's
    FTS5 `index` (the same stemming, syntax and weights), or else a simple match and score."""
    if not filters.q.strip():
        return queryset
    if uses_postgres_search():
        if isinstance(vector, str):
            body = snippet_source or body_field
            return _ranked_in_each_language(
                queryset, filters.search, vector=vector, title_field=title_field, body_field=body
            )
        # Pledges: a vector made on the fly, in English.
        query = _search_query(filters.search)
        queryset = queryset.annotate(on_the_fly_vector=vector).filter(on_the_fly_vector=query)
        return queryset.annotate(
            rank=SearchRank(vector, query),
            title_headline=_headlines(title_field, query, highlight_all=True),
            body_headline=_headlines(snippet_source or body_field, query),
        ).order_by("-rank", "-pk")
    if index is not None and uses_sqlite_index():
        return index.search(
            queryset,
            filters.search,
            title_field=title_field,
            snippet_fields=snippet_fields or [body_field],
            marks=(START, STOP),
            tokens=SNIPPET_TOKENS,
        ).order_by("-rank", "-pk")
    queryset = queryset.filter(_simple_match(filters, (title_field, body_field, *extra_fields)))
    return queryset.annotate(
        rank=_simple_rank(filters, title_field, body_field) if filters.terms else Value(0, output_field=IntegerField())
    ).order_by("-rank", "-pk")


def _ranked_in_each_language(queryset, search: WebSearch, *, vector: str, title_field: str, body_field):
    """PostgreSQL: each entry matched, ranked and highlighted with the query as its own language reads it."""
    readings = list(_readings(search))
    if not readings:  # only stop words or punctuation, in every language
        return queryset.none()
    matches = Q(pk__in=[])
    for _config, entries, query in readings:
        matches |= entries & Q(**{vector: query})

    def per_language(expression):
        return Case(*(When(entries, then=expression(config, query)) for config, entries, query in readings))

    return (
        queryset.filter(matches)
        .annotate(
            rank=Case(
                *(When(entries, then=SearchRank(F(vector), query)) for _config, entries, query in readings),
                default=Value(0.0),
                output_field=FloatField(),
            ),
            title_headline=per_language(
                lambda config, query: _headlines(title_field, query, config=config, highlight_all=True)
            ),
            body_headline=per_language(lambda config, query: _headlines(body_field, query, config=config)),
        )
        .order_by("-rank", "-pk")
    )


def _decorate(items, filters: SearchFilters, *, title_field: str, snippet_text) -> None:
    """Give each result on the page `title_html` and `snippet_html`, safe to print."""
    for item in items:
        # SQLite has no headline for an entry found only through an exclusion ("-detention"), nor for French and
        # Spanish entries (its index holds their stems): their own text is highlighted here, by stem for those.
        if getattr(item, "title_headline", None) is not None:
            item.title_html = marked_to_html(item.title_headline)
            item.snippet_html = marked_to_html(item.body_headline)
            continue
        language = getattr(item, "language", "")
        config = search_config(language) if language in STEMMED_LANGUAGES else ""
        terms = filters.search.in_config(config).words if config else filters.terms
        item.title_html = highlight(getattr(item, title_field), terms, config=config)
        item.snippet_html = highlight(snippet_text(item), terms, window=SNIPPET_CHARS, config=config)


def practice_results(user, filters: SearchFilters) -> QuerySet[Practice]:
    practices = filter_practices(visible_practices(user), filters)
    practices = practices.select_related("mechanism", "cycle", "objective", "review")
    if filters.q.strip():
        return _ranked(
            practices,
            filters,
            vector="search_vector",
            index=PRACTICE_INDEX,
            title_field="title",
            body_field="body",
            extra_fields=("context_text",),
        )
    kind_order = Case(
        *(When(kind=kind, then=Value(index)) for index, kind in enumerate(PracticeKind.values)),
        output_field=IntegerField(),
    )
    return practices.order_by("-cycle__review_year", "mechanism__acronym", "objective__number", kind_order, "position")


def review_results(user, filters: SearchFilters) -> QuerySet[ReviewDocument]:
    documents = filter_review_documents(visible_review_documents(user), filters)
    documents = documents.select_related("mechanism", "cycle", "review")
    if filters.q.strip():
        return _ranked(
            documents,
            filters,
            vector="search_vector",
            index=DOCUMENT_INDEX,
            title_field="title",
            body_field="summary",
            snippet_source=Concat(F("summary"), Value("\n\n"), F("body"), output_field=TextField()),
            snippet_fields=("summary", "body"),
            extra_fields=("body", "context_text"),
        )
    return documents.order_by("-cycle__review_year", "mechanism__acronym")


def pledge_results(user, filters: SearchFilters):
    pledges = visible_pledges(user)
    if pledges is None:
        return None
    pledges = filter_pledges(pledges, filters)
    if filters.q.strip():
        vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
            "text", weight="B", config=SEARCH_CONFIG
        )
        return _ranked(pledges, filters, vector=vector, title_field="title", body_field="text")
    return pledges.order_by("-pk")


def decorate_practices(items, filters: SearchFilters) -> None:
    _decorate(items, filters, title_field="title", snippet_text=lambda practice: practice.body)


def decorate_reviews(items, filters: SearchFilters) -> None:
    _decorate(
        items, filters, title_field="title", snippet_text=lambda document: f"{document.summary}\n\n{document.body}"
    )


def decorate_pledges(items, filters: SearchFilters) -> None:
    _decorate(items, filters, title_field="title", snippet_text=lambda pledge: pledge.text)


# ---------------------------------------------------------------- one practice


def practice_detail(pk: int) -> QuerySet[Practice]:
    return (
        Practice.objects.filter(pk=pk)
        .select_related("review", "mechanism", "cycle", "objective", "objective_report")
        .prefetch_related("objective_report__guiding_principles", "mechanism__regions", "mechanism__themes")
    )


def practices_on_same_objective_elsewhere(user, practice: Practice, *, limit: int = 5) -> list[Practice]:
    """Entries of the same kind on the same objective from mechanisms sharing no area with this one: the latest
    entry of up to `limit` different mechanisms (one query)."""
    own_areas = Mechanism.regions.through.objects.filter(mechanism_id=practice.mechanism_id).values("region_id")
    sharing = Mechanism.regions.through.objects.filter(mechanism_id=OuterRef("mechanism_id"), region_id__in=own_areas)
    candidates = (
        visible_practices(user)
        .filter(objective_id=practice.objective_id, kind=practice.kind)
        .exclude(mechanism_id=practice.mechanism_id)
        .exclude(Exists(sharing))
        .select_related("mechanism", "cycle", "review")
        .order_by("-cycle__review_year", "mechanism__acronym", "position")[: limit * 10]
    )
    chosen: dict[int, Practice] = {}
    for candidate in candidates:
        chosen.setdefault(candidate.mechanism_id, candidate)
        if len(chosen) == limit:
            break
    return list(chosen.values())


# ---------------------------------------------------------------- comparison across regions and cycles


@dataclass
class ComparisonCell:
    report: ObjectiveReport
    entries: dict[str, list[Practice]] = field(default_factory=dict)

    @property
    def good_practices(self):
        return self.entries.get(PracticeKind.GOOD_PRACTICE, [])

    @property
    def challenges(self):
        return self.entries.get(PracticeKind.CHALLENGE, [])

    @property
    def recommendations(self):
        return self.entries.get(PracticeKind.RECOMMENDATION, [])


@dataclass
class ComparisonRow:
    mechanism: Mechanism
    cells: list[ComparisonCell | None]


@dataclass
class ComparisonGroup:
    label: str
    rows: list[ComparisonRow]


@dataclass
class ObjectiveComparison:
    objective: Objective
    cycles: list[ReviewCycle]
    groups: list[ComparisonGroup]

    @property
    def mechanism_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def mechanism_region_label(mechanism: Mechanism, tree: RegionTree) -> str:
    """Where a mechanism works, as a group heading: one region, 'Global', or the regions it spans."""
    if mechanism.kind == MechanismKind.GLOBAL:
        return _("Global")
    tops = sorted({tree.top(tree.by_id[area.pk]).name for area in mechanism.regions.all()})
    if len(tops) == 1:
        return tops[0]
    if not tops:
        return _("Other")
    return _("Interregional: %(regions)s") % {"regions": ", ".join(tops)}


def objective_comparison(user, objective: Objective) -> ObjectiveComparison:
    """What each mechanism reported on one objective, per cycle, grouped by region (five queries)."""
    reports = list(
        _visible_reports(user)
        .filter(objective=objective)
        .select_related("review__cycle")
        .order_by("review__cycle__review_year", "review__mechanism_id")
    )
    entries = defaultdict(lambda: defaultdict(list))
    for practice in (
        visible_practices(user).filter(objective=objective).only("pk", "objective_report_id", "kind", "title")
    ):
        entries[practice.objective_report_id][practice.kind].append(practice)
    mechanism_ids = {report.review.mechanism_id for report in reports}
    mechanisms = Mechanism.objects.filter(pk__in=mechanism_ids).prefetch_related("regions")
    tree = region_tree()
    cycles = sorted({report.review.cycle for report in reports}, key=lambda cycle: cycle.review_year)
    by_cell = {(report.review.mechanism_id, report.review.cycle_id): report for report in reports}
    groups: dict[str, list[ComparisonRow]] = defaultdict(list)
    for mechanism in mechanisms:
        cells = []
        for cycle in cycles:
            report = by_cell.get((mechanism.pk, cycle.pk))
            cells.append(ComparisonCell(report, entries.get(report.pk, {})) if report else None)
        groups[mechanism_region_label(mechanism, tree)].append(ComparisonRow(mechanism, cells))
    ordered = [
        ComparisonGroup(label, sorted(rows, key=lambda row: row.mechanism.acronym))
        for label, rows in sorted(
            groups.items(), key=lambda item: (item[0].startswith(("Global", "Interreg")), item[0])
        )
    ]
    return ObjectiveComparison(objective=objective, cycles=cycles, groups=ordered)


def objectives_with_counts(user) -> list[Objective]:
    """The 23 objectives, each with how many visible reports and entries it has (one query each)."""
    from django.db.models import Count

    report_counts = dict(
        _visible_reports(user).values("objective_id").annotate(n=Count("pk")).values_list("objective_id", "n")
    )
    entry_counts = dict(
        visible_practices(user).values("objective_id").annotate(n=Count("pk")).values_list("objective_id", "n")
    )
    objectives = list(Objective.objects.order_by("number"))
    for objective in objectives:
        objective.report_count = report_counts.get(objective.pk, 0)
        objective.entry_count = entry_counts.get(objective.pk, 0)
    return objectives


# ---------------------------------------------------------------- related work


@dataclass
class RelatedMechanism:
    mechanism: Mechanism
    shared_objectives: list[int]
    shared_themes: list[str]

    @property
    def score(self) -> int:
        return 2 * len(self.shared_objectives) + len(self.shared_themes)


def related_mechanisms(mechanism: Mechanism, limit: int = 5, *, user=None) -> list[RelatedMechanism]:
    """Mechanisms in other regions (no geographic area in common) reporting on the same objectives or sharing
    thematic focus: candidates for exchange or mutual observer status. Six queries.

    A shared objective (reported in a visible review of both) counts twice a shared theme.
    """
    reports = (
        _visible_reports(user)
        if user is not None
        else ObjectiveReport.objects.filter(review__status=ReviewStatus.APPROVED)
    )
    region_links = Mechanism.regions.through.objects
    theme_links = Mechanism.themes.through.objects
    own_objectives = set(reports.filter(review__mechanism=mechanism).values_list("objective__number", flat=True))
    own_themes = list(theme_links.filter(mechanism_id=mechanism.pk).values_list("theme_id", flat=True))
    sharing_area = set(
        region_links.filter(
            region_id__in=region_links.filter(mechanism_id=mechanism.pk).values("region_id")
        ).values_list("mechanism_id", flat=True)
    )
    objectives_by_mechanism = defaultdict(set)
    for mechanism_id, number in (
        reports.filter(objective__number__in=own_objectives)
        .values_list("review__mechanism_id", "objective__number")
        .distinct()
    ):
        objectives_by_mechanism[mechanism_id].add(number)
    themes_by_mechanism = defaultdict(set)
    for mechanism_id, name in theme_links.filter(theme_id__in=own_themes).values_list("mechanism_id", "theme__name"):
        themes_by_mechanism[mechanism_id].add(name)
    candidate_ids = (set(objectives_by_mechanism) | set(themes_by_mechanism)) - sharing_area - {mechanism.pk}
    candidates = [
        RelatedMechanism(
            candidate, sorted(objectives_by_mechanism[candidate.pk]), sorted(themes_by_mechanism[candidate.pk])
        )
        for candidate in Mechanism.objects.filter(pk__in=candidate_ids)
    ]
    # Reported work on the same objectives outweighs declared themes, then the acronym keeps the order stable.
    candidates.sort(key=lambda item: (-item.score, -len(item.shared_objectives), item.mechanism.acronym))
    return candidates[:limit]
