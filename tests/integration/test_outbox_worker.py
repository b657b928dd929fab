import time

import pytest
from django.db import transaction
from django.utils import timezone

from operations.enums import OutboxStatus
from operations.models import OutboxMessage
from operations.outbox import outbox_send

pytestmark = pytest.mark.integration


def _wait_for_status(pk: int, status: str, timeout: float = 30) -> OutboxMessage:
    deadline = time.monotonic() + timeout
    while (message := OutboxMessage.objects.get(pk=pk)).status != status:
        assert time.monotonic() < deadline, f"message {pk} still {message.status}: {message.error}"
        time.sleep(0.2)
    return message


def test_real_worker_closes_the_outbox_message_it_ran(celery_worker_process):
    with transaction.atomic():
        message = outbox_send("iscm_portal.ping")
    finished = _wait_for_status(message.pk, OutboxStatus.DONE)
    assert (finished.handovers, finished.error) == (1, "")


def test_real_worker_marks_a_failing_task_failed(celery_worker_process):
    with transaction.atomic():
        message = outbox_send("library.index_review", args=["not-an-id"])
    failed = _wait_for_status(message.pk, OutboxStatus.FAILED)
    assert failed.error.startswith("ValueError: ")


@pytest.fixture
def message_left_waiting(transactional_db):
    """Recorded while no broker took it (never handed over), before any worker runs."""
    return OutboxMessage.objects.create(task="iscm_portal.ping", available_at=timezone.now(), redeliver_after=900)


def test_a_starting_worker_hands_over_what_the_outbox_holds(message_left_waiting, celery_worker_process):
    finished = _wait_for_status(message_left_waiting.pk, OutboxStatus.DONE)
    assert finished.handovers == 1
