"""Signs of life of the background: workers (through a beat-scheduled task and at start) and beat itself.

/healthz reads them instead of asking the workers over the broker (a blocking `inspect ping`).
"""

import logging
import socket
import time

from celery.beat import PersistentScheduler
from django.db import close_old_connections
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger(__name__)


def heartbeat_record(*, name: str, detail: str = "") -> None:
    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now(), "detail": detail or socket.gethostname()}
    )


def heartbeats_read() -> dict[str, Heartbeat]:
    return {heartbeat.name: heartbeat for heartbeat in Heartbeat.objects.all()}


class RecordingScheduler(PersistentScheduler):
    """Celery beat's scheduler, writing beat's heartbeat as it ticks (at most every `every` seconds)."""

    every = 15
    _recorded = 0.0

    def tick(self, *args, **kwargs):
        if time.monotonic() - self._recorded >= self.every:
            try:
                close_old_connections()  # a database restarted since the last tick
                heartbeat_record(name="beat")
                self._recorded = time.monotonic()
            except Exception:
                logger.exception("beat could not record its heartbeat")
        return min(super().tick(*args, **kwargs), self.every)
