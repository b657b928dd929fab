import re

from playwright.sync_api import expect


def test_home_then_login_shows_role_navigation(page, login, reference_data, iom_user):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional reviews of the Global Compact for Migration")
    expect(page.get_by_test_id("mechanism-count")).to_have_text("32")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="IOM dashboard")).to_have_count(0)

    login("iom")

    expect(page).to_have_url(re.compile(r"/reviews/iom/$"))
    expect(nav.get_by_role("link", name="IOM dashboard")).to_be_visible()
    expect(nav.get_by_role("link", name="Reviews")).to_be_visible()
    expect(nav.get_by_role("link", name="Directory")).to_be_visible()


def test_wrong_password_keeps_username_and_explains(page, login, reference_data, iom_user):
    login("iom", password="wrong")
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("iom")


def test_demo_focal_point_logs_in_to_own_state_with_focal_navigation(page, login, reference_data):
    from accounts.demo import demo_users_create

    demo_users_create(password="demo-pass-for-e2e")
    login("focal.ghana", password="demo-pass-for-e2e")

    expect(page).to_have_url(re.compile(r"/directory/states/GHA/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ghana")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="IOM dashboard")).to_have_count(0)
    expect(nav.get_by_role("link", name="Directory")).to_be_visible()
    expect(nav.get_by_role("link", name="Pledges")).to_be_visible()
