"""IOM asks for changes on one objective, the secretariat answers and resubmits, IOM compares and approves.

Every step that is hard to undo (submit, request changes, approve) asks once, saying what will happen."""

import os
import re
from pathlib import Path

from django.core import mail
from playwright.sync_api import expect

from reviews.enums import ReviewStatus as S
from tests.factories import complete_review

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots-review-workflow"))
SHOTS.mkdir(parents=True, exist_ok=True)


def _switch_user(page, login, username):
    page.context.clear_cookies()
    login(username)


def test_review_changes_requested_resubmitted_compared_and_approved(
    page, login, reference_data, bali, bali_secretariat, iom_user
):
    review = complete_review(bali)
    workflow_url = f"/reviews/{review.pk}/workflow/"
    mail.outbox.clear()

    # The secretariat submits its review.
    login("bali-sec")
    page.goto(workflow_url)
    # Submission goes through the final check, then asks once.
    page.get_by_role("link", name="Submit to IOM…").click()
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/check/$"))
    page.get_by_role("button", name="Submit to IOM…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Submit to IOM: Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime, "
        "2024 regional reviews?"
    )
    assert mail.outbox == []
    page.get_by_role("button", name="Yes, submit to IOM").click()
    expect(page.get_by_role("alert").filter(has_text="Done: “Submit to IOM”.")).to_be_visible()

    # The IOM reviewer finds it on the dashboard and comments on objective 6.
    _switch_user(page, login, "iom")
    expect(page).to_have_url(re.compile(r"/reviews/iom/$"))
    page.get_by_role("row").filter(has_text="Bali Process").get_by_role("link", name="Bali Process").click()
    # The review page: the text, with the workflow actions and a comment form beside each part.
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/$"))
    objective = page.locator("#comments-objective-6")
    objective.get_by_text("Comment on Objective 6", exact=True).click()
    objective.get_by_label("Your comment on Objective 6").fill("Please give the 2023 figures for fair recruitment.")
    objective.get_by_role("button", name="Add comment").click()
    expect(page.locator("#comments-objective-6 .comment-body")).to_have_text(
        "Please give the 2023 figures for fair recruitment."
    )
    page.get_by_role("button", name="Request changes…").click()
    # Asked once: what happens, the comment the e-mail lists, and a note for the secretariat.
    expect(page.get_by_test_id("what-happens")).to_contain_text("The review goes back to the secretariat")
    expect(page.get_by_test_id("open-comments").get_by_role("listitem")).to_have_text(
        ["Objective 6: Please give the 2023 figures for fair recruitment."]
    )
    page.get_by_label("Note for the secretariat (optional)").fill("Thank you: one figure is missing.")
    page.get_by_role("button", name="Yes, send it back").click()
    expect(page.get_by_role("alert").filter(has_text="Done: “Request changes”.")).to_be_visible()
    expect(page.get_by_test_id("review-status")).to_have_text("Changes requested")

    # The secretariat lands on its dashboard, where the review waits on it, and opens it.
    _switch_user(page, login, "bali-sec")
    expect(page).to_have_url(re.compile(r"/reviews/$"))
    page.get_by_role("row").filter(has_text="Bali Process").get_by_role(
        "link", name="Answer the comments and resubmit"
    ).click()
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/$"))
    # The page opens with what IOM asked: the note and each open comment, linking to its part.
    summary = page.get_by_test_id("changes-requested")
    expect(summary.get_by_test_id("cover-note")).to_have_text("Thank you: one figure is missing.")
    expect(summary.get_by_test_id("changes-requested-comments").get_by_role("listitem")).to_have_text(
        ["Objective 6: Please give the 2023 figures for fair recruitment."]
    )
    comment_id = review.comments.get().pk
    summary.get_by_role("link", name="Objective 6").click()
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/#comment-{comment_id}$"))
    expect(page.locator(f"#objective-6 #comment-{comment_id}")).to_be_in_viewport()
    page.screenshot(path=str(SHOTS / "secretariat-changes-requested.png"))
    # On the review page the comment sits beside objective 6, and nowhere else.
    beside = page.locator("#objective-6 #comments-objective-6")
    expect(beside.locator(".comment-body")).to_have_text("Please give the 2023 figures for fair recruitment.")
    expect(page.locator("#comments-overview")).to_have_count(0)

    # It edits objective 6 in the real form, with the comment beside the form, and answers the comment.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_test_id("objective-chip-6").click()
    beside_form = page.locator(".step-comments #comments-objective-6")
    expect(beside_form.locator(".comment-body")).to_have_text("Please give the 2023 figures for fair recruitment.")
    beside_form.get_by_text("Reply", exact=True).click()
    beside_form.get_by_label("Your reply").fill("Added the 2023 figures.")
    beside_form.get_by_role("button", name="Send reply").click()
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/objectives/6/#comments-objective-6$"))
    expect(page.locator(".step-comments .comment-replies")).to_contain_text("Added the 2023 figures.")
    page.get_by_label("Progress made").fill(
        "Member States adopted a regional framework on fair recruitment; 1,250 recruiters certified in 2023."
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert").filter(has_text="Objective 6 saved.")).to_be_visible()

    # It resubmits from the final check page.
    page.get_by_role("link", name="Final check and submit").click()
    page.get_by_role("button", name="Submit to IOM…").click()
    page.get_by_role("button", name="Yes, submit to IOM").click()
    expect(page.get_by_role("alert").filter(has_text="Done: “Submit to IOM”.")).to_be_visible()
    expect(page.get_by_test_id("review-status")).to_have_text("Submitted")

    # The reviewer compares what was sent back with the resubmission, then approves.
    _switch_user(page, login, "iom")
    page.goto(workflow_url)
    page.get_by_role("link", name="What changed since the last submission").click()
    expect(page.get_by_role("heading", name="Compare versions")).to_be_visible()
    changed = page.locator("#diff-objective-6 .diff-row")
    expect(changed.locator(".diff-old del")).to_have_count(0)
    expect(changed.locator(".diff-new ins")).to_have_text(["; 1,250 recruiters certified in 2023"])
    expect(page.locator("#diff-overview")).to_contain_text("no changes")
    page.get_by_role("link", name=re.compile(r"Bali Process")).first.click()
    page.locator("#comments-objective-6").get_by_role("button", name="Mark resolved").click()
    page.get_by_role("button", name="Approve…").click()
    expect(page.get_by_test_id("what-happens")).to_contain_text("The review becomes public")
    page.screenshot(path=str(SHOTS / "iom-approve-confirm.png"))
    page.get_by_role("button", name="Yes, approve").click()
    expect(page.locator(".review-status").first).to_have_text("Approved")
    expect(page.locator(".workflow-history li")).to_have_count(4)
    expect(page.get_by_role("button", name="Approve…")).to_have_count(0)
    assert review.objective_reports.get().progress.endswith("1,250 recruiters certified in 2023.")

    review.refresh_from_db()
    assert review.status == S.APPROVED
    assert [t.action for t in review.transitions.all()] == ["submit", "request_changes", "submit", "approve"]
    assert [m.subject for m in mail.outbox] == [
        "Bali Process submitted its regional review (2024 regional reviews)",
        "Changes requested on your regional review (2024 regional reviews)",
        "Bali Process resubmitted its regional review (2024 regional reviews)",
        "Your regional review is approved (2024 regional reviews)",
    ]
    assert "A note from Test Iom:\nThank you: one figure is missing.\n" in mail.outbox[1].body
