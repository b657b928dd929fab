import datetime

import pytest
from django.conf import settings as django_settings
from django.core import mail

from reviews.enums import ReviewStatus as S
from reviews.models import SentNotification
from reviews.reminders import DueReminder, due_reminders, reminder_kind
from reviews.tasks import send_due_reminders
from tests.factories import ReviewCycleFactory, UserFactory, review_in_status

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (datetime.date(2026, 6, 1), None),  # 29 days left
        (datetime.date(2026, 6, 15), None),  # 15 days left
        (datetime.date(2026, 6, 16), "before:14"),
        (datetime.date(2026, 6, 26), "before:14"),  # 4 days left: still the 14-day reminder (sent once)
        (datetime.date(2026, 6, 27), "before:3"),
        (datetime.date(2026, 6, 30), "before:3"),  # due today
        (datetime.date(2026, 7, 1), "overdue:0"),
        (datetime.date(2026, 7, 7), "overdue:0"),
        (datetime.date(2026, 7, 8), "overdue:1"),
        (datetime.date(2026, 8, 25), "overdue:7"),
        (datetime.date(2026, 8, 26), None),  # after 8 weeks overdue, reminders stop
    ],
)
def test_reminder_kind_schedule(today, kind):
    assert reminder_kind(due_on=DUE, today=today) == kind


def test_reminder_days_come_from_settings(settings):
    settings.REVIEW_REMINDER_DAYS = [7]
    assert [reminder_kind(due_on=DUE, today=DUE - datetime.timedelta(days=d)) for d in (8, 7, 1)] == [
        None,
        "before:7",
        "before:7",
    ]


def test_beat_runs_due_reminders_daily():
    entry = django_settings.CELERY_BEAT_SCHEDULE["reviews-due-reminders"]
    assert (entry["task"], entry["schedule"].hour, entry["schedule"].minute) == ("reviews.send_due_reminders", {6}, {0})


@pytest.fixture
def cycle(reference_data):
    return ReviewCycleFactory(review_year=2026, opens_on=datetime.date(2026, 1, 15), due_on=DUE)


def test_due_reminders_only_mechanisms_with_secretariat_and_not_submitted(
    cycle, bali, midwa, bali_secretariat, midwa_secretariat, iom_user
):
    review_in_status(S.SUBMITTED, mechanism=midwa, secretariat=midwa_secretariat, iom=iom_user, cycle=cycle)
    # Bali has not started a review: it is reminded; MIDWA submitted: it is not; the 30 others have nobody to remind.
    assert due_reminders(today=datetime.date(2026, 6, 20)) == [DueReminder(cycle.pk, bali.pk, "before:14")]


@pytest.mark.parametrize("status", [S.DRAFT, S.WITHDRAWN, S.CHANGES_REQUESTED, S.REOPENED])
def test_due_reminders_include_reviews_back_with_the_secretariat(cycle, bali, bali_secretariat, iom_user, status):
    review_in_status(status, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=cycle)
    assert due_reminders(today=DUE) == [DueReminder(cycle.pk, bali.pk, "before:3")]


@pytest.mark.parametrize("status", [S.SUBMITTED, S.IN_REVIEW, S.APPROVED])
def test_due_reminders_skip_reviews_with_iom(cycle, bali, bali_secretariat, iom_user, status):
    review_in_status(status, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=cycle)
    assert due_reminders(today=DUE) == []


def test_due_reminders_ignore_cycles_not_open(bali, bali_secretariat):
    ReviewCycleFactory(review_year=2027, opens_on=datetime.date(2027, 1, 15), due_on=datetime.date(2027, 1, 20))
    assert due_reminders(today=datetime.date(2027, 1, 10)) == []


def test_due_reminders_ignore_inactive_secretariat_users(cycle, bali):
    UserFactory(username="left", secretariat_mechanisms=[bali], is_active=False)
    assert due_reminders(today=DUE) == []


def _run_daily(today: str, capture) -> int:
    """Beat's daily run; the reminders it records in the outbox are handed over once it commits."""
    with capture(execute=True):
        return send_due_reminders.delay(today).get()


def test_reminder_emails_sent_once_per_reminder(cycle, bali, bali_secretariat, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    assert _run_daily("2026-06-20", capture) == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["bali-sec@example.org"], "Reminder: your regional review is due in 10 days (2026 regional reviews)")
    ]
    # The next daily runs within the same reminder window send nothing new.
    _run_daily("2026-06-21", capture)
    assert len(mail.outbox) == 1
    _run_daily("2026-06-28", capture)
    assert [m.subject for m in mail.outbox][1:] == [
        "Reminder: your regional review is due in 2 days (2026 regional reviews)"
    ]


def test_overdue_reminders_weekly(cycle, bali, bali_secretariat, django_capture_on_commit_callbacks):
    sent = []
    for day in range(1, 16):
        _run_daily((DUE + datetime.timedelta(days=day)).isoformat(), django_capture_on_commit_callbacks)
        sent.append(len(mail.outbox))
    # Day 1, day 8 and day 15 after the due date.
    assert sent == [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3]
    assert mail.outbox[0].subject == "Overdue: your regional review was due on 30 June 2026 (2026 regional reviews)"
    assert "was due on 30 June 2026, 1 day ago" in mail.outbox[0].body
    assert SentNotification.objects.filter(key__startswith="reminder:overdue").count() == 3


def test_reminder_not_sent_if_submitted_after_queueing(cycle, bali, bali_secretariat, iom_user):
    from reviews.tasks import send_reminder

    review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=cycle)
    mail.outbox.clear()
    assert send_reminder.delay(cycle.pk, bali.pk, "before:3", "2026-06-29").get() is False
    assert mail.outbox == []


def test_due_reminders_task_defaults_to_today(cycle, bali, bali_secretariat):
    # The cycle is long past its overdue window today, so the beat run finds nothing to send.
    assert send_due_reminders.delay().get() == 0
