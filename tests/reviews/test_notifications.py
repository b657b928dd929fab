import pytest
from django.core import mail

from operations.enums import OutboxStatus
from operations.models import OutboxMessage
from operations.outbox import outbox_relay
from reviews.enums import ReviewStatus as S
from reviews.models import SentNotification
from reviews.tasks import send_transition_notification
from reviews.workflow import review_transition
from tests.factories import CommentFactory, UserFactory, complete_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(bali, bali_secretariat, iom_user):
    UserFactory(username="iom-two", is_iom_staff=True)
    UserFactory(username="iom-gone", is_iom_staff=True, is_active=False)
    UserFactory(username="bali-sec-two", secretariat_mechanisms=[bali])
    return bali_secretariat, iom_user


def _step(review, action, by, capture, **kwargs):
    with capture(execute=True):
        return review_transition(review=review, action=action, by=by, **kwargs)


def test_submission_emails_each_active_iom_staff_once(bali, people, django_capture_on_commit_callbacks):
    secretariat, _iom = people
    review = complete_review(bali)
    _step(review, "submit", secretariat, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["iom-two@example.org", "iom@example.org"]
    assert {m.subject for m in mail.outbox} == {"Bali Process submitted its regional review (2024 regional reviews)"}
    assert f"http://127.0.0.1:8000/reviews/{review.pk}/workflow/" in mail.outbox[0].body


def test_resubmission_says_so_and_links_the_comparison(bali, people, django_capture_on_commit_callbacks):
    secretariat, iom = people
    review = complete_review(bali)
    _step(review, "submit", secretariat, django_capture_on_commit_callbacks)
    CommentFactory(review=review, author=iom)
    _step(review, "request_changes", iom, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _step(review, "submit", secretariat, django_capture_on_commit_callbacks)
    assert {m.subject for m in mail.outbox} == {"Bali Process resubmitted its regional review (2024 regional reviews)"}
    assert f"http://127.0.0.1:8000/reviews/{review.pk}/compare/" in mail.outbox[0].body


def test_changes_requested_emails_secretariat_with_open_comments(bali, people, django_capture_on_commit_callbacks):
    secretariat, iom = people
    review = complete_review(bali)
    _step(review, "submit", secretariat, django_capture_on_commit_callbacks)
    CommentFactory(review=review, author=iom, part="objective:6", body="Add the 2023 figures.")
    mail.outbox.clear()
    _step(review, "request_changes", iom, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["bali-sec-two@example.org", "bali-sec@example.org"]
    assert mail.outbox[0].subject == "Changes requested on your regional review (2024 regional reviews)"
    assert "- Objective 6: Add the 2023 figures." in mail.outbox[0].body


def test_approval_emails_secretariat_only(bali, people, midwa_secretariat, django_capture_on_commit_callbacks):
    secretariat, iom = people
    review = complete_review(bali)
    _step(review, "submit", secretariat, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _step(review, "approve", iom, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["bali-sec-two@example.org", "bali-sec@example.org"]
    assert mail.outbox[0].subject == "Your regional review is approved (2024 regional reviews)"


def test_reopening_emails_the_reason(bali, people, django_capture_on_commit_callbacks):
    secretariat, iom = people
    review = complete_review(bali)
    _step(review, "submit", secretariat, django_capture_on_commit_callbacks)
    _step(review, "approve", iom, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _step(review, "reopen", iom, django_capture_on_commit_callbacks, reason="Wrong year in the table.")
    assert "Reason: Wrong year in the table." in mail.outbox[0].body


def test_steps_without_notification_send_nothing(bali, people, django_capture_on_commit_callbacks):
    secretariat, iom = people
    review = complete_review(bali)
    _step(review, "submit", secretariat, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _step(review, "start_review", iom, django_capture_on_commit_callbacks)
    _step(review, "withdraw", secretariat, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_retried_task_sends_each_email_once(bali, people, django_capture_on_commit_callbacks):
    secretariat, _iom = people
    review = complete_review(bali)
    record = _step(review, "submit", secretariat, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    # A retry after a lost acknowledgement, or a duplicate delivery, runs the task again.
    assert send_transition_notification.delay(record.pk).get() is False
    assert send_transition_notification.apply(args=[record.pk]).get() is False
    assert len(mail.outbox) == 2
    assert list(SentNotification.objects.values_list("key", flat=True)) == [f"transition:{record.pk}"]


def test_nothing_sent_when_the_transition_is_rolled_back(bali, people, django_capture_on_commit_callbacks):
    secretariat, _iom = people
    review = complete_review(bali, key_messages="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Exception):
        review_transition(review=review, action="submit", by=secretariat)
    assert (callbacks, mail.outbox) == ([], [])


def test_task_for_deleted_transition_returns_quietly(db):
    assert send_transition_notification.delay(987654).get() is False


def test_smtp_failure_keeps_no_record_so_the_retry_sends(bali, people, settings, django_capture_on_commit_callbacks):
    secretariat, _iom = people
    review = complete_review(bali)
    locmem = settings.MAILERS
    # Nothing listens on this port: the mail server is down, so the event must not be recorded as sent.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_transition(review=review, action="submit", by=secretariat)
    for callback in callbacks:  # among them the hand-over: tasks run in-process here, and the mail server refuses
        callback()
    message = OutboxMessage.objects.get()
    assert (SentNotification.objects.count(), len(mail.outbox)) == (0, 0)
    assert (message.task, message.status, message.error) == (
        "reviews.send_transition_notification",
        OutboxStatus.WAITING,
        "ConnectionRefusedError: Connection refused",
    )
    settings.MAILERS = locmem
    assert outbox_relay() == 1  # what beat does every minute
    assert (SentNotification.objects.count(), len(mail.outbox)) == (1, 2)
    assert OutboxMessage.objects.get().status == OutboxStatus.DONE
    assert review.transitions.get().to_status == S.SUBMITTED


@pytest.mark.integration
def test_real_worker_sends_transition_email_once(
    celery_worker_process, reference_data, bali, bali_secretariat, iom_user
):
    """Through Redis and a worker process: a duplicated task delivery still records (and sends) one e-mail."""
    review = complete_review(bali)
    record = review_transition(review=review, action="submit", by=bali_secretariat)  # on_commit: autocommit here
    first = send_transition_notification.delay(record.pk)
    second = send_transition_notification.delay(record.pk)
    results = sorted([first.get(timeout=30), second.get(timeout=30)])
    assert results == [False, False] or results == [False, True]
    assert list(SentNotification.objects.values_list("key", "recipients")) == [
        (f"transition:{record.pk}", ["iom@example.org"])
    ]


def test_submission_email_names_a_deleted_submitter_as_someone(bali, people, django_capture_on_commit_callbacks):
    secretariat, _iom = people
    review = complete_review(bali)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_transition(review=review, action="submit", by=secretariat)
    secretariat.delete()
    for callback in callbacks:
        callback()
    assert mail.outbox[0].body.startswith("Someone submitted the regional review of Bali Process")
