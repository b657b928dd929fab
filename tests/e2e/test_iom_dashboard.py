"""IOM sees first what waits on IOM, and the lateness of the rest once, on a desktop and on a phone."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from reviews.enums import ReviewStatus as S
from tests.e2e.test_membership_map import PHONE, shoot
from tests.factories import ReviewCycleFactory, review_in_status


def test_iom_dashboard_lists_what_waits_on_iom_first(
    page, login, bali, midwa, bali_secretariat, midwa_secretariat, iom_user
):
    today = timezone.localdate()
    cycle = ReviewCycleFactory(
        review_year=2030, opens_on=today - datetime.timedelta(days=100), due_on=today - datetime.timedelta(days=5)
    )
    review_in_status(S.DRAFT, mechanism=midwa, secretariat=midwa_secretariat, iom=iom_user, cycle=cycle)
    review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=cycle)
    login("iom")
    page.goto("/reviews/iom/")
    rows = page.locator("table.iom-dashboard tbody tr")
    expect(rows.first).to_have_attribute("data-mechanism", "bali-process")
    expect(rows.first.get_by_test_id("waits-on")).to_contain_text("IOM")
    expect(page.get_by_test_id("overdue-summary")).to_have_count(1)
    expect(page.get_by_test_id("overdue-summary")).to_contain_text("31 reviews waiting on their secretariats")
    shoot(page, "iom-dashboard-en-desktop")
    page.set_viewport_size(PHONE)
    shoot(page, "iom-dashboard-en-phone")
    page.goto("/fr/reviews/iom/")
    expect(page.get_by_test_id("dashboard-summary")).to_contain_text("1 examen attend l'OIM")
    shoot(page, "iom-dashboard-fr-phone")
