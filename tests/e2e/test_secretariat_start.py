"""The secretariat's dashboard: what waits on it, two start buttons that say what they do, and a review started
from the last cycle whose copied parts are marked until checked or edited."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reviews.enums import ReviewStatus as S
from reviews.models import Review
from reviews.workflow import review_transition
from tests.factories import ReviewCycleFactory, complete_review_create

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots-secretariat-start"))
PHONE = {"width": 390, "height": 844}
WORDS = {
    "en": {
        "start": "Start review",
        "previous": "Start from last cycle",
        "empty": "An empty draft: you write every part.",
        "copied": "A draft with the text of your approved review of 2020 regional reviews. Each copied part is "
        "marked for you to check; meetings and attachments are not copied.",
        "waiting": "1 review waits on you in the open cycles.",
    },
    "fr": {
        "start": "Commencer l'examen",
        "previous": "Partir du dernier cycle",
    },
    "es": {
        "start": "Comenzar el examen",
        "previous": "Partir del último ciclo",
    },
}


@pytest.fixture
def approved_2020(bali, bali_secretariat, iom_user):
    import datetime

    previous = complete_review_create(
        mechanism=bali,
        cycle=ReviewCycleFactory(
            review_year=2020, opens_on=datetime.date(2020, 1, 15), due_on=datetime.date(2021, 6, 30)
        ),
        objectives=(6, 10),
    )
    review_transition(review=previous, action="submit", by=bali_secretariat)
    review_transition(review=previous, action="approve", by=iom_user, confirmed=True)
    today = datetime.date.today()
    return ReviewCycleFactory(
        review_year=today.year,
        opens_on=today - datetime.timedelta(days=60),
        due_on=today + datetime.timedelta(days=28),
    )


def _sign_in(page):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("bali-sec")
    page.locator("#id_password").fill("pass-for-tests")
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def test_start_from_last_cycle_marks_every_copied_part_until_checked(page_in, approved_2020):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, _prefix = page_in("en")
    _sign_in(page)
    page.goto("/reviews/")
    # Only the current cycle waits on the secretariat (the 2020 one is approved).
    expect(page.locator("[data-waiting-count]")).to_have_text(WORDS["en"]["waiting"])
    card = page.get_by_test_id("mechanism-bali-process")
    expect(card.get_by_test_id("start-empty")).to_have_text(re.compile(re.escape(WORDS["en"]["empty"])))
    start_previous = card.get_by_role("button", name=WORDS["en"]["previous"])
    expect(start_previous).to_have_accessible_description(WORDS["en"]["copied"])
    page.screenshot(path=str(SHOTS / "dashboard-desktop-en.png"), full_page=True)

    start_previous.click()
    review = Review.objects.get(cycle=approved_2020)
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/overview/$"))
    expect(page.get_by_test_id("overview-copied")).to_have_text("copied from 2020 regional reviews, check it")
    expect(page.get_by_test_id("copied-part")).to_contain_text("Copied from 2020 regional reviews: check it.")
    chips = page.locator(".objective-chip.is-copied[data-testid]")
    expect(chips).to_have_text([re.compile(r"^6: "), re.compile(r"^10: ")])
    page.screenshot(path=str(SHOTS / "editor-copied-overview.png"), full_page=True)

    # The final check lists every copied part, and submission waits for them.
    page.get_by_role("link", name="Final check and submit").click()
    problems = page.get_by_test_id("problems").get_by_role("listitem")
    expect(problems).to_have_text(
        [
            "Overview: copied from 2020 regional reviews. Check it: edit it, or confirm it is still right.",
            "Objective 6: copied from 2020 regional reviews. Check it: edit it, or confirm it is still right.",
            "Objective 10: copied from 2020 regional reviews. Check it: edit it, or confirm it is still right.",
        ]
    )
    expect(page.get_by_role("button", name="Submit to IOM…")).to_be_disabled()

    # From the check to the part: keep objective 6 as it is.
    page.get_by_role("link", name=re.compile(r"^Objective 6: copied")).click()
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/objectives/6/#copied-part$"))
    page.get_by_role("button", name="Checked, keep it").click()
    expect(page.get_by_role("alert").filter(has_text="Kept as it is: this part counts as checked.")).to_be_visible()
    expect(page.get_by_test_id("copied-part")).to_have_count(0)
    expect(chips).to_have_text([re.compile(r"^10: .*\(copied from 2020 regional reviews, check it\)$")])

    # Editing objective 10 checks it too; the overview is kept as it is.
    page.get_by_test_id("objective-chip-10").click()
    page.get_by_label("Progress made").fill("Updated for this cycle.")
    page.get_by_role("button", name="Save draft").click()
    expect(chips).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^Overview")).first.click()
    page.get_by_role("button", name="Checked, keep it").click()
    page.get_by_role("link", name="Final check and submit").click()
    expect(page.get_by_text("Nothing blocks submission.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit to IOM…")).to_be_enabled()
    review.refresh_from_db()
    assert review.status == S.DRAFT


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_dashboard_and_copied_editor_on_a_phone(page_in, approved_2020, language):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, prefix = page_in(language, PHONE)
    _sign_in(page)
    page.goto(f"{prefix}/reviews/")
    card = page.get_by_test_id("mechanism-bali-process")
    expect(card.get_by_role("button", name=WORDS[language]["start"], exact=True)).to_be_visible()
    expect(card.get_by_test_id("start-previous").locator("p")).to_be_visible()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / f"dashboard-phone-{language}.png"), full_page=True)
    card.get_by_role("button", name=WORDS[language]["previous"]).click()
    expect(page.get_by_test_id("copied-part")).to_be_visible()
    bar = page.locator(".step-actions")
    box = bar.bounding_box()
    assert box["height"] <= 52, box
    page.screenshot(path=str(SHOTS / f"editor-copied-phone-{language}.png"))
