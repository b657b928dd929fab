"""Locked-out logins (django-axes counts the failures): which are locked now, and unlocking one early.

A login is locked for one username from one address once it has AXES_FAILURE_LIMIT failures within the
cool-off period (settings in iscm_portal/settings/base.py); it unlocks by itself when the period ends.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lockout:
    pk: int
    username: str
    ip_address: str
    failures: int
    last_attempt: datetime
    unlocks_at: datetime | None


def lockouts_current() -> list[Lockout]:
    """Logins locked right now, the latest first."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return [
        Lockout(
            pk=attempt.pk,
            username=attempt.username or "",
            ip_address=attempt.ip_address or "",
            failures=attempt.failures_since_start,
            last_attempt=attempt.attempt_time,
            unlocks_at=attempt.attempt_time + cool_off if cool_off else None,
        )
        for attempt in attempts.order_by("-attempt_time")
    ]


def lockout_clear(*, attempt_id: int, by) -> int:
    """Unlock one username at one address (its failures are forgotten); returns how many records went."""
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return 0  # already unlocked: by the cool-off, a successful login or another IOM colleague
    # Exactly this username at this address (axes's reset would widen a missing username to the whole address).
    removed, _ = AccessAttempt.objects.filter(username=attempt.username, ip_address=attempt.ip_address).delete()
    logger.info("Login of %r from %s unlocked by %s", attempt.username, attempt.ip_address, by.get_username())
    return removed
