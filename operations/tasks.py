"""Celery tasks of the outbox: thin, calling its services."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from .outbox import outbox_prune, outbox_relay


@shared_task(name="operations.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Beat, and each worker at start: hand over what the outbox holds and is due; forget old finished messages."""
    handed = outbox_relay()
    outbox_prune(older_than=timedelta(days=settings.OUTBOX_KEEP_DAYS))
    return handed
