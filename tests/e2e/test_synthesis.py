"""IOM writes the synthesis of objective 6 beside the mechanisms' text, and finds it in the compiled report above
what the mechanisms wrote."""

import re
import subprocess

from docx import Document
from playwright.sync_api import expect

from mechanisms.models import Mechanism
from packages.models import SynthesisText, SynthesisVersion
from tests.e2e.test_packages import worker_thread  # noqa: F401 - the compile's worker
from tests.factories import ApprovedReviewContentFactory, PackageFactory, ReviewCycleFactory

SYNTHESIS = "Fair recruitment is where the regions agree most.\n\n- Fees are still paid by migrants."


def test_iom_writes_the_synthesis_of_objective_6_and_finds_it_above_the_mechanisms_in_the_report(
    page,
    login,
    iom_user,
    reference_data,
    worker_thread,  # noqa: F811
):
    cycle = ReviewCycleFactory()
    for index, slug in enumerate(["bali-process", "midwa"]):
        ApprovedReviewContentFactory(
            mechanism=Mechanism.objects.get(slug=slug), cycle=cycle, objectives=(6,), seed=index
        )
    package = PackageFactory(cycle=cycle, created_by=iom_user)

    login("iom")
    page.goto(f"/packages/{package.pk}/")
    page.locator('[data-action="write-synthesis"]').click()
    expect(page.get_by_role("heading", level=2, name="Executive summary", exact=True)).to_be_visible()
    page.get_by_test_id("synthesis-chip-6").click()
    expect(page).to_have_url(re.compile(rf"/packages/{package.pk}/synthesis/objectives/6/$"))
    # Every mechanism's text on objective 6 is beside the editor.
    mechanisms = page.get_by_test_id("mechanism-texts")
    expect(mechanisms.locator("article[data-mechanism]")).to_have_count(2)
    expect(mechanisms.get_by_role("heading", name=re.compile("^Bali Process"))).to_be_visible()
    expect(mechanisms).to_contain_text("Progress made")

    page.get_by_label("IOM synthesis of objective 6").fill(SYNTHESIS)
    expect(page.get_by_test_id("autosave-status")).to_contain_text("Draft saved automatically", timeout=20_000)
    assert SynthesisText.objects.get(package=package, objective__number=6).text == SYNTHESIS
    assert SynthesisVersion.objects.filter(package=package).count() == 1
    page.screenshot(path="/tmp/shots-synthesis/objective-6.png", full_page=True)

    # A colleague's remark goes beside the text, like on a review.
    page.locator("#comments-objective-6 summary").click()
    page.get_by_label("Your comment on Objective 6").fill("Name the regions?")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#comments-objective-6 .comment-open")).to_contain_text("Name the regions?")

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/shots-synthesis/objective-6-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/packages/{package.pk}/")
    expect(page.get_by_test_id("synthesis-card")).to_contain_text("Synthesis written for 1 objective (6).")
    page.locator('[data-action="compile"]').click()
    status = page.locator("#version-progress [data-status]")
    expect(status).to_have_attribute("data-status", re.compile("done|failed"), timeout=180_000)
    expect(status).to_have_attribute("data-status", "done")
    page.screenshot(path="/tmp/shots-synthesis/package-done.png", full_page=True)

    with page.expect_download() as pdf_download:
        page.locator('#version-progress [data-download="pdf"]').click()
    text = " ".join(
        subprocess.run(
            ["pdftotext", pdf_download.value.path(), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Draft. IOM's synthesis in this report is not final yet" in text
    chapter = text[text.index("Objective 6 Facilitate fair and ethical recruitment") :]
    assert chapter.index("IOM synthesis Fair recruitment is where the regions agree most. • Fees are still paid") < (
        chapter.index("From the Bali Process review")
    )

    # The Word report, from the same content: the synthesis under its heading, then the mechanisms' text.
    with page.expect_download() as docx_download:
        page.locator('#version-progress [data-download="docx"]').click()
    assert docx_download.value.suggested_filename == "regional-reviews-2024-input-to-the-imrf-2026-v1.docx"
    paragraphs = [(p.style.name, p.text) for p in Document(docx_download.value.path()).paragraphs]
    start = paragraphs.index(("Heading 1", "Objective 6: Recruitment and decent work"))
    chapter = paragraphs[start:]
    synthesis_at = chapter.index(("Normal", "Fair recruitment is where the regions agree most."))
    assert chapter[synthesis_at - 1] == ("Heading 2", "IOM synthesis")
    assert chapter[synthesis_at + 1] == ("List Bullet", "Fees are still paid by migrants.")
    assert synthesis_at < chapter.index(("Heading 3", "From the Bali Process review"))
