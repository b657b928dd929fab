"""The Word round trip: download a review as .docx, edit it offline, upload it, preview, apply (issue 14)."""

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gcm.models import Objective
from reviews.enums import ReviewStatus
from reviews.models import Comment, ObjectiveReport, Review, ReviewVersion, WordImport
from reviews.services import objective_report_save
from tests.factories import ReviewFactory, UserFactory
from tests.factories.workflow import review_in_status

from .word_editing import add_list, body_paragraphs, bold_phrase, opened, replace_text, saved, tracked

pytestmark = pytest.mark.django_db

PROGRESS = "Progress made"
CHALLENGES = "Challenges and gaps"
KEY_MESSAGES = "Key messages to the IMRF"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored_files(media) -> list[Path]:
    return [path for path in Path(media).rglob("*") if path.is_file()]


def _save_objective(review, number, by, **fields):
    objective = Objective.objects.get(number=number)
    report = ObjectiveReport.objects.filter(review=review, objective=objective).first()
    data = {
        name: getattr(report, name) if report else ""
        for name in ("progress", "good_practices", "challenges", "recommendations", "data_evidence", "data_sources")
    }
    data.update(fields)
    return objective_report_save(
        review=review, objective=objective, data=data, loaded_revision=report.revision if report else 0, by=by
    )


@pytest.fixture
def review(bali, bali_secretariat):
    review = ReviewFactory(mechanism=bali)
    _save_objective(review, 6, bali_secretariat, progress="Member States adopted a regional framework.")
    _save_objective(
        review, 7, bali_secretariat, progress="Shelters opened in three States.", challenges="Funding is short."
    )
    return review


