"""An IOM user compiles a package, watches the progress reach done in the same tab, and downloads the files."""

import json
import re
import subprocess
import zipfile

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from mechanisms.models import Mechanism
from tests.celery_app import celery_configured, local_settings_celery_conf
from tests.factories import ApprovedReviewContentFactory, PackageFactory, ReviewCycleFactory


@pytest.fixture
def worker_thread(settings, tmp_path):
    """A Celery worker in a thread on the broker of `make run` (files), so the page sees queued, compiling, done."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with (
        celery_configured(**local_settings_celery_conf(tmp_path / "broker")) as app,
        start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30),
    ):
        yield


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
    compile_button = page.get_by_role("button", name="Compile a new version")
    expect(compile_button).to_be_disabled()
    expect(compile_button).to_have_accessible_description(
        "Version 1 is being compiled; you can compile a new version once it has finished."
    )
    page.screenshot(path="/tmp/shots-packages/detail-compiling.png", full_page=True)
    # No reload from here: htmx replaces the progress box until the version is done.
    expect(status).to_have_attribute("data-status", re.compile("done|failed"), timeout=120_000)
    expect(page.locator("#version-progress [data-error]")).to_have_count(0)  # a failure would show its reason
    expect(status).to_have_attribute("data-status", "done")
    expect(compile_button).to_be_enabled()
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


def test_iom_user_with_a_spanish_interface_compiles_the_report_in_french(
    page, login, iom_user, reference_data, worker_thread
):
    cycle = ReviewCycleFactory()
    for index, slug in enumerate(["midwa", "rabat-process"]):
        mechanism = Mechanism.objects.get(slug=slug)
        ApprovedReviewContentFactory(mechanism=mechanism, cycle=cycle, objectives=(2, 6), seed=index)
    package = PackageFactory(cycle=cycle, created_by=iom_user)

    login("iom")
    page.goto(f"/packages/{package.pk}/")
    page.get_by_role("group", name="Language").get_by_role("button", name="ES").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Idioma del informe")).to_be_visible()

    page.get_by_label("Redactar la próxima versión en").select_option("fr")
    page.locator('[data-action="set-language"]').click()
    expect(page.get_by_label("Redactar la próxima versión en")).to_have_value("fr")
    page.locator('[data-action="compile"]').click()
    status = page.locator("#version-progress [data-status]")
    expect(status).to_have_attribute("data-status", re.compile("done|failed"), timeout=120_000)
    expect(status).to_have_attribute("data-status", "done")
    page.screenshot(path="/tmp/shots-packages/detail-es-report-fr.png", full_page=True)

    with page.expect_download() as pdf_download:
        page.locator('#version-progress [data-download="pdf"]').click()
    text = subprocess.run(
        ["pdftotext", "-l", "4", pdf_download.value.path(), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The report speaks French whatever the interface language of the person who compiled it.
    assert "Table des matières" in text
    assert "Índice" not in text and "Contents" not in text
