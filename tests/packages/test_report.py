"""The compiled PDF read back: contents, page numbers, outline, metadata, fonts, and the cache of sections."""

import pytest
from pypdf import PdfReader

from gcm.models import Objective
from packages.enums import VersionStatus
from packages.selectors import review_for_pdf, review_pdf_snapshot
from reviews.models import ObjectiveReport
from reviews.versions import review_version_record

from .helpers import compile_now, contents_entries, media_path, page_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def compiled(package, iom_user, django_capture_on_commit_callbacks):
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert version.status == VersionStatus.DONE, version.error
    path = media_path(version.pdf)
    reader = PdfReader(path)
    front_pages = sum(1 for label in reader.page_labels if not label.isdigit())
    return version, path, reader, front_pages


def test_report_contents_point_to_the_pages_where_each_objective_starts(compiled):
    version, path, reader, front_pages = compiled
    entries = dict(contents_entries(path, front_pages))
    for objective in Objective.objects.order_by("number"):
        title = f"Objective {objective.number}: {objective.short_label}"
        page = front_pages + entries[title]
        text = page_text(path, page)
        assert f"Objective {objective.number}\n" in text
        assert objective.title in " ".join(text.split())
        # The stamped footer shows the same number the contents gave.
        assert text.rstrip().splitlines()[-1].split()[-1] == str(entries[title])


def test_report_contents_point_to_each_mechanism_annex(compiled, approved_reviews):
    version, path, reader, front_pages = compiled
    entries = contents_entries(path, front_pages)
    for review in approved_reviews:
        mechanism = review.mechanism
        [(title, number)] = [(title, page) for title, page in entries if title.startswith(f"{mechanism.acronym} ·")]
        text = " ".join(page_text(path, front_pages + number).split())
        assert text.startswith(f"Regional reviews 2024: input to the IMRF 2026 Annex · {mechanism.acronym}")
        assert mechanism.name in text
        assert "Stakeholders consulted" in " ".join(
            page_text(path, p) for p in range(front_pages + number, front_pages + number + 3)
        ).replace("\n", " ")


def test_report_every_objective_synthesis_names_the_mechanisms_that_reported(compiled, approved_reviews):
    version, path, reader, front_pages = compiled
    entries = dict(contents_entries(path, front_pages))
    text = " ".join(page_text(path, front_pages + entries["Objective 2: Minimize adverse drivers"]).split())
    assert "Reported on by 2 of 3 mechanisms." in text
    assert "Not addressed by Rabat Process." in text
    assert text.count("Progress") >= 1


def test_report_has_metadata_outline_labels_and_embedded_fonts(compiled):
    version, path, reader, front_pages = compiled
    assert reader.metadata.title == "Regional reviews 2024: input to the IMRF 2026"
    assert reader.metadata.author == "IOM (Test Iom)"
    assert reader.metadata.subject == (
        "Regional reviews of the GCM, 2024 regional reviews: input to the International Migration Review Forum 2026"
    )
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert version.pdf_pages == len(reader.pages)
    top_level = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top_level[:3] == ["Contents", "Key figures and coverage of the objectives", "Objective 1: Data"]
    assert "Annex A · The regional reviews" in top_level
    assert reader.page_labels[:front_pages] == ["i", "ii", "iii", "iv"][:front_pages]
    assert reader.page_labels[front_pages] == "1"
    fonts = set()
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts.add((str(font["/BaseFont"]).split("+")[-1], "/FontFile2" in descendant["/FontDescriptor"]))
    assert all(embedded for _name, embedded in fonts)
    assert {name for name, _embedded in fonts} >= {"Noto-Sans", "Noto-Sans-Bold"}


def test_report_key_figures_and_matrix_are_on_their_pages(compiled):
    version, path, reader, front_pages = compiled
    first = " ".join(page_text(path, front_pages + 1).split())
    assert first.startswith("Regional reviews 2024: input to the IMRF 2026 Key figures Key figures 3 97")
    for label in ("mechanisms reviewed", "UN Member States covered", "objectives addressed", "GCM stance"):
        assert label in first
    [matrix_index] = [
        index
        for index, page in enumerate(reader.pages)
        if float(page.mediabox.width) > float(page.mediabox.height)  # the one landscape page
    ]
    matrix = " ".join(page_text(path, matrix_index + 1).split())
    assert matrix.startswith("Regional reviews 2024: input to the IMRF 2026 Coverage of the objectives Coverage of")
    for label in ("regional priority", "addressed", "not addressed", "Mechanisms that reported on the objective"):
        assert label in matrix


def test_recompile_without_changes_reuses_every_section(
    package, iom_user, fresh_parts_cache, django_capture_on_commit_callbacks
):
    first = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    second = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert (first.number, second.number) == (1, 2)
    assert first.parts_rendered == first.parts_total == 29
    assert (second.parts_rendered, second.parts_reused) == (0, 29)
    assert second.review_versions == first.review_versions


