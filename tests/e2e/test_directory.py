import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect


def test_focal_point_filters_by_own_state_follows_related_and_downloads_csv(
    page, login, reference_data, indonesia_focal_point
):
    login("idn-focal")
    expect(page).to_have_url(re.compile(r"/directory/states/IDN/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indonesia")

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Directory").click()
    expect(page.get_by_test_id("result-count")).to_have_text("32 mechanisms")
    page.get_by_label("Member or Observer State").select_option("IDN")
    # htmx swaps the results in and puts the filter in the address bar, so the view can be shared.
    expect(page).to_have_url(re.compile(r"/directory/\?.*state=IDN"))
    expect(page.get_by_test_id("result-count")).to_have_text("3 mechanisms")
    rows = page.get_by_test_id("mechanism-row")
    expect(rows).to_have_count(3)
    expect(rows.get_by_role("link")).to_have_text(["ADD", "Bali Process", "Colombo Process"])

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "iscm-directory.csv"
    records = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert [(r["acronym"], r["members"], r["observers"]) for r in records] == [
        ("ADD", "18", "3"),
        ("Bali Process", "45", "4"),
        ("Colombo Process", "12", "8"),
    ]

    rows.get_by_role("link", name="Bali Process").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bali Process")
    expect(page.get_by_test_id("member-count")).to_have_text("45")
    related = page.get_by_test_id("related-members").get_by_role("link")
    expect(related.first).to_have_text("ADD")
    related.first.click()
    expect(page).to_have_url(re.compile(r"/directory/mechanisms/abu-dhabi-dialogue/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("ADD")

    with page.expect_download() as download_info:
        page.get_by_role("group", name="Download the membership").get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "abu-dhabi-dialogue-membership.csv"
    members = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert len(members) == 21
    assert {"iso3": "IDN", "state": "Indonesia", "role": "member"}.items() <= next(
        m for m in members if m["iso3"] == "IDN"
    ).items()


def test_directory_on_a_phone_shows_filters_and_results(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/directory/?kind=GLOBAL")
    expect(page.get_by_test_id("mechanism-row")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
