"""The API's documentation page (/api/docs/): Swagger UI from the package's own files, no CDN, under the portal's
Content Security Policy, listing every endpoint, and passing axe once drawn."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from iscm_portal.api.urls import v1_patterns
from tests.e2e.accessibility import axe_install, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def docs_page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    axe_install(context)
    context.set_default_timeout(30_000)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(reverse("api:docs"))
    page.locator(".opblock").first.wait_for()
    yield page, requests, errors, live_server.url
    context.close()


def test_docs_page_lists_every_endpoint_from_local_files(docs_page):
    page, requests, errors, base = docs_page
    shown = sorted(set(page.locator(".opblock-summary-path").all_inner_texts()))
    schema = page.request.get(reverse("api:schema"), headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    # Every address of /api/v1/ is in the schema, and the page shows every address of the schema.
    assert (len(schema["paths"]), shown) == (len(v1_patterns), sorted(schema["paths"]))
    assert [url for url in requests if not url.startswith(base)] == []
    assert errors == []


def test_docs_page_passes_axe(docs_page):
    page, _requests, _errors, _base = docs_page
    expect(page.locator(".opblock").first).to_be_visible()
    violations = axe_violations(page)
    assert violations == []
