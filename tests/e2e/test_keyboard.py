"""The secretariat's and IOM's journeys with the keyboard alone (Tab, Shift+Tab, Enter, Space, typing).

No click and no `goto` after the first page: every step is reached by moving the focus, and at every press the
focused element must show a focus indicator (an outline of at least 3:1 against what surrounds it, or a shadow).
"""

import re

from playwright.sync_api import expect

from mechanisms.models import Mechanism
from reviews.enums import ReviewStatus as S
from reviews.workflow import review_transition
from tests.e2e.accessibility import focus_problem, focused
from tests.factories import ApprovedReviewContentFactory, PackageFactory, ReviewCycleFactory, complete_review

# The most presses any step of the journeys may take: a page's whole header and side navigation fit in it.
TAB_LIMIT = 70


def _is_focused(locator) -> bool:
    return locator.count() == 1 and locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, *, backwards=False, limit=TAB_LIMIT) -> int:
    """Press Tab (or Shift+Tab) until `locator` has the focus; every element passed on the way must show it.

    Past the last element the focus leaves the page for the browser's own controls (nothing focused in it) and
    comes back at the top, as it does for a person."""
    if _is_focused(locator):
        return 0
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        state = focused(page)
        if state is None:
            continue
        problem = focus_problem(state)
        assert problem is None, f"after {presses} presses: {problem}"
        if _is_focused(locator):
            return presses
    raise AssertionError(f"{locator} not reached in {limit} presses; the focus is on {focused(page)}")


def sign_in(page, username):
    page.goto("/accounts/login/")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(username)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type("pass-for-tests")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_secretariat_writes_and_submits_its_review_with_the_keyboard(page, reference_data, bali, bali_secretariat):
    review = complete_review(bali)
    sign_in(page, "bali-sec")
    expect(page).to_have_url(re.compile(r"/reviews/$"))

    # The dashboard: open the review.
    tab_to(page, page.get_by_role("row").filter(has_text="Bali Process").get_by_role("link").first)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/"))
    if not page.url.endswith("/overview/"):
        tab_to(page, page.get_by_role("link", name="Edit", exact=True))
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/overview/$"))

    # Objective 6 from the steps, then past the steps and the 23 objectives to the form in one press.
    tab_to(page, page.get_by_test_id("objective-chip-6"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/objectives/6/$"))
    tab_to(page, page.get_by_test_id("skip-steps"))
    page.keyboard.press("Enter")
    first_field = page.locator("#step-form").locator("textarea, input:not([type=hidden]), select").first
    assert tab_to(page, first_field, limit=3) <= 3
    progress = page.get_by_label("Progress made")
    tab_to(page, progress, limit=10)
    page.keyboard.press("Control+A")
    page.keyboard.type("Member States adopted a regional framework on fair recruitment.")
    tab_to(page, page.get_by_role("button", name="Save draft", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="Objective 6 saved.")).to_be_visible()

    # The final check, backwards from the form is shorter than through the header and the objectives.
    tab_to(page, page.get_by_role("link", name="Final check and submit"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/check/$"))
    tab_to(page, page.get_by_role("button", name="Submit to IOM…"))
    page.keyboard.press("Space")
    # The confirmation is a page of its own: wait for it before tabbing (the old page is going away).
    expect(page.get_by_role("button", name="Yes, submit to IOM")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Yes, submit to IOM"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="Done: “Submit to IOM”.")).to_be_visible()
    review.refresh_from_db()
    assert review.status == S.SUBMITTED


def test_iom_comments_requests_changes_and_compiles_with_the_keyboard(
    page, reference_data, bali, bali_secretariat, iom_user
):
    review = complete_review(bali)
    review_transition(review=review, action="submit", by=bali_secretariat)
    # An earlier cycle than the review's: the IOM dashboard opens on the latest one.
    cycle = ReviewCycleFactory(review_year=2000)
    ApprovedReviewContentFactory(mechanism=Mechanism.objects.get(slug="midwa"), cycle=cycle, objectives=(1,), seed=1)
    package = PackageFactory(cycle=cycle, created_by=iom_user)

    sign_in(page, "iom")
    expect(page).to_have_url(re.compile(r"/reviews/iom/$"))

    # The dashboard: open the submitted review.
    bali_link = page.get_by_role("row").filter(has_text="Bali Process").get_by_role("link", name="Bali Process")
    tab_to(page, bali_link)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/reviews/{review.pk}/$"))

    # A comment on objective 6: open the disclosure with Space, type, send with Enter on the button.
    objective = page.locator("#comments-objective-6")
    tab_to(page, objective.locator("summary").filter(has_text="Comment on Objective 6"))
    page.keyboard.press("Space")
    tab_to(page, objective.get_by_label("Your comment on Objective 6"))
    page.keyboard.type("Please give the 2023 figures for fair recruitment.")
    tab_to(page, objective.get_by_role("button", name="Add comment"))
    page.keyboard.press("Enter")
    expect(page.locator("#comments-objective-6 .comment-body")).to_have_text(
        "Please give the 2023 figures for fair recruitment."
    )

    # Request changes: the workflow actions sit before the text, Shift+Tab goes back to them.
    tab_to(page, page.get_by_role("button", name="Request changes…"), backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Note for the secretariat (optional)")).to_be_visible()
    tab_to(page, page.get_by_label("Note for the secretariat (optional)"))
    page.keyboard.type("Nearly there.")
    tab_to(page, page.get_by_role("button", name="Yes, send it back"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="Done: “Request changes”.")).to_be_visible()
    expect(page.get_by_test_id("review-status")).to_have_text("Changes requested")

    # The packages, from the navigation bar: open the package and compile it.
    tab_to(page, page.get_by_role("link", name="IMRF packages"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name=package.title))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(package.title)
    tab_to(page, page.get_by_role("button", name="Compile"))
    page.keyboard.press("Enter")
    # The tests compile in-process (Celery eager), so the answer comes once the PDF is made.
    expect(page.locator("#version-progress [data-status]")).to_have_attribute(
        "data-status", re.compile("queued|compiling|done"), timeout=120_000
    )
