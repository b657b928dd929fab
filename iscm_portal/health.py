"""The checks behind /healthz: can the portal do its work now?

Each check answers `{"ok": bool, ...}`; the portal is healthy (200) when every check in
`HEALTH_REQUIRED_CHECKS` is ok, else 503. The workers and beat are judged by the heartbeats they write
(`operations.heartbeats`), never by asking them over the broker, so /healthz answers quickly whatever is down.
"""

from django.conf import settings
from django.db import connection
from django.utils import timezone

IN_PROCESS = {"ok": True, "mode": "in-process", "detail": "No broker configured; tasks run in the web process."}


def database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the reason is reported
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_check() -> dict:
    if not settings.CELERY_BROKER_URL:
        return IN_PROCESS
    from iscm_portal.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises transport-specific errors
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}
    return {"ok": True, "mode": "broker"}


def _heartbeat_check(heartbeats: dict, name: str, stale_after: int) -> dict:
    heartbeat = heartbeats.get(name)
    if heartbeat is None:
        return {"ok": False, "last_seen": None, "detail": f"No {name} has reported yet."}
    age = int((timezone.now() - heartbeat.beat_at).total_seconds())
    return {"ok": age <= stale_after, "last_seen": heartbeat.beat_at.isoformat(), "seconds_ago": age}


def background_checks() -> dict:
    """Workers, beat and the outbox, read from the database (one query each)."""
    from operations.heartbeats import heartbeats_read  # inline: the apps are loaded once a request comes
    from operations.selectors import outbox_backlog

    try:
        heartbeats = heartbeats_read()
        backlog = outbox_backlog()
    except Exception as exc:  # the database is down: database_check says so
        unknown = {"ok": False, "error": exc.__class__.__name__}
        return {"worker": unknown, "beat": unknown, "outbox": unknown}
    oldest = backlog.oldest_waiting_seconds
    outbox = {
        "ok": oldest is None or oldest <= settings.HEALTH_OUTBOX_MAX_WAIT,
        "waiting": backlog.waiting,
        "oldest_waiting_seconds": oldest,
        "failed": backlog.failed,
    }
    if not settings.CELERY_BROKER_URL:
        return {"worker": IN_PROCESS, "beat": IN_PROCESS, "outbox": outbox}
    return {
        "worker": _heartbeat_check(heartbeats, "worker", settings.HEALTH_WORKER_STALE_AFTER),
        "beat": _heartbeat_check(heartbeats, "beat", settings.HEALTH_BEAT_STALE_AFTER),
        "outbox": outbox,
    }


def health_report() -> tuple[dict, bool]:
    checks = {"database": database_check(), "broker": broker_check(), **background_checks()}
    healthy = all(checks[name]["ok"] for name in settings.HEALTH_REQUIRED_CHECKS)
    return {"status": "ok" if healthy else "unavailable", **checks}, healthy
