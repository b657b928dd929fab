"""Celery tasks of the review workflow: thin, taking ids, safe to retry (each e-mail goes out once)."""

import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from iscm_portal.email_once import MAIL_RETRY
from mechanisms.models import Mechanism
from operations.outbox import outbox_send

from .models import Review, ReviewCycle, ReviewTransition
from .notifications import notification_send, reminder_notification, transition_notification
from .reminders import AWAITING_SECRETARIAT_STATUSES, due_reminders


@shared_task(name="reviews.send_transition_notification", **MAIL_RETRY)
def send_transition_notification(transition_id: int) -> bool:
    """E-mail the people a workflow step concerns (IOM on submission, the secretariat otherwise)."""
    transition = (
        ReviewTransition.objects.select_related("review__mechanism", "review__cycle", "by")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return False
    notification = transition_notification(transition)
    return notification is not None and notification_send(notification=notification)


@shared_task(name="reviews.send_reminder", **MAIL_RETRY)
def send_reminder(cycle_id: int, mechanism_id: int, kind: str, today: str) -> bool:
    """Remind one mechanism's secretariat that its review for one cycle is due or overdue."""
    cycle = ReviewCycle.objects.filter(pk=cycle_id).first()
    mechanism = Mechanism.objects.filter(pk=mechanism_id).first()
    if cycle is None or mechanism is None:
        return False
    review = Review.objects.filter(cycle=cycle, mechanism=mechanism).first()
    if review is not None and review.status not in AWAITING_SECRETARIAT_STATUSES:
        return False  # submitted since the reminder was queued
    notification = reminder_notification(
        cycle=cycle, mechanism=mechanism, kind=kind, today=datetime.date.fromisoformat(today), review=review
    )
    return notification_send(notification=notification)


@shared_task(name="reviews.send_due_reminders")
def send_due_reminders(today: str | None = None) -> int:
    """Daily (Celery beat): queue the reminders due today (or on the ISO date given); each is sent at most once."""
    today = datetime.date.fromisoformat(today) if today else timezone.localdate()
    reminders = due_reminders(today=today)
    with transaction.atomic():
        for reminder in reminders:
            outbox_send(
                "reviews.send_reminder",
                args=[reminder.cycle_id, reminder.mechanism_id, reminder.kind, today.isoformat()],
            )
    return len(reminders)
