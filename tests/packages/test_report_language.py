"""The report in the language IOM chose: the portal's words, dates and GCM titles; each review's text in its own."""

import uuid

import pytest
from django.utils import translation
from pypdf import PdfReader

from gcm.models import Objective
from packages import services
from packages.enums import VersionStatus
from packages.exceptions import PackageError
from packages.forms import PackageForm
from packages.models import PackageVersion
from packages.pdf import fragment_html
from packages.selectors import package_snapshot, review_for_pdf, review_pdf_snapshot
from reviews.models import Review

from .helpers import compile_now, contents_entries, media_path, page_text

pytestmark = pytest.mark.django_db(transaction=True)

MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}


def _all_text(path, pages):
    return " ".join(" ".join(page_text(path, page).split()) for page in range(1, pages + 1))


def test_french_report_writes_the_portal_words_dates_and_titles_in_french(
    package, iom_user, approved_reviews, django_capture_on_commit_callbacks
):
    package.language = "fr"
    package.save()
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert version.status == VersionStatus.DONE, version.error
    assert version.language == "fr"
    path = media_path(version.pdf)
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    front_pages = sum(1 for label in reader.page_labels if not label.isdigit())
    # The contents' objectives stand in two columns, whose text reads across: order the lines by their page.
    titles = [title for title, _page in sorted(contents_entries(path, front_pages), key=lambda entry: entry[1])]
    assert titles[:3] == ["Chiffres clés et couverture des objectifs", "Objectif 1", "Objectif 2"]
    text = _all_text(path, version.pdf_pages)
    day = version.requested_at.date()
    assert f"{day.day} {MONTHS['fr'][day.month - 1]} {day.year}" in text
    assert " ".join(Objective.objects.get(number=6).title_fr.split()) in text
    assert "Objective 6" not in text
    # The reviews were written in English and are printed as written.
    bali = approved_reviews[0]
    first_words = " ".join(bali.objective_reports.get(objective__number=1).progress.split()[:6])
    assert first_words in text


def test_spanish_objective_without_an_official_title_falls_back_to_english_marked_as_english(package):
    package.language = "es"
    package.save()
    snapshot = package_snapshot(package)
    missing = Objective.objects.filter(title_es="").order_by("number").first()
    assert missing is not None, "the reference data has a Spanish title for every objective now"
    html = fragment_html(snapshot, {"kind": "objective", "arg": missing.number})
    assert f'<span lang="en">{missing.title}</span>' in html
    translated = Objective.objects.exclude(title_es="").order_by("number").first()
    html = fragment_html(snapshot, {"kind": "objective", "arg": translated.number})
    assert f'<span class="sub">{translated.title_es}</span>' in html


def test_each_review_text_is_marked_with_its_review_language(package, approved_reviews):
    Review.objects.filter(pk=approved_reviews[1].pk).update(language="fr")
    snapshot = package_snapshot(package)
    html = fragment_html(snapshot, {"kind": "objective", "arg": 2})
    assert html.count('<div class="review-text" lang="fr">') >= 1
    assert html.count('<div class="review-text" lang="en">') >= 1
    annex = fragment_html(snapshot, {"kind": "annex", "arg": approved_reviews[1].pk})
    assert '<dd lang="fr">' in annex


def test_spanish_dates_are_written_in_words(package):
    package.language = "es"
    package.save()
    snapshot = package_snapshot(package) | {"date": "2026-12-01"}
    assert "1 de diciembre de 2026" in fragment_html(snapshot, {"kind": "cover"})


def test_review_pdf_uses_the_review_language_for_its_headings(client, iom_user, approved_reviews, tmp_path):
    review = approved_reviews[0]
    Review.objects.filter(pk=review.pk).update(language="es")
    client.force_login(iom_user)
    path = tmp_path / "review.pdf"
    path.write_bytes(client.get(f"/packages/reviews/{review.pk}/pdf/").content)
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    text = _all_text(path, len(reader.pages))
    assert "Objetivo 1" in text
    assert "Partes interesadas consultadas" in text
    assert review_pdf_snapshot(review_for_pdf(review.pk).get())["language"] == "es"


def test_new_package_writes_in_the_interface_language_unless_chosen():
    with translation.override("fr"):
        assert PackageForm().fields["language"].initial == "fr"
    with translation.override("es"):
        assert PackageForm().fields["language"].initial == "es"


def test_package_create_defaults_to_the_active_language(cycle, iom_user):
    with translation.override("es"):
        package = services.package_create(cycle=cycle, title="Paquete", by=iom_user)
    assert package.language == "es"
    assert services.package_create(cycle=cycle, title="Package", language="fr", by=iom_user).language == "fr"


def test_report_language_changes_before_compile_and_not_during_one(client, package, iom_user):
    client.force_login(iom_user)
    response = client.post(f"/packages/{package.pk}/language/", {"language": "es"})
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.language == "es"
    PackageVersion.objects.create(package=package, number=1, request_token=uuid.uuid4(), status=VersionStatus.COMPILING)
    with pytest.raises(PackageError) as error:
        services.package_set_language(package=package, language="fr", by=iom_user)
    assert str(error.value) == "The report language cannot change while a version is being compiled."
    client.post(f"/packages/{package.pk}/language/", {"language": "xx"})
    package.refresh_from_db()
    assert package.language == "es"
