"""An IOM user compiles a package, watches the progress reach done, and downloads the PDF and the ZIP."""

import json
import re
import zipfile

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from iscm_portal.celery import app
from mechanisms.models import Mechanism
from tests.factories import ApprovedReviewContentFactory, PackageFactory, ReviewCycleFactory


def _forget_connections():
    """Drop the broker pool and result backend the app may have cached under the previous configuration."""
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    # Not closed: kombu keeps pools in a global registry that other tests' workers reuse.
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def worker_thread(settings, tmp_path):
    """A Celery worker in a thread on an in-memory broker, so the page sees queued, compiling and done."""
    settings.MEDIA_ROOT = tmp_path / "media"
    previous = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.update(task_always_eager=False, broker_url="memory://", result_backend="cache+memory://")
    _forget_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
            yield
    finally:
        app.conf.update(task_always_eager=previous[0], broker_url=previous[1], result_backend=previous[2])
        _forget_connections()


def test_iom_user_compiles_package_and_downloads_pdf_and_zip(page, login, iom_user, reference_data, worker_thread):
    cycle = ReviewCycleFactory()
    for index, slug in enumerate(["bali-process", "midwa", "rabat-process"]):
        ApprovedReviewContentFactory(
            mechanism=Mechanism.objects.get(slug=slug), cycle=cycle, objectives=(1, 2, 5), seed=index
        )
    package = PackageFactory(cycle=cycle, created_by=iom_user)

    login("iom")
    page.goto("/packages/")
    page.get_by_role("link", name=package.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(package.title)
    page.screenshot(path="/tmp/shots-packages/detail-before.png", full_page=True)

    page.get_by_role("button", name="Compile").click()
    status = page.locator("#version-progress [data-status]")
    expect(status).to_have_attribute("data-status", re.compile("queued|compiling"))
    page.screenshot(path="/tmp/shots-packages/detail-compiling.png", full_page=True)
    # No reload from here: htmx replaces the progress box until the version is done.
    expect(status).to_have_attribute("data-status", re.compile("done|failed"), timeout=120_000)
    expect(page.locator("#version-progress [data-error]")).to_have_count(0)  # a failure would show its reason
    expect(status).to_have_attribute("data-status", "done")
    page.screenshot(path="/tmp/shots-packages/detail-done.png", full_page=True)

    with page.expect_download() as pdf_download:
        page.locator('#version-progress [data-download="pdf"]').click()
    pdf_path = pdf_download.value.path()
    assert pdf_download.value.suggested_filename == "regional-reviews-2024-input-to-the-imrf-2026-v1.pdf"
    with open(pdf_path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    with page.expect_download() as zip_download:
        page.locator('#version-progress [data-download="zip"]').click()
    with zipfile.ZipFile(zip_download.value.path()) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert [item["mechanism"] for item in manifest["review_versions"]] == ["Bali Process", "MIDWA", "Rabat Process"]

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path="/tmp/shots-packages/detail-phone.png", full_page=True)
