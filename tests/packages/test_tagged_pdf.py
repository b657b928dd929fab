"""The report and the single-review PDF are tagged PDF/UA-1 documents, also after the parts are joined.

Checked with the structural PDF/UA check of `pdf_ua.py` (pikepdf): veraPDF is not in PyPI, Debian or npm.
"""

import subprocess

import pikepdf
import pytest

from packages.enums import VersionStatus
from reviews.models import Review

from .helpers import compile_now, media_path
from .pdf_ua import pdf_ua_problems, structure

pytestmark = pytest.mark.django_db(transaction=True)


def _languages(path) -> dict[str, int]:
    counts = {}
    with pikepdf.open(path) as pdf:
        for element, _depth in structure(pdf):
            if "/Lang" in element:
                counts[str(element.Lang)] = counts.get(str(element.Lang), 0) + 1
    return counts


def test_compiled_report_is_one_valid_pdf_ua_structure_tree(
    package, iom_user, approved_reviews, django_capture_on_commit_callbacks
):
    Review.objects.filter(pk=approved_reviews[1].pk).update(language="fr")
    package.language = "es"
    package.save()
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert version.status == VersionStatus.DONE, version.error
    path = media_path(version.pdf)
    assert pdf_ua_problems(path) == []
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "es"
        [document] = list(pdf.Root.StructTreeRoot.K)
        assert document.S == "/Document"
        kinds = [str(element.S) for element, _depth in structure(pdf)]
        figures = [str(element.Alt) for element, _depth in structure(pdf) if element.S == "/Figure"]
        parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(parent_tree[::2]) + 1
    # One h1 per section at least (cover, contents, key figures, matrix, 23 objectives, 3 annexes, attachments).
    assert kinds.count("/H1") >= 31
    assert {"/L", "/LI", "/Table", "/TH", "/TD", "/Link"} <= set(kinds)
    # The charts are figures whose alternative text, in the report's language, gives their data.
    took_part = len({state.pk for review in approved_reviews for state in review.participating_states.all()})
    assert [alt.split(".")[0] for alt in figures] == [
        f"Gráfico de barras de los {took_part} Estados que participaron en los exámenes, por región y voto de 2018 "
        "sobre el Pacto Mundial",
        "Mapa de calor de los objetivos sobre los que informó cada uno de los 3 mecanismos",
    ]
    assert "Bali Process: objetivos 1, 2 y 5" in figures[1]
    # The French review's passages are marked French; the Spanish report's GCM titles missing in Spanish, English.
    languages = _languages(path)
    assert languages["fr"] >= 10
    assert languages["en"] >= 10


def test_review_pdf_is_tagged_pdf_ua(client, iom_user, approved_reviews, tmp_path):
    review = approved_reviews[1]
    Review.objects.filter(pk=review.pk).update(language="fr")
    client.force_login(iom_user)
    path = tmp_path / "review.pdf"
    path.write_bytes(client.get(f"/packages/reviews/{review.pk}/pdf/").content)
    assert pdf_ua_problems(path) == []
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "fr"
        assert str(pdf.open_metadata()["dc:title"]) == f"{review.mechanism.acronym}: {review.cycle.name}"
