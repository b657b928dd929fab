"""Each library entry is searched in its review's language, with the same results on PostgreSQL and SQLite
(CI runs the `sqlite` marker a second time on SQLite)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from gcm.models import Objective
from library import selectors
from library.fulltext import WebSearch
from library.selectors import SearchFilters
from library.services import library_index_review
from mechanisms.models import Mechanism
from tests.factories import ApprovedReviewFactory, PracticeReportFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def _review(slug, language, **texts):
    mechanism = Mechanism.objects.get(slug=slug)
    review = ApprovedReviewFactory(mechanism=mechanism, language=language, method="", key_messages="")
    PracticeReportFactory(
        review=review,
        objective=Objective.objects.get(number=6),
        challenges="",
        recommendations="",
        **texts,
    )
    library_index_review(review=review)
    return review


@pytest.fixture
def library_in_three_languages(reference_data):
    _review(
        "midwa",
        "fr",
        progress="Les États ont adopté des normes de recrutements éthiques.",
        good_practices="- **Guichet unique pour le travailleur migrant.** Ouvert dans chaque agence pour l'emploi.",
    )
    _review(
        "sacm",
        "es",
        progress="Los países promueven contrataciones equitativas.",
        good_practices="- **Ventanilla para el trabajador migrante.** Abierta en los servicios de empleo.",
    )
    _review(
        "bali-process",
        "en",
        progress="Members adopted standards on ethical recruitment.",
        good_practices="- **Helpdesk for every migrant worker.** Open in each employment office.",
    )


def _practices(q, **filters):
    results = selectors.practice_results(AnonymousUser(), SearchFilters(q=q, **filters))
    return [(practice.mechanism.acronym, practice.title) for practice in results]


def _reviews(q, **filters):
    results = selectors.review_results(AnonymousUser(), SearchFilters(q=q, **filters))
    return [document.mechanism.acronym for document in results]


def test_a_french_query_finds_french_entries_by_their_stems(library_in_three_languages):
    assert _practices("travailleurs migrants") == [("MIDWA", "Guichet unique pour le travailleur migrant")]
    assert _reviews("recrutement éthique") == ["MIDWA"]


def test_a_spanish_query_finds_spanish_entries_by_their_stems(library_in_three_languages):
    assert _practices("trabajadores migrantes") == [("SACM", "Ventanilla para el trabajador migrante")]
    assert _reviews("contratación equitativa") == ["SACM"]


def test_english_is_searched_as_before(library_in_three_languages):
    assert _practices("migrant workers") == [("Bali Process", "Helpdesk for every migrant worker")]
    assert _reviews("standard") == ["Bali Process"]


def test_each_language_drops_its_own_stop_words(library_in_three_languages):
    # "pour", "le" and "el" are French and Spanish stop words; "the" an English one.
    assert _practices("pour le travailleur") == [("MIDWA", "Guichet unique pour le travailleur migrant")]
    assert _practices("el trabajador") == [("SACM", "Ventanilla para el trabajador migrante")]
    assert _practices("the helpdesks") == [("Bali Process", "Helpdesk for every migrant worker")]
    assert WebSearch.parse("pour le travailleur", "french").websearch == "travailleur"


def test_a_word_shared_by_the_languages_finds_all_of_them_unless_a_language_is_chosen(library_in_three_languages):
    # The entries' context (mechanism, objective, regions) is in English whatever the review's language, so a
    # query naming an objective's topic also finds it in every language.
    assert sorted(_practices("migrant")) == [
        ("Bali Process", "Helpdesk for every migrant worker"),
        ("MIDWA", "Guichet unique pour le travailleur migrant"),
        ("SACM", "Ventanilla para el trabajador migrante"),
    ]
    assert _practices("migrant", language="es") == [("SACM", "Ventanilla para el trabajador migrante")]
    assert _reviews("", language="fr") == ["MIDWA"]


def test_exclusions_work_in_each_language(library_in_three_languages):
    assert sorted(_practices("migrant -travailleurs -helpdesk")) == [("SACM", "Ventanilla para el trabajador migrante")]


def test_results_highlight_the_words_that_share_the_query_stem(client, library_in_three_languages):
    response = client.get(reverse("library:search"), {"q": "travailleurs migrants"})
    (practice,) = response.context["page"].object_list
    assert practice.title_html == "Guichet unique pour le <mark>travailleur migrant</mark>"
    response = client.get(reverse("library:search"), {"q": "trabajadores", "language": "es"})
    (practice,) = response.context["page"].object_list
    assert practice.title_html == "Ventanilla para el <mark>trabajador</mark> migrante"


def test_the_language_filter_is_a_facet_of_the_search_page(client, library_in_three_languages):
    response = client.get(reverse("library:search"), {"q": "migrant", "language": "fr"})
    assert [item.title for item in response.context["page"].object_list] == [
        "Guichet unique pour le travailleur migrant"
    ]
    assert '<option value="fr" selected>French</option>' in response.content.decode()
