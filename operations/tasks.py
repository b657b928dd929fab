"""Celery tasks of the outbox and the heartbeats: thin, each calling one service."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from .heartbeats import heartbeat_record
from .outbox import outbox_prune, outbox_relay


@shared_task(name="operations.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Beat, and each worker at start: hand over what the outbox holds and is due; forget old finished messages."""
    heartbeat_record(name="worker")
    handed = outbox_relay()
    outbox_prune(older_than=timedelta(days=settings.OUTBOX_KEEP_DAYS))
    return handed


@shared_task(name="operations.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    """Beat: a worker answering this is alive; /healthz reads the time it last did."""
    heartbeat_record(name="worker")
