"""The review editor on a phone: the form comes before the 23 objectives, which open from one button."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import complete_review_create

PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots-review-phone"))
# The save bar stays on screen while one types: one slim row, the buttons and the autosave status side by side.
SAVE_BAR_MAX_HEIGHT = 52

LABELS = {
    "en": {"toggle": "Objectives (3 of 23 started)", "save": "Save draft"},
    "fr": {"toggle": "Objectifs (3 sur 23 commencés)", "save": "Enregistrer le brouillon"},
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_on_a_phone_the_fields_come_before_the_objectives(page_in, bali, bali_secretariat, language):
    review = complete_review_create(mechanism=bali, objectives=(2, 6, 10))
    page, prefix = page_in(language, PHONE)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("bali-sec")
    page.locator("#id_password").fill("pass-for-tests")
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    page.goto(f"{prefix}/reviews/{review.pk}/objectives/6/")

    # The first field of the form is on the first screen; the chips are folded away.
    first_field = page.locator("#step-form").locator("textarea, input:not([type=hidden]), select").first
    expect(first_field).to_be_in_viewport()
    box = first_field.bounding_box()
    assert box["y"] + 20 < PHONE["height"], box
    chip = page.get_by_test_id("objective-chip-12")
    expect(chip).to_be_hidden()

    # The save bar is slim.
    bar = page.locator(".step-actions")
    expect(bar).to_be_visible()
    expect(bar.get_by_role("button", name=LABELS[language]["save"], exact=True)).to_be_visible()
    assert bar.bounding_box()["height"] <= SAVE_BAR_MAX_HEIGHT, bar.bounding_box()
    # One row: the status sits beside the buttons, not under them.
    rows = bar.locator(":scope > *").evaluate_all(
        "nodes => nodes.map(n => [n.getBoundingClientRect().top, n.getBoundingClientRect().bottom])"
    )
    assert max(top for top, _bottom in rows) < min(bottom for _top, bottom in rows), rows

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"editor-phone-{language}.png"))

    # One button opens the 23 objectives, which say how many are started; a chip leads to its objective.
    toggle = page.get_by_role("button", name=LABELS[language]["toggle"])
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(chip).to_be_visible()
    expect(page.locator("#objective-steps")).to_have_class(re.compile(r"\bcollapse show\b"))  # opening finished
    page.screenshot(path=str(SHOTS / f"editor-phone-{language}-objectives.png"))
    chip.click()
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/objectives/12/$"))
    expect(page.get_by_test_id("objective-chip-12")).to_be_hidden()


def test_on_a_desktop_the_objectives_stay_open(page, login, bali, bali_secretariat):
    review = complete_review_create(mechanism=bali)
    login("bali-sec")
    page.goto(f"/reviews/{review.pk}/objectives/6/")
    expect(page.get_by_test_id("objective-chip-12")).to_be_visible()
    expect(page.get_by_test_id("objective-steps-toggle")).to_be_hidden()
