import re

from playwright.sync_api import expect

from gcm.models import Objective
from library.services import library_index_review
from library.templatetags.library_tags import review_url
from mechanisms.models import Mechanism
from reviews.enums import ReviewStatus
from tests.factories import ApprovedReviewFactory, PracticeReportFactory


def _report(slug, number, status=ReviewStatus.APPROVED, **texts):
    review = ApprovedReviewFactory(mechanism=Mechanism.objects.get(slug=slug), status=status)
    report = PracticeReportFactory(review=review, objective=Objective.objects.get(number=number), **texts)
    library_index_review(review=review)
    return report


def test_focal_point_searches_narrows_opens_a_practice_and_follows_it_to_the_review(page, login, indonesia_focal_point):
    bali = _report("bali-process", 6)
    _report("rmfm", 6)
    _report(
        "prague-process",
        18,
        good_practices="Ethical recruitment of nurses within skills partnerships.",
        challenges="",
        recommendations="",
    )
    _report("midwa", 6, status=ReviewStatus.DRAFT, good_practices="**Draft ethical recruitment idea.** Not approved.")

    login("idn-focal")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice library")

    page.get_by_role("search").get_by_label("Search").fill("ethical recruitment")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/library/search/\?q=ethical\+recruitment"))
    results = page.get_by_test_id("practice-result")
    expect(results).to_have_count(3)
    expect(page.get_by_test_id("results")).to_contain_text("Ethical recruitment standards")
    expect(page.get_by_test_id("results")).to_contain_text("RMFM")
    expect(page.get_by_test_id("results")).to_contain_text("Prague Process")
    expect(page.get_by_test_id("results")).not_to_contain_text("Draft ethical recruitment idea")
    expect(page.locator("mark").first).to_have_text(re.compile("ethical", re.IGNORECASE))

    page.get_by_label("GCM objective").select_option(label="6. Recruitment and decent work")
    expect(page).to_have_url(re.compile(r"objective=6"))
    expect(results).to_have_count(2)
    expect(page.get_by_test_id("results")).not_to_contain_text("Prague Process")

    results.filter(has_text="Bali Process").get_by_role("link", name="Ethical recruitment standards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ethical recruitment standards")
    expect(page.get_by_test_id("practice-body")).to_contain_text("Member States adopted a code on ethical recruitment")
    expect(page.get_by_test_id("related-work").get_by_role("listitem")).to_have_count(5)

    expected = review_url(bali.review, bali.review.mechanism)
    link = page.get_by_test_id("review-link")
    expect(link).to_have_attribute("href", expected)
    link.click()
    # Until the review pages are merged the link falls back to the mechanism's page.
    expect(page).to_have_url(re.compile(re.escape(expected) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bali Process")
