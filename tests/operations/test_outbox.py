"""The outbox: side effects recorded with their step, handed over after the commit, again by the relay."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from operations.enums import OutboxStatus
from operations.models import OutboxMessage
from operations.outbox import outbox_relay, outbox_retry, outbox_send
from reviews.models import SentNotification
from reviews.workflow import review_transition
from tests.celery_app import celery_configured
from tests.factories import complete_review

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _statuses():
    return list(OutboxMessage.objects.order_by("pk").values_list("task", "status", "handovers"))


def test_outbox_send_rolled_back_with_its_step_leaves_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_send("iscm_portal.ping")
        raise RuntimeError("the step failed")
    assert OutboxMessage.objects.count() == 0


def test_outbox_send_hands_over_after_commit_and_is_closed_when_done(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox_send("iscm_portal.ping")
    assert _statuses() == [("iscm_portal.ping", OutboxStatus.WAITING, 0)]
    for callback in callbacks:
        callback()
    assert _statuses() == [("iscm_portal.ping", OutboxStatus.DONE, 1)]


def test_broker_down_request_does_not_wait_and_relay_sends_later(
    bali, bali_secretariat, iom_user, django_capture_on_commit_callbacks
):
    review = complete_review(bali)
    with celery_configured(task_always_eager=False, broker_url=DEAD_BROKER):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            review_transition(review=review, action="submit", by=bali_secretariat)
        elapsed = time.monotonic() - started
    # Without the outbox's fail-fast hand-over this took about 19 s (kombu's and redis-py's retries).
    assert elapsed < 5
    message = OutboxMessage.objects.get()
    assert (message.status, message.handovers, message.error) == (
        OutboxStatus.WAITING,
        0,
        "OperationalError: Error 111 connecting to 127.0.0.1:1. Connection refused.",
    )
    assert len(mail.outbox) == 0
    # The broker is back (here: tasks in-process): beat's relay sends it, once.
    assert outbox_relay() == 1
    assert outbox_relay() == 0
    assert (len(mail.outbox), SentNotification.objects.count()) == (1, 1)
    assert _statuses() == [("reviews.send_transition_notification", OutboxStatus.DONE, 1)]


def test_relay_hands_over_again_what_was_not_finished_in_time():
    """A broker that lost its data (restarted without persistence) lost the message: it is handed over again."""
    message = OutboxMessage.objects.create(
        task="iscm_portal.ping",
        available_at=timezone.now() - timedelta(seconds=1),
        redeliver_after=900,
        handed_over_at=timezone.now() - timedelta(minutes=16),
        handovers=1,
    )
    later = OutboxMessage.objects.create(
        task="iscm_portal.ping", available_at=timezone.now() + timedelta(minutes=5), redeliver_after=900, handovers=1
    )
    assert outbox_relay() == 1
    assert (OutboxMessage.objects.get(pk=message.pk).handovers, OutboxMessage.objects.get(pk=later.pk).handovers) == (
        2,
        1,
    )


def test_failed_task_is_marked_failed_and_handed_over_again_on_request(settings, django_capture_on_commit_callbacks):
    outbox_send("reviews.send_reminder", args=[1, 2, "before:3", "2026-01-01"])  # unknown ids: returns quietly
    message = OutboxMessage.objects.get()
    message.status, message.error = OutboxStatus.FAILED, "SMTPServerDisconnected: Connection unexpectedly closed"
    message.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(message_ids=[message.pk]) == 1
    assert _statuses() == [("reviews.send_reminder", OutboxStatus.DONE, 1)]
    assert OutboxMessage.objects.get().error == ""


def test_errors_are_described_without_server_paths():
    from operations.outbox import error_described

    error = PermissionError(13, "Permission denied", "/srv/portal/media/packages/parts/1234.pdf")
    assert error_described(error) == "PermissionError: Permission denied"
