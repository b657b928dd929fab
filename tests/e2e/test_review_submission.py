"""A secretariat writes its review over two visits, is told what blocks submission, fixes it and submits."""

import re
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from reviews.enums import ReviewStatus
from reviews.models import Review
from tests.factories import ReviewCycleFactory, ReviewFactory

OBJECTIVE_TEXT = {
    1: "Members fund a regional migration data hub; six national migration profiles were published.",
    2: "Joint programmes address the drivers of irregular migration in coastal communities.",
    3: "A regional information campaign on safe migration reached 40,000 people.",
}


def log_out(page):
    page.locator('[data-nav="account"]').click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def fill_objective(page, number):
    page.get_by_test_id(f"objective-chip-{number}").click()
    expect(page.get_by_role("heading", name=re.compile(rf"^{number}\. "))).to_be_visible()
    page.get_by_label("Progress made").fill(OBJECTIVE_TEXT[number])
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(f"Objective {number} saved.")).to_be_visible()


def test_secretariat_drafts_over_two_visits_fixes_a_problem_and_submits(page, login, bali, bali_secretariat):
    ReviewCycleFactory(review_year=2024)
    login("bali-sec")
    expect(page).to_have_url(re.compile(r"/reviews/$"))
    page.get_by_role("button", name="Start review").click()

    # First visit: the overview (without key messages) and two objectives.
    expect(page.get_by_role("heading", name="Overview", level=2)).to_be_visible()
    page.get_by_label("How the review was carried out").fill(
        "A questionnaire to all members and a senior officials' meeting in Bali."
    )
    page.get_by_role("checkbox", name=re.compile(r"^Indonesia \(Member")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Australia \(Member")).check()
    page.get_by_label("Civil society").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Overview saved.")).to_be_visible()
    fill_objective(page, 1)
    fill_objective(page, 2)
    log_out(page)

    # Second visit: everything is still there; a third objective.
    login("bali-sec")
    page.get_by_role("link", name="Continue writing").click()
    expect(page.get_by_label("How the review was carried out")).to_have_value(
        "A questionnaire to all members and a senior officials' meeting in Bali."
    )
    expect(page.get_by_role("checkbox", name=re.compile(r"^Indonesia \(Member"))).to_be_checked()
    page.get_by_test_id("objective-chip-1").click()
    expect(page.get_by_label("Progress made")).to_have_value(OBJECTIVE_TEXT[1])
    fill_objective(page, 3)

    # Submitting without key messages is refused, with a link to the field.
    page.get_by_role("link", name="Final check and submit").click()
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("Write the key messages to the IMRF.")
    submit = page.get_by_role("button", name="Submit to IOM…")
    expect(submit).to_be_disabled()
    expect(submit).to_have_accessible_description("You can submit once the problem listed above is fixed.")
    assert Review.objects.get().status == ReviewStatus.DRAFT
    problems.get_by_role("link", name="Write the key messages to the IMRF.").click()
    expect(page).to_have_url(re.compile(r"/overview/#id_key_messages$"))

    # Fixed by typing only: the autosave keeps it without pressing Save.
    page.get_by_label("Key messages to the IMRF").fill("Safe pathways and the fight against trafficking come first.")
    expect(page.get_by_test_id("autosave-status")).to_contain_text("Draft saved automatically", timeout=10_000)
    page.get_by_role("link", name="Final check and submit").click()
    expect(page.get_by_text("Nothing blocks submission.")).to_be_visible()
    page.get_by_role("button", name="Submit to IOM…").click()
    # Asked once, saying what happens; nothing is submitted until the go-ahead.
    expect(page.get_by_test_id("what-happens")).to_contain_text("From then on the review is frozen")
    assert Review.objects.get().status == ReviewStatus.DRAFT
    page.get_by_role("button", name="Yes, submit to IOM").click()
    expect(page.get_by_test_id("review-status")).to_have_text("Submitted")
    expect(page.get_by_text("Safe pathways and the fight against trafficking come first.")).to_be_visible()
    review = Review.objects.get()
    assert review.status == ReviewStatus.SUBMITTED
    assert [r.progress for r in review.objective_reports.order_by("objective__number")] == list(OBJECTIVE_TEXT.values())


def test_autosave_then_save_keeps_everything_without_false_conflict(page, login, bali, bali_secretariat):
    from tests.factories import ReviewFactory

    review = ReviewFactory(mechanism=bali)
    login("bali-sec")
    page.goto(f"/reviews/{review.pk}/objectives/4/")
    page.get_by_label("Progress made").fill("Civil registration reached remote islands.")
    expect(page.get_by_test_id("autosave-status")).to_contain_text("Draft saved automatically", timeout=10_000)
    page.get_by_label("Challenges and gaps").fill("Birth registration in camps.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Objective 4 saved.")).to_be_visible()
    report = review.objective_reports.get()
    assert (report.progress, report.challenges) == (
        "Civil registration reached remote islands.",
        "Birth registration in camps.",
    )


def test_expired_session_keeps_typed_text_through_login(page, login, bali, bali_secretariat):
    from tests.factories import ReviewFactory

    review = ReviewFactory(mechanism=bali, partnerships="")
    login("bali-sec")
    page.goto(f"/reviews/{review.pk}/overview/")
    page.context.clear_cookies(name="sessionid")  # the session expires while the secretariat types
    page.get_by_label("Partnerships").fill("Joint work with UNODC on smuggling data.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your session has expired.")).to_be_visible()
    page.get_by_label("Username").fill("bali-sec")
    page.get_by_label("Password").fill("pass-for-tests")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("The text you typed before your session expired is back in the form.")).to_be_visible()
    expect(page.get_by_label("Partnerships")).to_have_value("Joint work with UNODC on smuggling data.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Overview saved.")).to_be_visible()
    review.refresh_from_db()
    assert review.partnerships == "Joint work with UNODC on smuggling data."


