"""Signed in with the page cache on, as in production: the objective editor's comment column and the header come
from the cache, and their forms (a reply, the language, logging out) work with each visit's own CSRF token."""

import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from reviews.enums import ReviewStatus
from tests.factories import review_in_status
from tests.iscm_portal.test_languages import compiled_catalogues  # noqa: F401  (autouse: .mo files present)

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots-cached-pages"))


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


def test_secretariat_replies_from_the_cached_editor_then_switches_language_and_logs_out(
    page_cache_on, page, login, bali, bali_secretariat, iom_user
):
    review = review_in_status(
        ReviewStatus.CHANGES_REQUESTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user
    )
    thread = review.comments.get()
    login("bali-sec")
    url = f"/reviews/{review.pk}/objectives/6/"
    page.goto(url)
    page.reload()  # the second visit: the header, the steps and the comment column from the cache
    column = page.locator("#step-comments")
    expect(column.locator(".comment-body")).to_have_text(thread.body)

    column.get_by_text("Reply", exact=True).click()
    column.get_by_label("Your reply").fill("Table 2 now gives the 2025 figures.")
    column.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("alert").filter(has_text="Reply added.")).to_be_visible()
    expect(column.locator(".comment-replies")).to_contain_text("Table 2 now gives the 2025 figures.")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "editor-reply-en.png"), full_page=True)

    page.get_by_role("group", name="Language").get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Commentaires sur cet objectif")).to_be_visible()
    page.reload()  # the French header and column, now from the cache too
    expect(column.locator(".comment-replies")).to_contain_text("Table 2 now gives the 2025 figures.")
    page.screenshot(path=str(SHOTS / "editor-reply-fr.png"), full_page=True)

    page.get_by_role("navigation", name="Navigation principale").locator('[data-nav="account"]').click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
