"""axe-core on every page of the portal, for every role, and on the states that matter (WCAG 2.2 A/AA).

The pages come from the permission matrix (tests/permission_matrix), whose own coverage test fails while a named
URL of the portal has no row: every GET row a role answers with 200 is a page that role sees, so a new page is
checked here as soon as it gets its matrix row. A named URL that is not a page (a file, JSON, a POST-only
action) is listed in NOT_PAGES with the reason; the coverage test below fails while a named URL is neither.

One browser, one context per role (signed in once); every violation of every page is collected and reported
together.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from reviews.enums import ReviewStatus as S
from reviews.services import review_start_from_previous
from reviews.workflow import review_transition
from tests.e2e.accessibility import axe_install, axe_violations
from tests.permission_matrix import matrix_modules, role_users, url_names, world_build

CASES = [case for module in matrix_modules() for case in module.CASES]

# The people of the portal (the matrix's "other secretariat" sees the same pages as its own one).
AXE_ROLES = ["anonymous", "focal_point", "own_secretariat", "iom", "admin"]

_POST_ACTION = "a POST action that answers with a redirect to a page checked here"
_API_JSON = "JSON of the API (iscm_portal/api/), not a page"
NOT_PAGES = {
    "healthz": "JSON for monitoring",
    "mechanisms:directory_export": "a CSV or JSON file",
    "mechanisms:mechanism_members_export": "a CSV or JSON file",
    "pledges:export": "a CSV or XLSX file",
    "packages:version_pdf": "a PDF file (the PDF's own accessibility is checked in tests/packages)",
    "packages:version_zip": "a ZIP file",
    "packages:version_docx": "a Word file (the report's content, checked in tests/packages)",
    "packages:review_pdf": "a PDF file (the PDF's own accessibility is checked in tests/packages)",
    "reviews:attachment_download": "the uploaded file itself",
    "reviews:review_word_download": "a Word document",
    "reviews:review_word_file": "the uploaded Word document itself",
    "packages:version_progress": "an HTML fragment that htmx swaps into packages:detail, checked there",
    "accounts:landing": "a redirect to the role's landing page",
    "logout": _POST_ACTION,
    "set_language": _POST_ACTION,
    "accounts:lockout_unlock": _POST_ACTION,
    "accounts:api_token_revoke": _POST_ACTION,
    "reviews:review_start": _POST_ACTION,
    "reviews:attachment_delete": _POST_ACTION,
    "reviews:copied_part_confirm": _POST_ACTION + " (the editor's copied-part banner is a state below)",
    "reviews:comment_add": _POST_ACTION,
    "reviews:comment_reply": _POST_ACTION,
    "reviews:comment_resolve": _POST_ACTION,
    "reviews:review_transition": _POST_ACTION + " (its confirmation page is a state below)",
    "packages:compile": _POST_ACTION,
    "packages:version_retry": _POST_ACTION,
    "packages:language": _POST_ACTION,
    "packages:synthesis_final": _POST_ACTION,
    "packages:synthesis_comment_add": _POST_ACTION + " (its refusal shows the synthesis editor, checked here)",
    "packages:synthesis_comment_reply": _POST_ACTION,
    "packages:synthesis_comment_resolve": _POST_ACTION,
    "pledges:progress_add": _POST_ACTION + " (its form with errors is a state below)",
    "pledges:publish": _POST_ACTION,
    "pledges:import_confirm": _POST_ACTION,
    "api:schema": "the OpenAPI document (YAML or JSON)",
    "api:docs": "drawn by Swagger UI after the schema loads: tests/e2e/test_api_docs.py checks it once drawn",
    "api:mechanism-list": _API_JSON,
    "api:mechanism-detail": _API_JSON,
    "api:state-list": _API_JSON,
    "api:state-detail": _API_JSON,
    "api:cycle-list": _API_JSON,
    "api:cycle-detail": _API_JSON,
    "api:review-list": _API_JSON,
    "api:review-detail": _API_JSON,
    "api:review-objective": _API_JSON,
    "api:library-practice-list": _API_JSON,
    "api:library-practice-detail": _API_JSON,
    "api:library-review-list": _API_JSON,
    "api:library-pledge-list": _API_JSON,
    "api:pledge-list": _API_JSON,
    "api:pledge-dashboard": _API_JSON,
    "api:pledge-detail": _API_JSON,
    "api:pledge-progress-add": _API_JSON,
    "api:pledge-import": _API_JSON,
}
# Django's own administration pages (admin:*) are Django's templates for site administrators, outside the
# portal's design; only their entry point (admin:index) is checked.
ADMIN_PREFIX = "admin:"


def _page_cases(role):
    return [
        case for case in CASES if case.method == "GET" and case.expected[role] == 200 and case.name not in NOT_PAGES
    ]


def test_every_named_url_is_checked_or_excluded_with_a_reason():
    checked = {case.name for role in AXE_ROLES for case in _page_cases(role)}
    portal = {name for name in url_names() if not name.startswith(ADMIN_PREFIX)} | {"admin:index"}
    assert (portal - checked - set(NOT_PAGES), checked & set(NOT_PAGES)) == (set(), set())


def _arrange_states(world):
    """The states worth a look beyond each page as the matrix leaves it."""
    from tests.factories import CommentFactory, ReviewCycleFactory, review_in_status

    secretariat, iom = world.users["own_secretariat"], world.users["iom"]
    # A review sent back with a comment, answered and resubmitted: comments, replies and two versions to compare.
    review = review_in_status(
        S.CHANGES_REQUESTED,
        mechanism=world.bali,
        cycle=ReviewCycleFactory(review_year=2036),
        secretariat=secretariat,
        iom=iom,
    )
    review.objective_reports.update(progress="Member States adopted a regional framework on fair recruitment.")
    CommentFactory(review=review, author=iom, part="overview", body="Which States took part?")
    review_transition(review=review, action="submit", by=secretariat)
    world.resubmitted = review
    # A review sent back with a cover note: its page opens with the open comments.
    world.sent_back = review_in_status(
        S.CHANGES_REQUESTED,
        mechanism=world.bali,
        cycle=ReviewCycleFactory(review_year=2040),
        secretariat=secretariat,
        iom=iom,
    )
    # A review started from the last cycle: every copied part is marked until checked.
    world.copied = review_start_from_previous(
        mechanism=world.bali, cycle=ReviewCycleFactory(review_year=2044), by=secretariat
    )


@pytest.fixture
def axe_world(
    reference_data, bali, midwa, bali_secretariat, midwa_secretariat, iom_user, admin_user, indonesia_focal_point
):
    users = role_users(
        focal_point=indonesia_focal_point,
        own_secretariat=bali_secretariat,
        other_secretariat=midwa_secretariat,
        iom=iom_user,
        admin=admin_user,
    )
    world = world_build(users, bali=bali, midwa=midwa)
    _arrange_states(world)
    return world


def _signed_in_context(browser, live_server, user, language="en"):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale=f"{language}-{language.upper()}"
    )
    axe_install(context)
    context.set_default_timeout(15_000)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        cookies.append({"name": cookie.key, "value": cookie.value, "url": live_server.url})
    context.add_cookies(cookies)
    return context


def _check(page, label, problems):
    found = axe_violations(page)
    if found:
        problems[label] = found


def _visit(page, url, label, problems):

    response = page.goto(url)
    assert (url, response.status, response.headers["content-type"].split(";")[0]) == (url, 200, "text/html")
    _check(page, label, problems)


def _states(page, role, world, problems):
    """Forms with errors, comments, the compare view, a compiled package, library results, directory filters."""
    review = world.resubmitted
    if role == "anonymous":
        page.goto(reverse("login"))
        page.get_by_label("Username").fill("nobody")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        _check(page, "anonymous: login with errors", problems)
        query = "?kind=RCP&state=IDN&q=process"
        _visit(page, reverse("mechanisms:directory") + query, "anonymous: directory with filters", problems)
        _visit(page, reverse("library:search") + "?q=recruitment", "anonymous: library search results", problems)
    if role == "focal_point":
        page.goto(reverse("pledges:create"))
        # As a browser without form validation sends it: the server's errors, each tied to its field.
        page.locator("main form").first.evaluate("form => { form.noValidate = true; }")
        page.get_by_role("button", name="Save pledge").click()
        expect(page.locator("[aria-invalid=true]").first).to_be_visible()
        _check(page, "focal_point: pledge form with errors", problems)
        page.goto(reverse("accounts:api_tokens"))
        page.get_by_label("Name").fill("Progress script")
        page.get_by_role("button", name="Make token").click()
        expect(page.get_by_test_id("new-token")).to_be_visible()
        _check(page, "focal_point: API token just made (its secret shown once)", problems)
    if role == "own_secretariat":
        for url in (
            reverse("reviews:review_detail", kwargs={"pk": review.pk}),
            reverse("reviews:review_workflow", kwargs={"pk": review.pk}),
            reverse("reviews:review_compare", kwargs={"pk": review.pk}),
        ):
            _visit(page, url, f"own_secretariat: {url} (comments and replies)", problems)
        _visit(page, world.sent_back.get_absolute_url(), "own_secretariat: review sent back (summary)", problems)
        copied = reverse("reviews:review_edit_objective", kwargs={"pk": world.copied.pk, "number": 6})
        _visit(page, copied, "own_secretariat: copied objective (banner and chips)", problems)
        page.goto(reverse("reviews:review_check", kwargs={"pk": world.copied.pk}))
        _check(page, "own_secretariat: final check with copied parts (submit disabled)", problems)
    if role == "iom":
        _visit(page, reverse("reviews:review_compare", kwargs={"pk": review.pk}), "iom: compare view", problems)
        page.goto(reverse("reviews:review_workflow", kwargs={"pk": world.bali_submitted.pk}))
        page.get_by_role("button", name="Approve…").first.click()
        page.wait_for_load_state()
        _check(page, "iom: approve with open comments (confirmation)", problems)
        page.goto(reverse("reviews:review_workflow", kwargs={"pk": world.bali_submitted.pk}))
        page.get_by_role("button", name="Request changes…").first.click()
        page.wait_for_load_state()
        _check(page, "iom: request changes (confirmation with cover note)", problems)
        page.goto(reverse("reviews:cycle_create"))
        page.get_by_role("button", name="Save cycle").click()
        expect(page.locator("[aria-invalid=true]").first).to_be_visible()
        _check(page, "iom: cycle form with errors", problems)
        _visit(page, reverse("packages:detail", kwargs={"pk": world.package.pk}), "iom: compiled package", problems)


def test_every_page_has_no_axe_violations(browser, live_server, axe_world):
    problems = {}
    for role in AXE_ROLES:
        context = _signed_in_context(browser, live_server, axe_world.users[role])
        page = context.new_page()
        try:
            for case in _page_cases(role):
                url = reverse(case.name, kwargs=case.kwargs(axe_world) if case.kwargs else None)
                _visit(page, url, f"{role}: {case.id} {url}", problems)
            _states(page, role, axe_world, problems)
        finally:
            context.close()
    report = "\n".join(f"{page}\n  " + "\n  ".join(found) for page, found in problems.items())
    assert problems == {}, report


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_page_in_french_and_spanish_has_no_axe_violations(browser, live_server, axe_world, language):
    """The same pages at their French and Spanish addresses: translated text, reference names kept in English
    (marked lang="en"), longer labels in the same layouts."""
    problems = {}
    for role in AXE_ROLES:
        context = _signed_in_context(browser, live_server, axe_world.users[role], language)
        page = context.new_page()
        try:
            for case in _page_cases(role):
                with translation.override(language):
                    url = reverse(case.name, kwargs=case.kwargs(axe_world) if case.kwargs else None)
                _visit(page, url, f"{language} {role}: {case.id} {url}", problems)
                assert page.locator("html").get_attribute("lang") == language, url
        finally:
            context.close()
    report = "\n".join(f"{page}\n  " + "\n  ".join(found) for page, found in problems.items())
    assert problems == {}, report
