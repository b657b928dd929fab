"""The objective comparison reads side by side: every cell's texts open at once, foldable one by one or all."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_membership_map import PHONE, shoot
from tests.library.conftest import make_report  # noqa: F401  (the library's fixture, used here in a browser)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_objective_compare_shows_texts_side_by_side_and_folds_them(page_in, make_report, language):  # noqa: F811
    make_report(slug="midwa", year=2022)
    make_report(slug="bali-process", year=2024)
    page, prefix = page_in(language)
    page.goto(f"{prefix}/library/objectives/6/compare/")
    table = page.get_by_test_id("compare-table")
    sections = table.locator("details")
    expect(sections).to_have_count(8)
    for details in sections.all():
        expect(details).to_have_attribute("open", "")
    expect(table.locator("details ul li a").first).to_be_visible()
    shoot(page, f"compare-{language}-desktop")
    page.locator("[data-compare-fold=close]").click()
    expect(table.locator("details[open]")).to_have_count(0)
    table.locator("details summary").first.click()
    expect(table.locator("details[open]")).to_have_count(1)
    page.locator("[data-compare-fold=open]").click()
    expect(table.locator("details[open]")).to_have_count(8)
    page.set_viewport_size(PHONE)
    shoot(page, f"compare-{language}-phone")
