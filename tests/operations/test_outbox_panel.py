"""The IOM dashboard's panel: how many background messages wait, since when, and how many failed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from operations.enums import OutboxStatus
from operations.models import OutboxMessage
from operations.selectors import outbox_backlog

pytestmark = pytest.mark.django_db


def _message(status=OutboxStatus.WAITING, age=timedelta(0)):
    message = OutboxMessage.objects.create(
        task="reviews.send_transition_notification",
        args=[1],
        status=status,
        available_at=timezone.now(),
        redeliver_after=900,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - age)


def test_outbox_backlog_counts_waiting_and_failed_and_the_oldest_wait():
    _message(age=timedelta(minutes=42))
    _message(age=timedelta(minutes=3))
    _message(status=OutboxStatus.DONE, age=timedelta(days=2))
    _message(status=OutboxStatus.FAILED, age=timedelta(hours=5))
    backlog = outbox_backlog()
    assert (backlog.waiting, backlog.failed, backlog.oldest_waiting_seconds // 60) == (2, 1, 42)


def test_iom_dashboard_shows_the_backlog(client, iom_user):
    _message(age=timedelta(minutes=42))
    _message(status=OutboxStatus.FAILED)
    client.force_login(iom_user)
    page = client.get("/reviews/iom/").content.decode()
    assert 'data-outbox-waiting="1" data-outbox-failed="1"' in page
    assert "1 message (e-mail, reminder or compile request) waits for a worker" in page
    assert "oldest recorded 42\xa0minutes ago" in page
    assert "1 message failed after its last try." in page
    assert "See them in the administration" not in page  # IOM staff are not administrators


def test_iom_dashboard_in_french_says_nothing_waits(client, iom_user):
    client.force_login(iom_user)
    page = client.get("/fr/reviews/iom/").content.decode()
    assert 'data-outbox-waiting="0" data-outbox-failed="0"' in page
    assert "Rien n’attend" in page
