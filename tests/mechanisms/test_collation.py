"""State names sort as a reader of the page's language expects, on every list and select, whatever the database."""

import re

import pytest
from django.utils import translation

from mechanisms.collation import collated, collation_key
from mechanisms.models import State

NAMES = ["Czechia", "Côte d’Ivoire", "Costa Rica", "Croatia", "Tuvalu", "Türkiye", "Turkmenistan", "Tunisia"]


def test_accented_letters_sort_with_their_base_letter_in_every_language():
    for language in ("en", "fr", "es"):
        assert collated(NAMES, language=language) == [
            "Costa Rica",
            "Côte d’Ivoire",
            "Croatia",
            "Czechia",
            "Tunisia",
            "Türkiye",
            "Turkmenistan",
            "Tuvalu",
        ]


def test_spanish_sorts_enye_as_its_own_letter_after_n():
    words = ["Oma", "Ñandú", "Nuevo", "nz", "Nicaragua"]
    assert collated(words, language="es") == ["Nicaragua", "Nuevo", "nz", "Ñandú", "Oma"]
    assert collated(words, language="en") == ["Ñandú", "Nicaragua", "Nuevo", "nz", "Oma"]
    assert collated(words, language="fr") == ["Ñandú", "Nicaragua", "Nuevo", "nz", "Oma"]


def test_case_accents_and_punctuation_only_break_ties():
    # Letters first, then accents, then case.
    assert collated(["côte", "Côte", "cote", "Cote"], language="fr") == ["Cote", "cote", "Côte", "côte"]
    assert collation_key("Côte d’Ivoire", "fr")[0] == collation_key("Cote dIvoire", "fr")[0]


def test_the_active_language_is_the_default():
    with translation.override("es"):
        assert collated(["Ñu", "Nz"]) == ["Nz", "Ñu"]
    with translation.override("fr"):
        assert collated(["Ñu", "Nz"]) == ["Ñu", "Nz"]


def _neighbours(names: list[str], name: str) -> tuple[str, str]:
    at = names.index(name)
    return names[at - 1], names[at + 1]


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_directory_state_facet_in_the_readers_order(client, reference_data, prefix):
    facet = client.get(f"{prefix}/directory/").context["directory"].facets["state"]
    labels = [value.label for value in facet]
    assert _neighbours(labels, "Côte d’Ivoire") == ("Costa Rica", "Croatia")
    assert _neighbours(labels, "Türkiye") == ("Tunisia", "Turkmenistan")


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_pledge_state_filter_options_in_the_readers_order(client, reference_data, prefix):
    html = client.get(f"{prefix}/pledges/").content.decode()
    select = re.search(r'<select name="state".*?</select>', html, flags=re.S).group(0)
    options = re.findall(r"<option value=\"[A-Z]{3}\">([^<]+)</option>", select)
    assert len(options) == State.objects.count()
    assert _neighbours(options, "Côte d’Ivoire") == ("Costa Rica", "Croatia")
    assert _neighbours(options, "Türkiye") == ("Tunisia", "Turkmenistan")


def test_mechanism_members_listed_in_the_readers_order(client, reference_data):
    members = client.get("/fr/directory/mechanisms/africa-eu-mmd/").context["members"]
    african = [m.state.name for m in members if m.state.region.name == "Africa"]
    assert _neighbours(african, "Côte d’Ivoire") == ("Congo", "Democratic Republic of the Congo")
    regions = [m.state.region.name for m in members]
    assert regions == sorted(regions)  # grouped by region, each group once
