"""Review text keeps its language: every page marks the element holding it with the review's `lang`, and
nothing else (interface labels stay in the page's language)."""

import pytest
from django.urls import reverse

from gcm.models import Objective
from library.models import Practice
from library.services import library_index_review
from reviews.models import ObjectiveReport, Review
from reviews.templatetags.review_text import review_lang
from reviews.versions import review_version_record
from tests.factories import ApprovedReviewFactory, PracticeReportFactory, ReviewMeetingFactory, complete_review
from tests.html_language import languages_of

pytestmark = pytest.mark.django_db

PROGRESS_FR = "Les États membres ont adopté une stratégie régionale sur la migration de main-d'œuvre."
PRACTICE_FR = "Guichets uniques pour les travailleurs migrants"
GOOD_PRACTICES_FR = f"- **{PRACTICE_FR}.** Six États ouvrent des guichets d'information aux frontières."
KEY_MESSAGES_FR = "La libre circulation reste la priorité de la région."


def test_review_lang_gives_the_attribute_of_a_review_or_a_code():
    assert review_lang(Review(language="fr")) == ' lang="fr"'
    assert review_lang("es") == ' lang="es"'
    assert review_lang("ar") == ' lang="ar" dir="rtl"'


def test_review_lang_writes_nothing_for_a_missing_or_malformed_code():
    assert [review_lang(value) for value in ("", None, 'fr" onclick="x', "<b>")] == ["", "", "", ""]


@pytest.fixture
def french_review(midwa):
    """MIDWA's approved review written in French, with a practice in the library."""
    review = ApprovedReviewFactory(mechanism=midwa, language="fr", key_messages=KEY_MESSAGES_FR, method="")
    ReviewMeetingFactory(review=review, title="Réunion ministérielle de la CEDEAO", place="Abuja")
    PracticeReportFactory(
        review=review,
        objective=Objective.objects.get(number=6),
        progress=PROGRESS_FR,
        good_practices=GOOD_PRACTICES_FR,
        challenges="",
        recommendations="",
    )
    library_index_review(review=review)
    return review


def test_review_page_marks_the_review_text_and_not_the_labels(client, french_review):
    html = client.get(reverse("reviews:review_detail", args=[french_review.pk])).content
    assert languages_of(html, PROGRESS_FR) == ["fr"]
    assert languages_of(html, KEY_MESSAGES_FR) == ["fr"]
    assert languages_of(html, "Réunion ministérielle de la CEDEAO") == ["fr"]
    assert languages_of(html, "Progress made") == ["en"]
    assert languages_of(html, "Key messages to the IMRF") == ["en"]


def test_edit_steps_mark_the_text_boxes(client, midwa, midwa_secretariat):
    review = complete_review(midwa, language="es", method="Consultas con los Estados miembros.")
    ObjectiveReport.objects.filter(review=review).update(progress="Los Estados adoptaron un plan regional.")
    client.force_login(midwa_secretariat)
    objective = client.get(reverse("reviews:review_edit_objective", args=[review.pk, 6])).content
    overview = client.get(reverse("reviews:review_edit_overview", args=[review.pk])).content
    assert languages_of(objective, "Los Estados adoptaron un plan regional.") == ["es"]
    assert languages_of(overview, "Consultas con los Estados miembros.") == ["es"]
    assert languages_of(objective, "Save draft") == ["en"]


def test_workflow_page_marks_the_excerpts(client, french_review, iom_user):
    client.force_login(iom_user)
    html = client.get(reverse("reviews:review_workflow", args=[french_review.pk])).content
    assert languages_of(html, "Les États membres ont adopté") == ["fr"]
    assert languages_of(html, "Comments by part") == ["en"]


def test_compare_view_marks_each_side_with_its_own_version_language(client, bali, bali_secretariat):
    review = complete_review(bali, language="en")
    ObjectiveReport.objects.filter(review=review).update(progress="Member States adopted a framework.")
    review_version_record(review=review, by=bali_secretariat, seal=True)
    Review.objects.filter(pk=review.pk).update(language="fr")
    ObjectiveReport.objects.filter(review=review).update(progress="Les États membres ont adopté un cadre.")
    review.refresh_from_db()
    review_version_record(review=review, by=bali_secretariat)
    client.force_login(bali_secretariat)
    html = client.get(reverse("reviews:review_compare", args=[review.pk]), {"a": 1, "b": 2}).content
    assert languages_of(html, "adopted") == ["en"]
    assert languages_of(html, "adopté") == ["fr"]
    # The language row names the languages in the page's language, it is not review text.
    assert languages_of(html, "French") == ["en"]


def test_library_pages_mark_entries_and_snippets(client, french_review):
    practice = Practice.objects.get(review=french_review)
    listing = client.get(reverse("library:practice_list")).content
    detail = client.get(reverse("library:practice_detail", args=[practice.pk])).content
    practices = client.get(reverse("library:search"), {"q": "frontières"}).content
    reviews = client.get(reverse("library:search"), {"q": "circulation", "type": "reviews"}).content
    compare = client.get(reverse("library:objective_compare", args=[6])).content
    assert languages_of(listing, PRACTICE_FR) == ["fr"]
    # The window title (which also names the portal) keeps the page's language; the heading is the entry's.
    assert languages_of(detail, PRACTICE_FR) == ["en", "fr"]
    assert languages_of(detail, "Six États ouvrent") == ["fr"]
    assert languages_of(practices, "ouvrent des guichets") == ["fr"]
    assert languages_of(reviews, "reste la priorité") == ["fr"]
    assert languages_of(compare, PROGRESS_FR) == ["fr"]
    assert languages_of(compare, PRACTICE_FR) == ["fr"]