def _download(client, review) -> bytes:
    response = client.get(reverse("reviews:review_word_download", args=[review.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return response.content


def _upload(client, review, data: bytes, name="bali-review.docx"):
    return client.post(
        reverse("reviews:review_word_upload", args=[review.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def _preview_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def _parts(page: str, kind: str) -> list[str]:
    return re.findall(rf'data-part="([^"]+)" data-kind="{kind}"', page)


def _checked(page: str) -> list[str]:
    return re.findall(r'name="take" value="([^"]+)" id="take-\d+" checked', page)


def _online_hash(page: str) -> str:
    return re.search(r'name="online_hash" value="([0-9a-f]{64})"', page).group(1)


def test_download_holds_every_part_and_the_hidden_reference(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    document = opened(_download(client, review))

    version = ReviewVersion.objects.filter(review=review).order_by("-number").first()
    assert document.core_properties.identifier == (
        f"ISCM-REVIEW {review.pk} / {review.cycle.slug} / v{version.number} / {version.content_hash}"
    )
    assert version.exported is True
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:5] == [
        ("Heading 1", "Overview"),
        ("Heading 2", "How the review was carried out"),
        ("Heading 2", "Mandate given by Member States"),
        ("Heading 2", "Partnerships"),
        ("Heading 2", KEY_MESSAGES),
    ]
    assert headings[5] == (
        "Heading 1",
        "Objective 1: Collect and utilize accurate and disaggregated data as a basis for evidence-based policies",
    )
    assert len(headings) == 5 + 23 * 7
    assert [p.text for p in body_paragraphs(document, "Objective 7", CHALLENGES)] == ["Funding is short."]
    instructions = [p for p in document.paragraphs if p.style.name == "Portal instruction"]
    assert len(instructions) == 4 + 4 + 23 * 6


def test_round_trip_gives_exactly_the_changes_made_in_word(client, review, bali_secretariat, media):
    client.force_login(bali_secretariat)
    document = opened(_download(client, review))
    versions_before = ReviewVersion.objects.filter(review=review).count()
    replace_text(document, "Objective 6", PROGRESS, "Member States adopted and applied a regional framework.")
    replace_text(document, "Objective 7", CHALLENGES, "Funding is short in two ways:")
    add_list(document, "Objective 7", CHALLENGES, ["shelters", "legal aid"])
    bold_phrase(document, "Overview", KEY_MESSAGES, "ethical recruitment")

    preview_url = _preview_url(_upload(client, review, saved(document)))
    page = client.get(preview_url).content.decode()

    changed = ["overview:key_messages", "objective:6:progress", "objective:7:challenges"]
    assert _parts(page, "change") == changed
    assert _parts(page, "conflict") == []
    assert _checked(page) == changed
    response = client.post(preview_url, {"online_hash": _online_hash(page), "take": changed})

    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:review_workflow", args=[review.pk])
    review.refresh_from_db()
    reports = {r.objective.number: r for r in review.objective_reports.select_related("objective")}
    assert review.key_messages == "Regular pathways and **ethical recruitment** remain the region's priorities."
    assert review.method == "Two regional consultations and a written survey of Member States."
    assert reports[6].progress == "Member States adopted and applied a regional framework."
    assert reports[7].progress == "Shelters opened in three States."
    assert reports[7].challenges == "Funding is short in two ways:\n\n- shelters\n- legal aid"
    assert set(reports) == {6, 7}
    versions = list(ReviewVersion.objects.filter(review=review).order_by("number"))
    assert len(versions) == versions_before + 1
    assert versions[-1].imported_from == "bali-review.docx"
    word_import = WordImport.objects.get()
    assert word_import.applied_version == versions[-1]
    assert word_import.file.read() == saved(document) or word_import.size > 0
    assert len(_stored_files(media)) == 1
    history = client.get(reverse("reviews:review_workflow", args=[review.pk])).content.decode()
    assert "Imported from Word: bali-review.docx" in history
    stored = client.get(reverse("reviews:review_word_file", args=[review.pk, word_import.token]))
    assert stored.status_code == 200
    assert b"".join(stored.streaming_content)[:2] == b"PK"


def test_an_untouched_download_changes_nothing(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    preview_url = _preview_url(_upload(client, review, _download(client, review)))

    page = client.get(preview_url).content.decode()

    assert 'data-testid="no-changes"' in page
    assert _parts(page, "change") == _parts(page, "conflict") == []


def test_a_part_changed_online_after_the_download_is_a_conflict_and_kept_unless_chosen(
    client, review, bali_secretariat, bali
):
    colleague = UserFactory(username="bali-colleague", secretariat_mechanisms=[bali])
    client.force_login(bali_secretariat)
    document = opened(_download(client, review))
    replace_text(document, "Objective 6", PROGRESS, "Changed offline.")
    replace_text(document, "Objective 7", PROGRESS, "Changed offline too.")
    _save_objective(review, 7, colleague, progress="Changed online by a colleague.")
    versions_before = ReviewVersion.objects.filter(review=review).count()

    preview_url = _preview_url(_upload(client, review, saved(document)))
    page = client.get(preview_url).content.decode()

    assert _parts(page, "change") == ["objective:6:progress"]
    assert _parts(page, "conflict") == ["objective:7:progress"]
    assert _checked(page) == ["objective:6:progress"]
    assert "When the file was downloaded" in page
    assert "Shelters opened in three States." in page  # the base, beside online and uploaded
    response = client.post(preview_url, {"online_hash": _online_hash(page), "take": _checked(page)})

    assert response.status_code == 302
    reports = {r.objective.number: r for r in review.objective_reports.select_related("objective")}
    assert reports[6].progress == "Changed offline."
    assert reports[7].progress == "Changed online by a colleague."
    assert ReviewVersion.objects.filter(review=review).count() == versions_before + 1


def test_a_conflict_is_overwritten_only_when_ticked(client, review, bali_secretariat, bali):
    colleague = UserFactory(username="bali-colleague", secretariat_mechanisms=[bali])
    client.force_login(bali_secretariat)
    document = opened(_download(client, review))
    replace_text(document, "Objective 7", PROGRESS, "Changed offline.")
    _save_objective(review, 7, colleague, progress="Changed online.")
    preview_url = _preview_url(_upload(client, review, saved(document)))
    page = client.get(preview_url).content.decode()

    client.post(preview_url, {"online_hash": _online_hash(page), "take": ["objective:7:progress"]})

    assert ObjectiveReport.objects.get(review=review, objective__number=7).progress == "Changed offline."


def test_apply_after_an_online_change_is_refused_and_writes_nothing(client, review, bali_secretariat, bali):
    colleague = UserFactory(username="bali-colleague", secretariat_mechanisms=[bali])
    client.force_login(bali_secretariat)
    document = opened(_download(client, review))
    replace_text(document, "Objective 6", PROGRESS, "Changed offline.")
    preview_url = _preview_url(_upload(client, review, saved(document)))
    page = client.get(preview_url).content.decode()
    _save_objective(review, 9, colleague, progress="Someone typed while the preview was open.")
    versions_before = ReviewVersion.objects.filter(review=review).count()

    response = client.post(preview_url, {"online_hash": _online_hash(page), "take": ["objective:6:progress"]})

    assert response.status_code == 409
    assert "The review changed online since you saw this preview" in response.content.decode()
    assert ObjectiveReport.objects.get(review=review, objective__number=6).progress == (
        "Member States adopted a regional framework."
    )
    assert ReviewVersion.objects.filter(review=review).count() == versions_before
    # The fresh preview shows the new online state; applying from it works.
    fresh = response.content.decode()
    assert (
        client.post(preview_url, {"online_hash": _online_hash(fresh), "take": ["objective:6:progress"]}).status_code
        == 302
    )
    assert ObjectiveReport.objects.get(review=review, objective__number=6).progress == "Changed offline."


def test_applying_twice_is_refused(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    document = opened(_download(client, review))
    replace_text(document, "Objective 6", PROGRESS, "Changed offline.")
    preview_url = _preview_url(_upload(client, review, saved(document)))
    page = client.get(preview_url).content.decode()
    client.post(preview_url, {"online_hash": _online_hash(page), "take": ["objective:6:progress"]})
    versions = ReviewVersion.objects.filter(review=review).count()

    again = client.post(preview_url, {"online_hash": _online_hash(page), "take": ["objective:6:progress"]})

    assert again.status_code == 302
    assert again["Location"] == reverse("reviews:review_workflow", args=[review.pk])
    assert ReviewVersion.objects.filter(review=review).count() == versions


def test_tracked_changes_count_as_accepted_and_comments_can_be_kept(client, review, bali_secretariat):
    client.force_login(bali_secretariat)
    document = opened(_download(client, review))
    [paragraph] = body_paragraphs(document, "Objective 6", PROGRESS)
    paragraph.text = "Member States "
    paragraph._p.append(tracked("w:del", "adopted"))
    paragraph._p.append(tracked("w:ins", "ratified"))
    paragraph.add_run(" a regional framework.")
    document.add_comment(paragraph.runs, text="Ghana: add the year it was ratified.", author="Ghana")
    [other] = body_paragraphs(document, "Objective 7", CHALLENGES)
    document.add_comment(other.runs, text="Drop this?", author="Fiji")

    preview_url = _preview_url(_upload(client, review, saved(document)))
    page = client.get(preview_url).content.decode()

    assert _parts(page, "change") == ["objective:6:progress"]
    assert "Keep as a comment on Objective 6" in page
    assert "Keep as a comment on Objective 7" in page
    comment_ids = re.findall(r'name="keep_comment" value="(\d+)"', page)
    client.post(
        preview_url,
        {"online_hash": _online_hash(page), "take": ["objective:6:progress"], "keep_comment": comment_ids[:1]},
    )
    assert ObjectiveReport.objects.get(review=review, objective__number=6).progress == (
        "Member States ratified a regional framework."
    )
    assert list(Comment.objects.filter(review=review).values_list("part", "body", "author__username")) == [
        ("objective:6", "Word comment by Ghana: Ghana: add the year it was ratified.", "bali-sec")
    ]


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def _macro_docx(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("word/vbaProject.bin", b"macro")
    return buffer.getvalue()


def _with_identifier(data: bytes, identifier: str) -> bytes:
    document = opened(data)
    document.core_properties.identifier = identifier
    for paragraph in document.paragraphs:
        if "ISCM-REVIEW" in paragraph.text:
            paragraph.text = ""
    return saved(document)


def _renamed(data: bytes) -> bytes:
    document = opened(data)
    next(p for p in document.paragraphs if p.text == CHALLENGES).text = "Difficulties"
    return saved(document)


def _deleted(data: bytes) -> bytes:
    document = opened(data)
    heading = next(p for p in document.paragraphs if p.text.startswith("Objective 12:"))
    heading._p.getparent().remove(heading._p)
    return saved(document)


BAD_FILES = {
    "pdf": ("report.pdf", lambda data, review: b"%PDF-1.4\n%%EOF\n", "Upload the review as a Word document (.docx)"),
    "text as docx": ("bali.docx", lambda data, review: b"not a zip", "This file is not a Word document (.docx)"),
    "docm by name": ("bali.docm", lambda data, review: data, "Macro-enabled Word files (.docm) are not accepted"),
    "docm inside": ("bali.docx", lambda data, review: _macro_docx(data), "Macro-enabled Word files (.docm)"),
    "another review": (
        "bali.docx",
        lambda data, review: _with_identifier(data, f"ISCM-REVIEW {review.pk + 1000} / x / v1 / {'0' * 64}"),
        "This Word document belongs to another review.",
    ),
    "another cycle": (
        "bali.docx",
        lambda data, review: _with_identifier(data, f"ISCM-REVIEW {review.pk} / 2020-21 / v1 / {'0' * 64}"),
        "This Word document was made for another review cycle (2020-21).",
    ),
    "not from the portal": ("bali.docx", lambda data, review: _with_identifier(data, ""), "was not made by the portal"),
    "heading renamed": (
        "bali.docx",
        lambda data, review: _renamed(data),
        "“Difficulties” is not a heading the portal made.",
    ),
    "heading deleted": ("bali.docx", lambda data, review: _deleted(data), "The heading “Objective 12” is missing"),
    "empty": ("bali.docx", lambda data, review: b"", "The file is empty."),
    "zip bomb": ("bali.docx", lambda data, review: _zip_bomb(), "This file unpacks to far more than a Word document"),
    "50 MB": ("bali.docx", lambda data, review: b"\0" * (50 * 1024 * 1024), "Word documents up to 20.0\xa0MB"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_with_a_message_and_nothing_written(client, review, bali_secretariat, media, case):
    name, make, message = BAD_FILES[case]
    client.force_login(bali_secretariat)
    data = make(_download(client, review), review)
    versions = ReviewVersion.objects.filter(review=review).count()
    before = Review.objects.filter(pk=review.pk).values().get()

    response = _upload(client, review, data, name=name)

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert WordImport.objects.count() == 0
    assert _stored_files(media) == []
    assert ReviewVersion.objects.filter(review=review).count() == versions
    assert Review.objects.filter(pk=review.pk).values().get() == before


def test_approved_review_refuses_upload(client, bali, bali_secretariat, iom_user):
    review = review_in_status(ReviewStatus.APPROVED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    client.force_login(bali_secretariat)

    assert client.get(reverse("reviews:review_word_download", args=[review.pk])).status_code == 200
    assert client.get(reverse("reviews:review_word_upload", args=[review.pk])).status_code == 403


def test_iom_brings_word_comments_into_a_review_in_review(client, bali, bali_secretariat, iom_user):
    review = review_in_status(ReviewStatus.IN_REVIEW, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    client.force_login(iom_user)
    document = opened(_download(client, review))
    [paragraph] = body_paragraphs(document, "Objective 6", PROGRESS)
    document.add_comment(paragraph.runs, text="Which States?", author="IOM reviewer")
    replace_text(document, "Objective 7", PROGRESS, "IOM may not change the text.")

    preview_url = _preview_url(_upload(client, review, saved(document)))
    page = client.get(preview_url).content.decode()
    assert "only the comments can be added" in page
    assert 'name="take"' not in page
    comment_ids = re.findall(r'name="keep_comment" value="(\d+)"', page)
    response = client.post(
        preview_url, {"online_hash": _online_hash(page), "take": ["objective:7:progress"], "keep_comment": comment_ids}
    )

    assert response.status_code == 302
    assert list(Comment.objects.filter(review=review).values_list("part", "author__username")) == [
        ("objective:6", "iom")
    ]
    assert not ObjectiveReport.objects.filter(review=review, objective__number=7).exists()


def test_another_users_pending_upload_is_not_found(client, review, bali_secretariat, bali):
    client.force_login(bali_secretariat)
    preview_url = _preview_url(_upload(client, review, _download(client, review)))
    client.force_login(UserFactory(username="bali-colleague", secretariat_mechanisms=[bali]))

    assert client.get(preview_url).status_code == 404


@pytest.mark.skipif(not Path("/usr/bin/soffice").exists(), reason="LibreOffice Writer is not installed")
def test_a_document_saved_by_libreoffice_imports(client, review, bali_secretariat, tmp_path):
    client.force_login(bali_secretariat)
    document = opened(_download(client, review))
    replace_text(document, "Objective 6", PROGRESS, "Edited before LibreOffice saved it.")
    add_list(document, "Objective 6", PROGRESS, ["first", "second"], style="List Number")
    source = tmp_path / "in" / "bali.docx"
    source.parent.mkdir()
    source.write_bytes(saved(document))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )

    preview_url = _preview_url(_upload(client, review, (tmp_path / "out" / "bali.docx").read_bytes()))
    page = client.get(preview_url).content.decode()
    client.post(preview_url, {"online_hash": _online_hash(page), "take": _checked(page)})

    assert _parts(page, "change") == ["objective:6:progress"]
    assert ObjectiveReport.objects.get(review=review, objective__number=6).progress == (
        "Edited before LibreOffice saved it.\n\n1. first\n2. second"
    )


@pytest.mark.parametrize(
    ("language", "section", "part"),
    [("fr", "Objectif", "Progrès accomplis"), ("es", "Objetivo", "Progresos realizados")],
)
def test_a_document_made_in_french_or_spanish_reads_back_whatever_the_page_language(
    review, bali_secretariat, language, section, part
):
    from django.utils import translation

    from reviews.services import review_word_export, word_import_upload
    from reviews.word_preview import word_import_preview

    with translation.override(language):
        data, name = review_word_export(review=review, by=bali_secretariat)
    document = opened(data)
    replace_text(document, f"{section} 6", part, "Edited in another language's document.")

    word_import = word_import_upload(
        review=review, upload=SimpleUploadedFile(name, saved(document)), by=bali_secretariat
    )

    preview = word_import_preview(word_import=word_import, review=review)
    assert [(change.part.key, change.uploaded, change.conflict) for change in preview.changes] == [
        ("objective:6:progress", "Edited in another language's document.", False)
    ]