def test_recompile_after_one_report_changed_renders_only_that_objective(
    package, iom_user, approved_reviews, fresh_parts_cache, django_capture_on_commit_callbacks
):
    first = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    report = ObjectiveReport.objects.get(review=approved_reviews[0], objective__number=5)
    report.challenges = "Funding remains short; see the regional action plan."
    report.revision += 1
    report.save()
    second = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert (second.parts_rendered, second.parts_reused) == (1, 28)
    changed = [
        (old["mechanism"], old["content_hash"] != new["content_hash"])
        for old, new in zip(first.review_versions, second.review_versions, strict=True)
    ]
    assert changed == [("Bali Process", True), ("MIDWA", False), ("Rabat Process", False)]
    text = " ".join(page_text(media_path(second.pdf), 1).split())
    assert "Regional reviews 2024: input to the IMRF 2026" in text


def test_pledges_annex_groups_snapshot_pledges_by_objective(approved_reviews):
    from packages.pdf import part_specs, pledge_groups
    from packages.selectors import package_snapshot
    from tests.factories import PackageFactory

    snapshot = package_snapshot(PackageFactory(cycle=approved_reviews[0].cycle))
    assert "pledges" not in [spec["key"] for spec in part_specs(snapshot)] or snapshot["pledges"]
    snapshot["pledges"] = [
        {"id": 1, "title": "Fair recruitment corridor", "by": "Ghana", "objectives": [6, 23]},
        {"id": 2, "title": "Missing migrants data", "by": "MIDWA", "objectives": [8]},
    ]
    groups = [
        (group["objective"]["number"], [p["title"] for p in group["pledges"]]) for group in pledge_groups(snapshot)
    ]
    assert groups == [
        (6, ["Fair recruitment corridor"]),
        (8, ["Missing migrants data"]),
        (23, ["Fair recruitment corridor"]),
    ]
    assert [spec["key"] for spec in part_specs(snapshot)][-2:] == ["pledges", "attachments"]


def test_report_contents_lines_jump_to_their_pages(compiled):
    version, path, reader, front_pages = compiled
    entries = contents_entries(path, front_pages)
    targets = []
    for page in reader.pages[:front_pages]:
        for ref in page.get("/Annots", []) or []:
            annotation = ref.get_object()
            if "/Dest" in annotation:
                targets.append(reader.get_page_number(annotation["/Dest"][0].get_object()) - front_pages + 1)
    # WeasyPrint makes one link per box of a line (title, leader, number), in reading order (the objectives'
    # two columns one after the other), where the text reads across the columns: compare the pages.
    assert list(dict.fromkeys(targets)) == sorted(set(targets)) == sorted({number for _title, number in entries})
    annotations = [ref.get_object() for page in reader.pages[:front_pages] for ref in page.get("/Annots", []) or []]
    assert {("/A" in annotation, "/Dest" in annotation) for annotation in annotations} == {(False, True)}


FORMATTED = (
    "**Fair recruitment code.** Adopted by *ten* States.\n\n"
    "- Bilateral labour agreements\n- Joint **inspections**\n\n"
    "1. First step\n2. Second step"
)


def _formatting_marks_and_words(text: str) -> dict:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return {
        "marks": [line for line in lines if "**" in line or "*ten*" in line or line.startswith("- ")],
        "lead": sum(1 for line in lines if line.startswith("Fair recruitment code. Adopted by ten States.")),
        "bullets": sum(1 for line in lines if line in ("• Bilateral labour agreements", "• Joint inspections")),
        "numbers": sum(1 for line in lines if line in ("1. First step", "2. Second step")),
    }


def test_report_prints_review_formatting_not_its_marks(
    package, iom_user, approved_reviews, django_capture_on_commit_callbacks
):
    review = approved_reviews[0]
    review.key_messages = FORMATTED
    review.save()
    ObjectiveReport.objects.filter(review=review, objective__number=1).update(good_practices=FORMATTED)
    version = compile_now(package, iom_user, django_capture_on_commit_callbacks)
    assert version.status == VersionStatus.DONE, version.error
    path = media_path(version.pdf)
    text = "\n".join(page_text(path, page) for page in range(1, version.pdf_pages + 1))
    # Once in the Bali Process annex (key messages), once on the page of objective 1 (good practices).
    assert _formatting_marks_and_words(text) == {"marks": [], "lead": 2, "bullets": 4, "numbers": 4}


def test_review_pdf_prints_review_formatting_not_its_marks(client, iom_user, approved_reviews, tmp_path):
    review = approved_reviews[0]
    review.key_messages = FORMATTED
    review.save()
    ObjectiveReport.objects.filter(review=review, objective__number=1).update(good_practices=FORMATTED)
    client.force_login(iom_user)
    path = tmp_path / "review.pdf"
    path.write_bytes(client.get(f"/packages/reviews/{review.pk}/pdf/").content)
    text = "\n".join(page_text(path, page) for page in range(1, len(PdfReader(path).pages) + 1))
    assert _formatting_marks_and_words(text) == {"marks": [], "lead": 2, "bullets": 4, "numbers": 4}


def test_snapshot_records_the_content_hash_of_the_review_version_it_printed(approved_reviews, iom_user):
    review = approved_reviews[0]
    version = review_version_record(review=review, by=iom_user)
    snapshot = review_pdf_snapshot(review_for_pdf(review.pk).get())
    assert snapshot["reviews"][0]["content_hash"] == version.content_hash
