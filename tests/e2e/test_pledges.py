import re

from playwright.sync_api import expect

from pledges.models import Pledge

BAD_IMPORT = (
    "reference,title,pledger_type,pledger,objectives,imrf_edition,announced_on\n"
    "E-1,Good pledge,state,GHA,5,2022,2022-05-20\n"
    "E-2,Second good pledge,un_entity,UNICEF,7;8,2026,2026-05-08\n"
    "E-3,Pledge of a State that does not exist,state,XYZ,1,2022,2022-05-20\n"
)


def required(label):
    """Crispy marks required fields with an asterisk inside the label."""
    return re.compile(rf"^\s*{re.escape(label)}\*?\s*$")


def objective_count(page, number):
    return page.get_by_test_id("table-objective").locator(f'td[data-key="{number}"]')


def test_focal_point_adds_pledge_and_update_then_iom_import_with_bad_row_is_refused(
    page, login, indonesia_focal_point, iom_user
):
    login("idn-focal")
    page.goto("/pledges/dashboard/")
    expect(page.get_by_test_id("total-pledges")).to_have_text("0")
    expect(objective_count(page, 5)).to_have_text("0")

    page.goto("/pledges/")
    page.get_by_role("link", name="New pledge").click()
    expect(page.get_by_label("Pledging State", exact=True)).to_have_value(
        str(indonesia_focal_point.focal_point_state_id)
    )
    page.get_by_label(required("Title")).fill("Regular pathways for care workers")
    page.get_by_label(required("Text of the pledge")).fill(
        "Indonesia will open 5,000 regular work permits for care workers."
    )
    page.get_by_label("5. Regular pathways").check()
    page.get_by_label("23. International cooperation").check()
    page.get_by_label(required("IMRF edition")).select_option("2026")
    page.get_by_role("button", name="Save pledge").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Regular pathways for care workers")
    expect(page.get_by_test_id("pledge-objectives").get_by_role("listitem")).to_have_text(
        ["5. Regular pathways", "23. International cooperation"]
    )
    page.get_by_label(required("Progress")).fill("The first 800 permits were issued.")
    page.get_by_role("button", name="Post update").click()
    expect(page.get_by_text("Your progress update was posted.")).to_be_visible()
    expect(page.get_by_test_id("progress-updates")).to_contain_text("The first 800 permits were issued.")

    page.goto("/pledges/dashboard/")
    expect(page.get_by_test_id("total-pledges")).to_have_text("1")
    expect(objective_count(page, 5)).to_have_text("1")
    expect(objective_count(page, 23)).to_have_text("1")
    expect(page.get_by_test_id("table-status").locator('td[data-key="in_progress"]')).to_have_text("1")
    # Two clicks to the objectives with the fewest pledges in a region: the dashboard, then the region.
    page.get_by_role("navigation", name="Choose a region").get_by_role("link", name="Asia").click()
    expect(page).to_have_url(re.compile(r"/pledges/dashboard/\?region=\d+$"))
    expect(page.get_by_test_id("total-pledges")).to_have_text("1")
    expect(page.get_by_test_id("fewest-objectives").get_by_role("listitem").first).to_contain_text("Data: 0 pledges")

    page.context.clear_cookies()
    login("iom")
    page.goto("/pledges/import/")
    page.get_by_label("CSV or Excel file").set_input_files(
        files=[{"name": "pledges.csv", "mimeType": "text/csv", "buffer": BAD_IMPORT.encode()}]
    )
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_role("alert")).to_contain_text("The file has 1 problem; nothing was imported.")
    errors = page.get_by_test_id("import-errors").locator("tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td")).to_have_text(["4", "pledger", "Unknown State “XYZ” (use the ISO alpha-3 code)."])
    expect(page.get_by_role("button", name="Import these pledges")).to_have_count(0)
    assert list(Pledge.objects.values_list("title", flat=True)) == ["Regular pathways for care workers"]


def test_dashboard_and_list_filters_update_in_place(page, reference_data):
    from tests.factories import PledgeFactory

    PledgeFactory(title="Kept", status="fulfilled", objectives=[2])
    PledgeFactory(title="Announced only", objectives=[2, 3])
    page.goto("/pledges/dashboard/")
    expect(page.get_by_test_id("total-pledges")).to_have_text("2")
    page.get_by_label("Status", exact=True).select_option("fulfilled")
    expect(page.get_by_test_id("total-pledges")).to_have_text("1")
    expect(page).to_have_url(re.compile(r"status=fulfilled"))
    expect(objective_count(page, 3)).to_have_text("0")

    page.goto("/pledges/")
    page.get_by_label("Search", exact=True).fill("announced")
    expect(page.get_by_test_id("pledge-count")).to_have_text("1 pledge")
    expect(page.get_by_role("link", name="Announced only")).to_be_visible()
