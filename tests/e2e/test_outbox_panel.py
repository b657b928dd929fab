"""The IOM dashboard's background-messages panel in a browser, in English, French and Spanish."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from operations.enums import OutboxStatus
from operations.models import OutboxMessage
from tests.factories import UserFactory

AXE = settings.NODE_MODULES / "axe-core" / "axe.min.js"
SHOTS = settings.BASE_DIR / ".test-media" / "screenshots"


@pytest.fixture
def backlog(transactional_db):
    UserFactory(username="iom-browser", is_iom_staff=True)
    now = timezone.now()
    for status, age in [(OutboxStatus.WAITING, timedelta(minutes=42)), (OutboxStatus.WAITING, timedelta(0))]:
        message = OutboxMessage.objects.create(
            task="reviews.send_reminder", status=status, available_at=now, redeliver_after=900
        )
        OutboxMessage.objects.filter(pk=message.pk).update(created_at=now - age)
    OutboxMessage.objects.create(
        task="reviews.send_transition_notification", status=OutboxStatus.FAILED, available_at=now, redeliver_after=900
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "2 messages (e-mails, reminders or compile requests) wait for a worker"),
        ("fr", "2 messages (courriels, rappels ou demandes de compilation) attendent un processus de traitement"),
        (
            "es",
            "2 mensajes (correos electrónicos, recordatorios o solicitudes de compilación) esperan a un proceso de "
            "trabajo",
        ),
    ],
)
def test_outbox_panel_reads_in_each_language_and_is_accessible(page_in, backlog, language, text):
    page, prefix = page_in(language)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("iom-browser")
    page.locator("#id_password").fill("pass-for-tests")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"{prefix}/reviews/iom/")
    panel = page.locator(".outbox-panel")
    assert text in " ".join(panel.inner_text().split())
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SHOTS / f"outbox-panel-{language}.png"))
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools, which the page's CSP does not govern
    violations = page.evaluate("async () => (await axe.run('.outbox-panel')).violations.map(v => v.id)")
    assert violations == []
