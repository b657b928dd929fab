"""E-mail that still fails after its last try shows in the admin, which hands it over again."""

import pytest
from django.core import mail

from operations.enums import OutboxStatus
from operations.models import OutboxMessage
from operations.outbox import outbox_task_id
from reviews.models import SentNotification
from reviews.tasks import send_transition_notification
from reviews.workflow import review_transition
from tests.factories import complete_review

pytestmark = pytest.mark.django_db

DEAD_SMTP = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens: the mail server is down
    }
}


def test_mail_task_retries_with_back_off():
    assert (
        send_transition_notification.max_retries,
        send_transition_notification.retry_backoff,
        send_transition_notification.retry_backoff_max,
    ) == (6, 60, 1800)


def test_email_failing_after_last_try_is_listed_and_handed_over_again(
    client, admin_user, bali, bali_secretariat, iom_user, settings, django_capture_on_commit_callbacks
):
    review = complete_review(bali)
    with django_capture_on_commit_callbacks(execute=False):  # the hand-over is what this test does itself
        record = review_transition(review=review, action="submit", by=bali_secretariat)
    message = OutboxMessage.objects.get()
    working = settings.MAILERS
    settings.MAILERS = DEAD_SMTP
    # The worker's last try (after max_retries retries): the task gives up and the message is marked failed.
    # throw=False: as in a worker, the failure is recorded rather than raised into the caller.
    result = send_transition_notification.apply(
        args=[record.pk], task_id=outbox_task_id(message, 1), retries=6, throw=False
    )
    assert (result.state, type(result.result)) == ("FAILURE", ConnectionRefusedError)
    message.refresh_from_db()
    assert (message.status, message.error) == (OutboxStatus.FAILED, "ConnectionRefusedError: Connection refused")

    client.force_login(admin_user)
    page = client.get("/admin/operations/outboxmessage/?status__exact=failed")
    assert page.status_code == 200
    assert "reviews.send_transition_notification" in page.content.decode()
    assert "ConnectionRefusedError: Connection refused" in page.content.decode()

    settings.MAILERS = working
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/operations/outboxmessage/",
            {"action": "hand_over_again", "_selected_action": [message.pk]},
            follow=True,
        )
    assert [str(m) for m in response.context["messages"]] == ["1 message handed over again."]
    message.refresh_from_db()
    assert (message.status, message.error, len(mail.outbox), SentNotification.objects.count()) == (
        OutboxStatus.DONE,
        "",
        1,
        1,
    )


def test_iom_staff_cannot_open_the_outbox_admin(client, iom_user):
    client.force_login(iom_user)
    assert client.get("/admin/operations/outboxmessage/").status_code == 302  # to the admin's login
