"""A French-speaking secretariat writes and submits its review in French; IOM reviews it in Spanish.

Each page is in its reader's language (html lang, labels), while the review's own text keeps the language it
was written in (`lang="fr"` on the element holding it). Screenshots of each page land in /tmp/shots-languages/.
"""

import re

from playwright.sync_api import expect

from gcm.models import Objective
from mechanisms.models import Membership
from reviews.enums import ReviewStatus
from tests.factories import ObjectiveReportFactory, ReviewCycleFactory, ReviewFactory, UserFactory
from tests.iscm_portal.test_languages import compiled_catalogues  # noqa: F401  (autouse: .mo files present)

SHOTS = "/tmp/shots-languages"
PROGRESS_6 = "Trois États membres ont interdit les frais de recrutement à la charge des travailleurs migrants."
PROGRESS_5 = "Le Protocole sur la libre circulation est appliqué aux frontières terrestres de la région."


def _french_draft(midwa):
    review = ReviewFactory(
        mechanism=midwa,
        cycle=ReviewCycleFactory(review_year=2024),
        language="fr",
        method="Un questionnaire adressé aux quinze États membres et une réunion technique à Abuja.",
        key_messages="La libre circulation des personnes reste la priorité de la région.",
    )
    members = Membership.objects.current().filter(mechanism=midwa, role="member").select_related("state")[:3]
    review.participating_states.set([membership.state for membership in members])
    ObjectiveReportFactory(review=review, objective=Objective.objects.get(number=6), progress=PROGRESS_6)
    return review


def _review_text(page, text):
    """The element of the page holding this review text."""
    return page.locator("[lang]", has_text=text).last


def test_french_secretariat_submits_and_iom_reviews_in_spanish(page, login, midwa):
    UserFactory(username="midwa-fr", secretariat_mechanisms=[midwa], language="fr")
    UserFactory(username="iom", is_iom_staff=True)
    review = _french_draft(midwa)

    # The secretariat signs in (the form is in the browser's English) and works in French from then on.
    login("midwa-fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos examens")
    page.screenshot(path=f"{SHOTS}/fr-my-reviews.png", full_page=True)

    # It writes objective 5: the form is in French, the text box marked as French, and typing saves by itself.
    page.goto(f"/reviews/{review.pk}/objectives/5/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("checkbox", name="Coopération internationale")).to_be_visible()
    progress = page.get_by_label("Progrès accomplis")
    expect(progress).to_have_attribute("lang", "fr")
    progress.fill(PROGRESS_5)
    expect(page.get_by_test_id("autosave-status")).to_contain_text(
        "Brouillon enregistré automatiquement", timeout=10_000
    )
    page.screenshot(path=f"{SHOTS}/fr-edit-objective.png", full_page=True)
    assert review.objective_reports.get(objective__number=5).progress == PROGRESS_5

    # The final check finds nothing missing; it submits.
    page.get_by_role("link", name="Vérification finale et soumission").click()
    expect(page.get_by_text("Rien n'empêche la soumission.")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/fr-final-check.png", full_page=True)
    page.get_by_role("button", name="Soumettre à l'OIM…").click()
    page.get_by_role("button", name="Oui, soumettre à l'OIM").click()  # the step asks once
    expect(page.get_by_test_id("review-status")).to_have_text("Soumis")
    expect(page.get_by_role("heading", level=2, name="Vue d'ensemble")).to_be_visible()
    expect(_review_text(page, PROGRESS_5)).to_have_attribute("lang", "fr")
    page.screenshot(path=f"{SHOTS}/fr-submitted.png", full_page=True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED

    # IOM signs in and switches the interface to Spanish in the header; the account remembers it.
    page.context.clear_cookies()
    login("iom")
    page.get_by_role("group", name="Language").get_by_role("button", name="ES").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(r"/es/reviews/iom/$"))
    page.screenshot(path=f"{SHOTS}/es-iom-dashboard.png", full_page=True)
    page.get_by_role("row").filter(has_text="MIDWA").get_by_role("link", name="MIDWA").click()

    # The review page: Spanish labels around French text.
    expect(page).to_have_url(re.compile(rf"/es/reviews/{review.pk}/$"))
    expect(page.get_by_role("heading", level=2, name="Panorama")).to_be_visible()
    expect(page.get_by_text("Idioma de redacción: Francés")).to_be_visible()
    expect(_review_text(page, PROGRESS_6)).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=4, name="Avances logrados").first).to_be_visible()
    page.get_by_role("button", name="Comenzar el examen").click()
    expect(page.get_by_test_id("review-status")).to_have_text("En examen")

    # A comment on objective 6, resolved, then approval.
    objective = page.locator("#comments-objective-6")
    objective.get_by_text("Comentar Objetivo 6", exact=True).click()
    objective.get_by_label("Su comentario sobre Objetivo 6").fill("¿De qué año son estos datos?")
    objective.get_by_role("button", name="Añadir un comentario").click()
    expect(page.locator("#comments-objective-6 .comment-body")).to_have_text("¿De qué año son estos datos?")
    page.screenshot(path=f"{SHOTS}/es-review-commented.png", full_page=True)
    page.locator("#comments-objective-6").get_by_role("button", name="Marcar como resuelto").click()
    page.get_by_role("button", name="Aprobar").click()
    page.get_by_role("button", name="Sí, aprobar").click()  # the step asks once
    expect(page.get_by_test_id("review-status")).to_have_text("Aprobado")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(_review_text(page, PROGRESS_5)).to_have_attribute("lang", "fr")
    page.screenshot(path=f"{SHOTS}/es-approved.png", full_page=True)

    # The workflow page's excerpts keep the review's language too.
    page.goto(f"/es/reviews/{review.pk}/workflow/")
    expect(page.locator(".part-excerpt").first).to_have_attribute("lang", "fr")
    page.screenshot(path=f"{SHOTS}/es-workflow.png", full_page=True)

    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    assert [t.action for t in review.transitions.all()] == ["submit", "start_review", "approve"]


