"""The broker stops during a submission: the step is committed, the request returns at once, and the e-mail
is sent once after the broker returns (even though the restarted Redis lost everything it held)."""

import os
import time
import uuid

import pytest

from operations.enums import OutboxStatus
from operations.models import OutboxMessage
from operations.tasks import relay_outbox
from reviews.enums import ReviewStatus as S
from reviews.models import Review, SentNotification
from reviews.tasks import send_transition_notification
from tests.celery_app import celery_configured, require_postgresql, shared_database_url, worker_process
from tests.factories import complete_review

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]


def _wait_until(condition, what: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_broker_stopped_during_submission_email_sent_once_after_it_returns(
    own_redis, tmp_path, client, reference_data, bali, bali_secretariat, iom_user
):
    require_postgresql()
    mail_dir = tmp_path / "mail"
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.test",
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": own_redis.url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "TEST_EMAIL_URL": f"filemail://{mail_dir}",
    }
    conf = {"task_always_eager": False, "task_default_queue": queue, "broker_url": own_redis.url}
    conf["result_backend"] = own_redis.url
    arguments = ["--pool=solo", "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"]
    review = complete_review(bali)
    with celery_configured(**conf), worker_process(arguments, env, queue=queue):
        own_redis.stop()

        client.force_login(bali_secretariat)
        started = time.monotonic()
        response = client.post(f"/reviews/{review.pk}/transition/submit/", {"confirmed": "yes"})  # "Yes, submit"
        elapsed = time.monotonic() - started

        assert response.status_code == 302
        assert elapsed < 5  # it hung about 19 s before the outbox
        assert Review.objects.get(pk=review.pk).status == S.SUBMITTED
        message = OutboxMessage.objects.get(task="reviews.send_transition_notification")
        assert (message.status, message.handovers) == (OutboxStatus.WAITING, 0)

        own_redis.start()  # empty: whatever the broker held is gone
        relay_outbox.apply_async(ignore_result=True)  # what beat sends every OUTBOX_RELAY_INTERVAL seconds

        _wait_until(
            lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.DONE, "the e-mail to be sent"
        )
        assert OutboxMessage.objects.get(pk=message.pk).handovers == 1
        # A duplicate delivery of the task (a redelivery, a second relay) sends nothing.
        assert send_transition_notification.delay(*message.args).get(timeout=30) is False
    sent = sorted(path.read_text() for path in mail_dir.iterdir())
    assert len(sent) == 1
    assert "To: iom@example.org" in sent[0]
    assert "Bali Process submitted its regional review" in sent[0]
    assert list(SentNotification.objects.values_list("key", flat=True)) == [f"transition:{message.args[0]}"]
