"""What a search finds, ranks and highlights: the same on PostgreSQL and on the embedded SQLite default.

CI runs the suite on PostgreSQL; the `sqlite` marker runs these tests a second time on SQLite.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from gcm.models import Objective
from library import selectors
from library.selectors import SearchFilters

pytestmark = pytest.mark.sqlite

HOSTILE_QUERIES = [
    '"',
    '"unbalanced phrase',
    "fee*",
    "*",
    "^fee",
    "NEAR(fee bangkok)",
    "fee NEAR bangkok",
    "title:fee",
    "(fee",
    "fee)",
    "fee AND OR NOT",
    "- -- ---",
    "-",
    "or",
    "the of and",
    "'",
    "fee's",
    "\u0000fee",
    "{title}: fee",
    "fee + bangkok",
    "😀 fee",
    "a" * 50_000,
    "fee " * 12_500,
    '"' * 50_000,
]


@pytest.fixture
def corridors(make_report):
    """Three reviews on objective 6 whose entries differ only in the words the tests look for."""
    make_report(
        slug="bali-process",
        good_practices=(
            "- **Fair recruitment in Bangkok.** A hotline cut the recruitment fees charged in Bangkok by half.\n"
            "- **Visa support desks.** Consulates answer questions on a visa within a day."
        ),
        challenges="Workers still pay for their own visas.",
        recommendations="",
    )
    make_report(
        slug="midwa",
        good_practices="- **Assisted voluntary return.** Return and reintegration packages for stranded migrants.",
        challenges="- **Detention before return.** Migrants are held in detention while their return is arranged.",
        recommendations="- **Reintegration after return.** Communities receive returnees with training.",
    )
    make_report(
        slug="rmfm",
        good_practices="- **Remittance corridors.** Transfer costs fell by a third.",
        challenges="",
        recommendations="",
    )


def _titles(q, **facets):
    return [practice.title for practice in selectors.practice_results(AnonymousUser(), SearchFilters(q=q, **facets))]


def test_search_matches_other_forms_of_a_word(corridors):
    assert _titles("Bangkok fee") == ["Fair recruitment in Bangkok"]
    assert sorted(_titles("returns")) == [
        "Assisted voluntary return",
        "Detention before return",
        "Reintegration after return",
    ]
    assert sorted(_titles("visa")) == ["Visa support desks", "Workers still pay for their own visas"]


def test_search_ignores_case(corridors):
    assert _titles("BANGKOK Fees") == ["Fair recruitment in Bangkok"]


def test_search_phrase_needs_the_words_in_order(corridors):
    assert _titles('"return and reintegration"') == ["Assisted voluntary return"]
    assert _titles('"reintegration packages"') == ["Assisted voluntary return"]
    assert _titles('"packages reintegration"') == []


def test_search_minus_excludes_a_word_or_phrase(corridors):
    assert sorted(_titles("return -detention")) == ["Assisted voluntary return", "Reintegration after return"]
    assert _titles('return -"return and reintegration" -detention') == ["Reintegration after return"]
    # As in PostgreSQL, exclusions alone keep every other entry.
    assert len(_titles("-detention -bangkok")) == 5
    assert len(_titles("hotline or -detention")) == 6


def test_search_or_finds_either_side(corridors):
    assert sorted(_titles("hotline or remittances")) == ["Fair recruitment in Bangkok", "Remittance corridors"]
    # As in PostgreSQL's websearch syntax, "or" separates groups of words that must all occur.
    assert sorted(_titles("hotline bangkok or transfer costs")) == [
        "Fair recruitment in Bangkok",
        "Remittance corridors",
    ]
    assert _titles("hotline remittances") == []


def test_search_ignores_stop_words_outside_phrases(corridors):
    assert _titles("the fees in Bangkok") == ["Fair recruitment in Bangkok"]


def test_search_ranks_a_title_match_above_a_mention_in_the_text(corridors):
    assert _titles("reintegration") == ["Reintegration after return", "Assisted voluntary return"]
    # Every entry on objective 6 mentions recruitment in its context; one also in its title and text.
    titles = _titles("recruitment")
    assert (titles[0], len(titles)) == ("Fair recruitment in Bangkok", 7)


def test_search_ranks_title_then_text_then_context(make_report):
    make_report(
        slug="bali-process",
        good_practices="- **Visits to MIDWA.** Officials met.\n- Delegations travelled. MIDWA staff joined in Abuja.",
        challenges="",
        recommendations="",
    )
    make_report(slug="midwa", good_practices="- **Officials met.** Abuja hosted.", challenges="", recommendations="")
    practices = list(selectors.practice_results(AnonymousUser(), SearchFilters(q="midwa")))
    # The title (weight A), the text (B), then an entry that names MIDWA only in its context (C).
    assert [practice.title for practice in practices] == ["Visits to MIDWA", "Delegations travelled", "Officials met"]
    assert practices[0].rank > practices[1].rank > practices[2].rank > 0


def test_search_combines_words_with_facets(corridors):
    challenge = {"kind": "challenge"}
    assert _titles("return", **challenge) == ["Detention before return"]
    assert _titles("return", objective=Objective.objects.get(number=7)) == []


def test_search_highlights_the_matched_forms(corridors):
    filters = SearchFilters(q="Bangkok fee")
    [practice] = selectors.practice_results(AnonymousUser(), filters)
    selectors.decorate_practices([practice], filters)
    assert practice.title_html == "Fair recruitment in <mark>Bangkok</mark>"
    # PostgreSQL cuts its snippet at words, SQLite at tokens: the marks are the same.
    assert re.findall(r"<mark>(.*?)</mark>", practice.snippet_html) == ["fees", "Bangkok"]
    assert "recruitment <mark>fees</mark> charged in <mark>Bangkok</mark> by half" in practice.snippet_html


def test_search_page_counts_each_tab_with_stemming(client, corridors):
    response = client.get(reverse("library:search"), {"q": "returns", "kind": "recommendation"})
    assert [item.title for item in response.context["page"].object_list] == ["Reintegration after return"]
    assert [tab["count"] for tab in response.context["tabs"]][:2] == [1, 2]
    response = client.get(reverse("library:search"), {"q": "returns", "type": "reviews"})
    # Their themes include returns.
    assert sorted(item.mechanism.acronym for item in response.context["page"].object_list) == ["Bali Process", "MIDWA"]
    response = client.get(reverse("library:search"), {"q": "region's priorities", "type": "reviews"})
    tabs = [(tab["value"], tab["count"]) for tab in response.context["tabs"]]
    assert tabs[:2] == [("practices", 0), ("reviews", 3)]


@pytest.mark.parametrize("q", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_search_survives_any_input(corridors, q):
    filters = SearchFilters(q=q)
    for results, decorate in (
        (selectors.practice_results, selectors.decorate_practices),
        (selectors.review_results, selectors.decorate_reviews),
    ):
        items = list(results(AnonymousUser(), filters)[:20])
        decorate(items, filters)


@pytest.mark.parametrize("q", HOSTILE_QUERIES[:-3], ids=range(len(HOSTILE_QUERIES) - 3))
def test_search_page_survives_any_input(client, corridors, q):
    for result_type in ("practices", "reviews", "pledges"):
        response = client.get(reverse("library:search"), {"q": q, "type": result_type})
        # A NUL is refused before any view, with the portal's 400 page (iscm_portal/request_guard.py).
        assert response.status_code == (400 if "\x00" in q else 200)
