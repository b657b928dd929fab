"""Reads of the operations app: the outbox's backlog, for the IOM dashboard and /healthz."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone

from .enums import OutboxStatus
from .models import OutboxMessage


@dataclass(frozen=True)
class OutboxBacklog:
    waiting: int  # recorded, not yet finished by a worker
    oldest_waiting_at: datetime.datetime | None
    failed: int  # given up after the last retry, to hand over again in the admin

    @property
    def oldest_waiting_seconds(self) -> int | None:
        if self.oldest_waiting_at is None:
            return None
        return max(0, int((timezone.now() - self.oldest_waiting_at).total_seconds()))


def outbox_backlog() -> OutboxBacklog:
    """How many messages wait, since when, and how many failed: one query."""
    waiting = Q(status=OutboxStatus.WAITING)
    totals = OutboxMessage.objects.filter(status__in=[OutboxStatus.WAITING, OutboxStatus.FAILED]).aggregate(
        waiting=Count("pk", filter=waiting),
        oldest=Min("created_at", filter=waiting),
        failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
    )
    return OutboxBacklog(waiting=totals["waiting"], oldest_waiting_at=totals["oldest"], failed=totals["failed"])
