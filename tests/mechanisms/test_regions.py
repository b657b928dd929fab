"""The regions under a region (one selector, used by the directory, pledges, the library and packages), tested at
every M49 level on the real reference data."""

import pytest
from django.http import QueryDict

from mechanisms import selectors
from mechanisms.enums import RegionLevel
from mechanisms.models import Region, State
from tests.reference_regions import (
    AFRICA,
    AMERICAS,
    LATIN_AMERICA,
    SOUTH_AMERICA,
    SUB_SAHARAN_AFRICA,
    WESTERN_AFRICA,
    WORLD,
)

pytestmark = pytest.mark.django_db


def region(name: str) -> Region:
    return Region.objects.get(name=name)


def names_under(region) -> list[str]:
    return sorted(selectors.regions_under(region).values_list("name", flat=True))


def directory_acronyms(name: str) -> list[str]:
    return sorted(m.acronym for m in selectors.mechanism_filter(QueryDict(f"region={region(name).pk}")).qs)


def test_reference_regions_cover_every_level_and_nest_no_deeper_than_the_levels(reference_data):
    assert set(Region.objects.values_list("level", flat=True)) == set(RegionLevel.values)
    for area in Region.objects.select_related("parent__parent__parent"):
        assert len(selectors.region_and_above(area)) <= selectors.REGION_DEPTH + 1, area.name


def test_regions_under_equals_the_closure_of_parent_links_for_every_region(reference_data, django_assert_num_queries):
    parents = dict(Region.objects.values_list("pk", "parent_id"))

    def below(pk):
        return {child for child, parent in parents.items() if parent == pk}

    for pk in parents:
        expected, frontier = {pk}, {pk}
        while frontier:
            frontier = set().union(*(below(item) for item in frontier)) - expected
            expected |= frontier
        with django_assert_num_queries(1):
            assert set(selectors.regions_under(pk).values_list("pk", flat=True)) == expected


def test_regions_under_each_level(reference_data):
    assert names_under(region("World")) == ["World"]
    assert names_under(region("Africa")) == [
        "Africa",
        "Eastern Africa",
        "Middle Africa",
        "Northern Africa",
        "Southern Africa",
        "Sub-Saharan Africa",
        "Western Africa",
    ]
    assert names_under(region("Latin America and the Caribbean")) == [
        "Caribbean",
        "Central America",
        "Latin America and the Caribbean",
        "South America",
    ]
    assert names_under(region("South America")) == ["South America"]
    # Several at once, by id or as Region objects.
    assert names_under([region("Sub-Saharan Africa"), region("Northern America").pk]) == [
        "Eastern Africa",
        "Middle Africa",
        "Northern America",
        "Southern Africa",
        "Sub-Saharan Africa",
        "Western Africa",
    ]
    assert names_under([]) == []


def test_states_in_region_at_every_level(reference_data):
    def iso3s(name):
        return set(selectors.states_in_region(region(name)).values_list("iso3", flat=True))

    assert iso3s("World") == set()
    assert iso3s("Africa") == set(State.objects.filter(region__name="Africa").values_list("iso3", flat=True))
    assert iso3s("Sub-Saharan Africa") == set(
        State.objects.filter(subregion__name="Sub-Saharan Africa").values_list("iso3", flat=True)
    )
    assert {"GHA", "SEN", "NGA"} <= iso3s("Western Africa")
    assert iso3s("Western Africa") == set(
        State.objects.filter(intermediate_region__name="Western Africa").values_list("iso3", flat=True)
    )
    assert "EGY" in iso3s("Northern Africa")


def test_directory_region_filter_at_every_level(reference_data):
    assert directory_acronyms("World") == WORLD
    assert directory_acronyms("Africa") == AFRICA
    assert directory_acronyms("Sub-Saharan Africa") == SUB_SAHARAN_AFRICA
    assert directory_acronyms("Western Africa") == WESTERN_AFRICA
    assert directory_acronyms("Americas") == AMERICAS
    assert directory_acronyms("Latin America and the Caribbean") == LATIN_AMERICA
    assert directory_acronyms("South America") == SOUTH_AMERICA


def test_directory_region_facet_counts_at_every_level(reference_data):
    counts = {facet.label: (facet.level, facet.count) for facet in selectors.directory_facets(QueryDict(""))["region"]}
    assert {
        name: counts[name]
        for name in ("World", "Africa", "Sub-Saharan Africa", "Western Africa", "Americas", "South America")
    } == {
        "World": ("world", len(WORLD)),
        "Africa": ("continent", len(AFRICA)),
        "Sub-Saharan Africa": ("subregion", len(SUB_SAHARAN_AFRICA)),
        "Western Africa": ("intermediate", len(WESTERN_AFRICA)),
        "Americas": ("continent", len(AMERICAS)),
        "South America": ("intermediate", len(SOUTH_AMERICA)),
    }
    # Counted over the other filters: Ghana's six mechanisms all work in Western Africa, four also in Europe.
    counts = {f.label: f.count for f in selectors.directory_facets(QueryDict("state=GHA"))["region"]}
    assert (counts["Africa"], counts["Western Africa"], counts["Europe"]) == (6, 6, 4)