def test_visitor_searches_the_library_in_french_and_in_spanish(page, reference_data):
    from library.services import library_index_review
    from mechanisms.models import Mechanism
    from tests.factories import ApprovedReviewFactory, PracticeReportFactory

    for slug, language, entry in [
        ("midwa", "fr", "- **Guichet unique pour le travailleur migrant.** Ouvert dans chaque agence pour l'emploi."),
        ("sacm", "es", "- **Ventanilla para el trabajador migrante.** Abierta en los servicios públicos de empleo."),
    ]:
        review = ApprovedReviewFactory(mechanism=Mechanism.objects.get(slug=slug), language=language, key_messages="")
        PracticeReportFactory(review=review, good_practices=entry, challenges="", recommendations="")
        library_index_review(review=review)

    page.goto("/fr/library/search/?q=travailleurs+migrants")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    result = page.get_by_test_id("practice-result")
    expect(result).to_have_count(1)
    title = result.get_by_role("link", name="Guichet unique pour le travailleur migrant")
    expect(title).to_have_attribute("lang", "fr")
    expect(title.locator("mark")).to_have_text("travailleur migrant")
    page.screenshot(path=f"{SHOTS}/fr-library-search.png", full_page=True)

    page.goto("/es/library/search/?q=trabajadores+migrantes")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Idioma", exact=True).select_option("es")
    expect(page).to_have_url(re.compile(r"language=es"))
    title = page.get_by_test_id("practice-result").get_by_role("link", name="Ventanilla para el trabajador migrante")
    expect(title).to_have_attribute("lang", "es")
    expect(title.locator("mark")).to_have_text("trabajador migrante")
    page.screenshot(path=f"{SHOTS}/es-library-search.png", full_page=True)
