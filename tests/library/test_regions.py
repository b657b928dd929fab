"""The library's region facet reaches mechanisms and pledges at every M49 level below the chosen region."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from library import selectors
from library.forms import LibrarySearchForm
from library.selectors import SearchFilters
from mechanisms.models import Region, State
from tests.factories import PledgeFactory


@pytest.fixture
def reported(make_report):
    for slug in ("midwa", "sacm", "bali-process", "gfmd"):
        make_report(slug=slug)


def acronyms_in(name: str) -> list[str]:
    filters = SearchFilters(region=Region.objects.get(name=name))
    return sorted({practice.mechanism.acronym for practice in selectors.practice_results(AnonymousUser(), filters)})


def test_library_region_facet_at_every_level(reported):
    assert acronyms_in("World") == ["GFMD"]
    assert acronyms_in("Africa") == ["MIDWA"]
    assert acronyms_in("Americas") == ["Bali Process", "SACM"]
    assert acronyms_in("Sub-Saharan Africa") == ["MIDWA"]
    assert acronyms_in("Latin America and the Caribbean") == ["SACM"]
    assert acronyms_in("Western Africa") == ["MIDWA"]
    assert acronyms_in("South America") == ["SACM"]
    assert acronyms_in("Northern Africa") == []


def test_library_search_form_region_reaches_intermediate_regions(reported, client):
    # The form offers World and the continents; MIDWA is recorded in Western Africa, two levels down.
    response = client.get(reverse("library:practice_list"), {"region": "Africa"})
    assert sorted({practice.mechanism.acronym for practice in response.context["page"].object_list}) == ["MIDWA"]
    form = LibrarySearchForm(options=selectors.facet_options())
    assert [choice for choice, _label in form.fields["region"].choices] == [
        "",
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
        "World",
    ]


def test_library_pledges_by_region_at_every_level(reference_data):
    PledgeFactory(title="By Ghana", pledger_state=State.objects.get(iso3="GHA"))
    PledgeFactory(title="By Indonesia")

    def titles_in(name):
        filters = SearchFilters(region=Region.objects.get(name=name))
        return [pledge.title for pledge in selectors.pledge_results(AnonymousUser(), filters)]

    assert titles_in("Africa") == ["By Ghana"]
    assert titles_in("Sub-Saharan Africa") == ["By Ghana"]
    assert titles_in("Western Africa") == ["By Ghana"]
    assert titles_in("Asia") == ["By Indonesia"]
    assert titles_in("World") == []
