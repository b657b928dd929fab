"""Pledges in a region, at every M49 level: made by a State of it, applying to a State of it or to an area in it."""

import pytest

from mechanisms.models import Region, State
from pledges.enums import PledgerType, PledgeScope
from pledges.models import Pledge
from pledges.selectors import pledge_ids_in_region
from tests.factories import PledgeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(reference_data):
    ghana = PledgeFactory(title="By Ghana", pledger_state=State.objects.get(iso3="GHA"))
    PledgeFactory(title="By Indonesia")
    for_egypt = PledgeFactory(title="For Egypt", pledger_type=PledgerType.UN_ENTITY, pledger_state=None)
    for_egypt.states.set([State.objects.get(iso3="EGY")])
    middle_africa = PledgeFactory(
        title="For Middle Africa", pledger_type=PledgerType.UN_ENTITY, pledger_state=None, scope=PledgeScope.REGIONAL
    )
    middle_africa.regions.set([Region.objects.get(name="Middle Africa")])
    south_america = PledgeFactory(
        title="For South America", pledger_type=PledgerType.UN_ENTITY, pledger_state=None, scope=PledgeScope.REGIONAL
    )
    south_america.regions.set([Region.objects.get(name="South America")])
    return ghana


def titles_in(name: str) -> list[str]:
    region = Region.objects.get(name=name)
    return sorted(Pledge.objects.filter(pk__in=pledge_ids_in_region(region)).values_list("title", flat=True))


def test_pledges_in_a_continent_reach_every_level_below(placed):
    assert titles_in("Africa") == ["By Ghana", "For Egypt", "For Middle Africa"]
    assert titles_in("Americas") == ["For South America"]
    assert titles_in("Asia") == ["By Indonesia"]


def test_pledges_in_a_sub_region(placed):
    assert titles_in("Sub-Saharan Africa") == ["By Ghana", "For Middle Africa"]
    assert titles_in("Northern Africa") == ["For Egypt"]
    assert titles_in("Latin America and the Caribbean") == ["For South America"]
    assert titles_in("South-eastern Asia") == ["By Indonesia"]


def test_pledges_in_an_intermediate_region(placed):
    assert titles_in("Western Africa") == ["By Ghana"]
    assert titles_in("Middle Africa") == ["For Middle Africa"]
    assert titles_in("South America") == ["For South America"]


def test_pledges_in_the_world_region_are_those_applying_to_it_only(placed):
    # No State lies in "World" (continents are not under it in M49); global pledges are their own dashboard row.
    assert titles_in("World") == []
