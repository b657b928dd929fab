"""Reachability checks behind /healthz."""

from django.conf import settings
from django.db import connection


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
        return {"ok": True, "mode": "in-process", "detail": "No broker configured; tasks run in the web process."}
    from iscm_portal.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises transport-specific errors
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}
    return {"ok": True, "mode": "broker"}


def health_report() -> tuple[dict, bool]:
    checks = {"database": database_check(), "broker": broker_check()}
    healthy = all(check["ok"] for check in checks.values())
    return {"status": "ok" if healthy else "unavailable", **checks}, healthy
