"""Offline drafting (issue 14): the Bali Process secretariat downloads its review as Word, changes objective 6
offline while a colleague's autosave changes objective 7 online, uploads the file, sees objective 6 as a change and
objective 7 as a conflict, applies, and the history shows one version imported from Word with nothing lost."""

import re

from playwright.sync_api import expect

from gcm.models import Objective
from reviews.enums import ReviewStatus
from reviews.models import ObjectiveReport, ReviewVersion
from reviews.services import objective_report_save
from tests.factories import UserFactory
from tests.factories.workflow import review_in_status
from tests.reviews.word_editing import opened, replace_text, saved

PROGRESS = "Progress made"


def _save(review, number, by, progress):
    objective = Objective.objects.get(number=number)
    report = ObjectiveReport.objects.filter(review=review, objective=objective).first()
    objective_report_save(
        review=review,
        objective=objective,
        data={"progress": progress},
        loaded_revision=report.revision if report else 0,
        by=by,
    )


def test_secretariat_brings_its_word_draft_back_without_losing_a_colleagues_change(
    page, login, bali, bali_secretariat, iom_user, tmp_path
):
    review = review_in_status(
        ReviewStatus.CHANGES_REQUESTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user
    )
    _save(review, 7, bali_secretariat, "Shelters opened in three States.")
    colleague = UserFactory(username="bali-colleague", secretariat_mechanisms=[bali])
    login("bali-sec")

    page.goto(f"/reviews/{review.pk}/objectives/6/")
    with page.expect_download() as download_info:
        page.get_by_test_id("editor-word-download").click()
    download = download_info.value
    assert re.fullmatch(r"bali-process-2024-regional-reviews-v\d+\.docx", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    # Offline: objective 6 and objective 7 are rewritten in the word processor...
    document = opened(path.read_bytes())
    replace_text(document, "Objective 6", PROGRESS, "Ten States ratified the regional framework in 2025.")
    replace_text(document, "Objective 7", PROGRESS, "Shelters opened in four States.")
    edited = tmp_path / "bali-after-the-working-group.docx"
    edited.write_bytes(saved(document))
    # ...while a colleague's autosave changes objective 7 online.
    _save(review, 7, colleague, "Shelters opened in three States; two more are planned.")
    versions_before = ReviewVersion.objects.filter(review=review).count()

    page.get_by_test_id("editor-word-upload").click()
    expect(page.get_by_role("heading", name="Upload the review from Word")).to_be_visible()
    page.get_by_label("Word document (.docx)").set_input_files(str(edited))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="What the Word document changes")).to_be_visible()
    change = page.locator('fieldset[data-part="objective:6:progress"]')
    conflict = page.locator('fieldset[data-part="objective:7:progress"]')
    expect(change).to_have_attribute("data-kind", "change")
    expect(conflict).to_have_attribute("data-kind", "conflict")
    expect(page.locator("fieldset[data-part]")).to_have_count(2)
    expect(change.get_by_role("checkbox", name="Take this")).to_be_checked()
    expect(conflict.get_by_role("checkbox")).not_to_be_checked()
    expect(conflict.get_by_role("columnheader", name="When the file was downloaded")).to_be_visible()
    expect(conflict.locator("ins").first).to_be_visible()
    page.get_by_role("button", name="Apply what is ticked").click()

    expect(
        page.get_by_text(re.compile(r"Imported from Word “bali-after-the-working-group\.docx” as version"))
    ).to_be_visible()
    expect(page.locator("[data-imported-from]")).to_have_count(1)
    reports = {r.objective.number: r.progress for r in review.objective_reports.select_related("objective")}
    assert reports[6] == "Ten States ratified the regional framework in 2025."
    assert reports[7] == "Shelters opened in three States; two more are planned."
    assert ReviewVersion.objects.filter(review=review).count() == versions_before + 1
    latest = ReviewVersion.objects.filter(review=review).order_by("-number").first()
    assert latest.imported_from == "bali-after-the-working-group.docx"
