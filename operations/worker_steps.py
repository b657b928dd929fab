"""A worker bootstep that writes the worker's heartbeat every HEARTBEAT_INTERVAL seconds from its own timer.

Registered on the Celery app in `iscm_portal/celery.py`; it runs in the worker's main loop, so a worker whose
loop is stuck stops beating. Kept free of model imports: the Celery app is loaded before Django's apps.
"""

import logging

from celery import bootsteps

logger = logging.getLogger(__name__)


def _beat(hostname: str) -> None:
    from django.db import close_old_connections

    from .heartbeats import heartbeat_record  # inline: models are importable only once Django is set up

    try:
        close_old_connections()  # a database restarted since the last beat
        heartbeat_record(name="worker", detail=hostname)
    except Exception:
        logger.exception("the worker could not record its heartbeat")


class HeartbeatStep(bootsteps.StartStopStep):
    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        from django.conf import settings

        _beat(worker.hostname)
        self.tref = worker.timer.call_repeatedly(settings.HEARTBEAT_INTERVAL, _beat, (worker.hostname,))

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
