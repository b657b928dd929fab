import re

from playwright.sync_api import expect

from tests.iscm_portal.test_languages import compiled_catalogues  # noqa: F401  (autouse: .mo files present)


def test_visitor_switches_to_french_from_the_header_and_back_to_english(page, reference_data):
    page.goto("/directory/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    switcher = page.get_by_role("group", name="Language")
    switcher.get_by_role("button", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/directory/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Répertoire des mécanismes")
    expect(
        page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Bibliothèque")
    ).to_be_visible()

    # The cookie remembers the choice: an address without prefix now opens in French too.
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")

    page.get_by_role("group", name="Langue").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
