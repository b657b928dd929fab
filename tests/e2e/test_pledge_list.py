"""The pledges list as a visitor reads it: filters named by what an empty choice means, objectives by their short
label, and numbered page links."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_membership_map import PHONE, shoot
from tests.factories import PledgeFactory


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pledge_list_filters_objectives_and_page_links(page_in, reference_data, language):
    for n in range(60):
        PledgeFactory(title=f"Pledge on data and pathways {n}", objectives=[1, 5])
    page, prefix = page_in(language)
    page.goto(f"{prefix}/pledges/")
    status = page.locator("select[name=status]")
    expect(status.locator("option").first).to_have_text("Any status" if language == "en" else re.compile(r"\S"))
    expect(page.locator("option", has_text="---------")).to_have_count(0)
    first = page.get_by_test_id("pledge-objectives").first
    expect(first.locator(".objective-badge")).to_have_count(2)
    expect(first.locator(".objective-badge").first).to_contain_text("1. ")
    pages = page.get_by_role("navigation", name=re.compile("Result pages|Pages de résultats"))
    expect(pages.get_by_role("link", name=re.compile(r"^(Page )?3$"))).to_be_visible()
    shoot(page, f"pledges-{language}-desktop")
    pages.get_by_role("link", name=re.compile(r"^(Page )?3$")).click()
    expect(page).to_have_url(re.compile(r"page=3"))
    expect(pages.locator("[aria-current=page]")).to_contain_text("3")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, f"pledges-{language}-phone")
