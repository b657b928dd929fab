import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from gcm.models import GuidingPrinciple, Objective
from library import views as library_views

pytestmark = pytest.mark.django_db


def test_objective_localized_title_follows_the_active_language(reference_data):
    objective = Objective.objects.get(number=1)
    with translation.override("fr"):
        french = objective.localized_title
    with translation.override("es"):
        spanish = objective.localized_title
    with translation.override("en"):
        english = objective.localized_title
    assert (french, spanish, english) == (objective.title_fr, objective.title_es, objective.title)
    assert french.startswith("Collecter et utiliser des données précises")


def test_objective_localized_title_missing_translation_falls_back_to_english(reference_data):
    objective = Objective.objects.get(number=16)
    with translation.override("es"):
        assert objective.localized_title == (
            "Empower migrants and societies to realize full inclusion and social cohesion"
        )


def test_objective_localized_title_regional_variant_uses_the_language(reference_data):
    objective = Objective.objects.get(number=1)
    with translation.override("es-mx"):
        assert objective.localized_title == objective.title_es


def test_objective_localized_title_other_language_is_english(reference_data):
    objective = Objective.objects.get(number=1)
    with translation.override("de"):
        assert objective.localized_title == objective.title


def test_guiding_principle_localized_name_follows_the_active_language(reference_data):
    principle = GuidingPrinciple.objects.get(letter="f")
    with translation.override("fr"):
        assert principle.localized_name == "Droits de l’homme"
    with translation.override("es"):
        assert principle.localized_name == "Derechos humanos"


def test_objective_list_page_in_spanish_shows_spanish_titles(reference_data):
    """The view is called without middleware so that the test pins the template, not language negotiation."""
    request = RequestFactory().get("/library/objectives/")
    request.user = AnonymousUser()
    with translation.override("es"):
        html = library_views.objective_list(request).content.decode()
        links = [reverse("library:objective_compare", kwargs={"number": number}) for number in (1, 15)]
    assert (
        f'<a href="{links[0]}">1. Recopilar y utilizar datos exactos y desglosados para formular '
        "políticas con base empírica</a>"
    ) in html
    # Where the source has no Spanish title the English one is marked as English for screen readers.
    assert f'<a href="{links[1]}">15. <span lang="en">Provide access to basic services for migrants</span></a>' in html


def test_title_filters_mark_only_an_english_fallback_with_its_language(reference_data):
    template = Template("{% load gcm_text %}{{ objective|objective_title }}|{{ principle|principle_name }}")
    context = {"objective": Objective.objects.get(number=16), "principle": GuidingPrinciple.objects.get(letter="a")}
    rendered = {}
    for language in ("en", "fr", "es"):
        with translation.override(language):
            rendered[language] = template.render(Context(context))
    assert rendered == {
        "en": "Empower migrants and societies to realize full inclusion and social cohesion|People-centred",
        "fr": f"{context['objective'].title_fr}|{context['principle'].name_fr}",
        "es": '<span lang="en">Empower migrants and societies to realize full inclusion and social cohesion</span>'
        f"|{context['principle'].name_es}",
    }