def test_leaving_after_autosave_asks_nothing_and_leaving_unsaved_typing_asks(page, login, bali, bali_secretariat):
    from tests.factories import ReviewFactory

    review = ReviewFactory(mechanism=bali)
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    login("bali-sec")
    page.goto(f"/reviews/{review.pk}/objectives/4/")
    page.get_by_label("Progress made").click()
    page.get_by_label("Progress made").press_sequentially("Civil registration reached remote islands.")
    expect(page.get_by_test_id("autosave-status")).to_contain_text("Draft saved automatically", timeout=10_000)
    page.get_by_role("link", name="Objective 5 →").click()
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/objectives/5/$"))
    assert dialogs == []

    page.get_by_label("Progress made").click()
    page.get_by_label("Progress made").press_sequentially("Labour")  # autosave waits 2 s after typing
    with page.expect_event("dialog"):
        page.get_by_role("link", name="Objective 6 →").click()
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/objectives/5/$"))


@contextmanager
def _signed_in_in_manila(browser, live_server, locale):
    """The Bali secretariat signed in from a browser in Asia/Manila with the given locale."""
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Manila", locale=locale)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("bali-sec")
        page.get_by_label("Password").fill("pass-for-tests")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        yield page
    finally:
        context.close()


def _manila_time(saved):
    return datetime.fromisoformat(saved.get_attribute("datetime")).astimezone(ZoneInfo("Asia/Manila")).strftime("%H:%M")


def test_autosave_time_is_shown_in_the_browsers_time_zone(browser, live_server, bali, bali_secretariat):
    review = ReviewFactory(mechanism=bali)
    with _signed_in_in_manila(browser, live_server, "en-GB") as page:
        page.goto(f"/reviews/{review.pk}/objectives/4/")
        page.get_by_label("Progress made").fill("Civil registration reached remote islands.")
        status = page.get_by_test_id("autosave-status")
        expect(status).to_contain_text("Draft saved automatically", timeout=10_000)
        saved = status.locator("time")
        expect(saved).not_to_contain_text("UTC")
        manila = _manila_time(saved)
        assert saved.text_content() == manila
        expect(status).to_have_text(f"Draft saved automatically at {manila}.")


def test_autosave_time_follows_the_page_language_not_the_browsers(browser, live_server, bali, bali_secretariat):
    """A French page reads 14:05 even in a browser set to American English (which would write 2:05 PM)."""
    review = ReviewFactory(mechanism=bali)
    with _signed_in_in_manila(browser, live_server, "en-US") as page:
        page.goto(f"/reviews/{review.pk}/objectives/4/")
        page.get_by_role("group", name="Language").get_by_role("button", name="FR").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        page.get_by_label("Progrès accomplis").fill("L'état civil atteint les îles éloignées.")
        status = page.get_by_test_id("autosave-status")
        expect(status).to_contain_text("Brouillon enregistré automatiquement", timeout=10_000)
        saved = status.locator("time")
        expect(saved).to_have_text(_manila_time(saved))
