"""Which secretariats to remind today about a regional review that is not submitted."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from mechanisms.models import Mechanism

from .enums import AWAITING_SECRETARIAT_STATUSES
from .models import Review, ReviewCycle

# The ball is with the secretariat: nothing submitted yet, or sent back to it.


@dataclass(frozen=True)
class DueReminder:
    cycle_id: int
    mechanism_id: int
    kind: str  # "before:<days>" or "overdue:<week index>"


def reminder_kind(*, due_on: datetime.date, today: datetime.date) -> str | None:
    """The reminder that applies today, if any.

    Before the due date: the smallest configured lead time (REVIEW_REMINDER_DAYS) not yet passed, so a
    missed beat run still reminds the next day and a late-created cycle gets only the nearest reminder.
    After it: one reminder per overdue week, for REVIEW_OVERDUE_REMINDER_WEEKS weeks.
    """
    days_left = (due_on - today).days
    if days_left >= 0:
        applicable = [days for days in settings.REVIEW_REMINDER_DAYS if days_left <= days]
        return f"before:{min(applicable)}" if applicable else None
    week = (-days_left - 1) // 7
    return f"overdue:{week}" if week < settings.REVIEW_OVERDUE_REMINDER_WEEKS else None


def due_reminders(*, today: datetime.date) -> list[DueReminder]:
    """Reminders for every open cycle and every mechanism with a secretariat whose review is not submitted."""
    last_overdue_day = today - datetime.timedelta(weeks=settings.REVIEW_OVERDUE_REMINDER_WEEKS)
    cycles = ReviewCycle.objects.filter(opens_on__lte=today, due_on__gte=last_overdue_day)
    mechanism_ids = list(
        Mechanism.objects.filter(secretariat_users__is_active=True).values_list("pk", flat=True).distinct()
    )
    reminders = []
    for cycle in cycles:
        kind = reminder_kind(due_on=cycle.due_on, today=today)
        if kind is None:
            continue
        done = set(
            Review.objects.filter(cycle=cycle)
            .filter(~Q(status__in=AWAITING_SECRETARIAT_STATUSES))
            .values_list("mechanism_id", flat=True)
        )
        reminders += [DueReminder(cycle.pk, pk, kind) for pk in sorted(mechanism_ids) if pk not in done]
    return reminders
