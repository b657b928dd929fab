"""IOM's synthesis in the compiled report: the executive summary up front, each objective's synthesis above the
mechanisms' text, the draft notice on the cover, the sections cache, the tagged PDF and the French report."""

import zipfile
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from gcm.models import Objective
from packages import synthesis
from packages.enums import VersionStatus

from .helpers import compile_now, contents_entries, media_path, page_text
from .pdf_ua import pdf_ua_problems

pytestmark = pytest.mark.django_db(transaction=True)

SUMMARY = "Across the regions, **labour mobility** moved furthest.\n\n- Data remain scarce.\n- Pathways widened."
OBJECTIVE_2 = "Two regions tie *adverse drivers* to climate: IOM reads them together."


def _write(package, iom_user, *, summary=SUMMARY, objective_2=OBJECTIVE_2):
    if summary:
        synthesis.synthesis_text_save(package=package, objective=None, text=summary, loaded_revision=0, by=iom_user)
    objective = Objective.objects.get(number=2)
    synthesis.synthesis_text_save(
        package=package, objective=objective, text=objective_2, loaded_revision=0, by=iom_user
    )


def _compiled(package, user, capture):
    version = compile_now(package, user, capture)
    assert version.status == VersionStatus.DONE, version.error
    path = media_path(version.pdf)
    front_pages = sum(1 for label in PdfReader(path).page_labels if not label.isdigit())
    return version, path, front_pages


def _flat(path, page):
    return " ".join(page_text(path, page).split())


def test_report_opens_with_the_summary_and_puts_the_synthesis_above_the_mechanisms(
    package, iom_user, django_capture_on_commit_callbacks
):
    _write(package, iom_user)
    version, path, front_pages = _compiled(package, iom_user, django_capture_on_commit_callbacks)
    entries = contents_entries(path, front_pages)
    assert entries[:2] == [("Executive summary", 1), ("Key figures and coverage of the objectives", 2)]
    summary = _flat(path, front_pages + 1)
    assert "Executive summary Across the regions, labour mobility moved furthest. • Data remain scarce." in summary
    chapter = _flat(path, front_pages + dict(entries)["Objective 2: Minimize adverse drivers"])
    synthesis_at = chapter.index("IOM synthesis Two regions tie adverse drivers to climate: IOM reads them together.")
    assert synthesis_at < chapter.index("From the Bali Process review") < chapter.index("From the MIDWA review")
    cover = _flat(path, 1)
    assert "Draft. IOM's synthesis in this report is not final yet" in cover
    assert (version.synthesis_version, version.synthesis_final) == (1, False)
    # The draft watermark and the synthesis keep the tagged PDF valid.
    assert pdf_ua_problems(path) == []
    # The Word report says the same, from the same snapshot, and is in the data package beside the PDF.
    document = Document(media_path(version.docx))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:4] == [
        ("Title", "Regional reviews 2024: input to the IMRF 2026"),
        ("Heading 1", "Foreword"),
        ("Heading 1", "Executive summary"),
        ("Heading 1", "Key figures"),
    ]
    chapter = headings[headings.index(("Heading 1", "Objective 2: Minimize adverse drivers")) :]
    assert chapter[1:4] == [
        ("Heading 2", "IOM synthesis"),
        ("Heading 2", "Progress made"),
        ("Heading 3", "From the Bali Process review"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert "Two regions tie adverse drivers to climate: IOM reads them together." in texts
    assert [p.style.name for p in document.paragraphs if p.text in ("Data remain scarce.", "Pathways widened.")] == [
        "List Bullet",
        "List Bullet",
    ]
    assert any(p.text.startswith("Draft. IOM's synthesis in this report is not final yet") for p in document.paragraphs)
    matrix = document.tables[1]
    assert [cell.text for cell in matrix.rows[0].cells][:3] == ["Mechanism", "1", "2"]
    assert [row.cells[0].text for row in matrix.rows[1:]] == ["Bali Process", "MIDWA", "Rabat Process"]
    with zipfile.ZipFile(media_path(version.zip)) as archive:
        assert f"report/{Path(version.docx.name).name}" in archive.namelist()


def test_recompile_after_a_synthesis_edit_renders_only_the_parts_it_changed(
    package, iom_user, fresh_parts_cache, django_capture_on_commit_callbacks
):
    _write(package, iom_user)
    first = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert first.parts_rendered == first.parts_total == 30
    synthesis.synthesis_text_save(
        package=package, objective=Objective.objects.get(number=2), text="Rewritten.", loaded_revision=1, by=iom_user
    )
    second = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert (second.parts_rendered, second.parts_reused) == (1, 29)  # objective 2
    synthesis.synthesis_mark_final(package=package, by=iom_user)
    third, path, _front = _compiled(package, iom_user, django_capture_on_commit_callbacks)
    assert (third.parts_rendered, third.parts_reused) == (1, 29)  # the cover, without its draft notice
    assert "Draft" not in _flat(path, 1)
    assert (third.synthesis_version, third.synthesis_final) == (1, True)


def test_french_report_attributes_the_mechanisms_text_in_french(package, iom_user, django_capture_on_commit_callbacks):
    package.language = "fr"
    package.save(update_fields=["language"])
    _write(package, iom_user, summary="")
    version, path, front_pages = _compiled(package, iom_user, django_capture_on_commit_callbacks)
    entries = contents_entries(path, front_pages)
    assert entries[0] == ("Chiffres clés et couverture des objectifs", 1)  # no summary written: none printed
    chapter = _flat(path, front_pages + dict(entries)["Objectif 2"])
    assert chapter.index("Synthèse de l’OIM Two regions tie") < chapter.index(
        "Extrait de l’examen régional : Bali Process"
    )
    assert "Brouillon. La synthèse de l’OIM dans ce rapport n’est pas encore définitive" in _flat(path, 1)
