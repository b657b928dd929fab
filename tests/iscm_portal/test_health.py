import datetime

import pytest
from django.utils import timezone

from iscm_portal.health import background_checks
from operations.models import OutboxMessage


@pytest.mark.django_db
def test_healthz_without_broker_reports_in_process_tasks(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {
        "ok": True,
        "mode": "in-process",
        "detail": "No broker configured; tasks run in the web process.",
    }


@pytest.mark.django_db
def test_healthz_with_unreachable_broker_is_503(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


def _heartbeat(name, seconds_ago):
    from operations.models import Heartbeat

    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now() - datetime.timedelta(seconds=seconds_ago), "detail": "host"}
    )


@pytest.mark.django_db
def test_background_checks_read_the_heartbeats_and_the_outbox(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    assert background_checks()["worker"] == {"ok": False, "last_seen": None, "detail": "No worker has reported yet."}
    _heartbeat("worker", 20)
    _heartbeat("beat", 500)
    checks = background_checks()
    assert (checks["worker"]["ok"], checks["worker"]["seconds_ago"]) == (True, 20)
    assert (checks["beat"]["ok"], checks["beat"]["seconds_ago"]) == (False, 500)
    assert checks["outbox"] == {"ok": True, "waiting": 0, "oldest_waiting_seconds": None, "failed": 0}
    message = OutboxMessage.objects.create(task="iscm_portal.ping", available_at=timezone.now(), redeliver_after=900)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    outbox = background_checks()["outbox"]
    assert (outbox["ok"], outbox["waiting"], outbox["oldest_waiting_seconds"] // 60) == (False, 1, 60)


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_answered_recently(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.HEALTH_REQUIRED_CHECKS = ["database", "worker"]
    _heartbeat("worker", 10)
    assert client.get("/healthz").status_code == 200
    _heartbeat("worker", 600)
    response = client.get("/healthz")
    assert (response.status_code, response.json()["worker"]["ok"], response.json()["status"]) == (
        503,
        False,
        "unavailable",
    )


@pytest.mark.django_db(transaction=True)  # the scheduler closes stale connections, as beat does between ticks
def test_beat_scheduler_records_its_heartbeat(tmp_path):
    from iscm_portal.celery import app
    from operations.heartbeats import RecordingScheduler
    from operations.models import Heartbeat

    scheduler = RecordingScheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    scheduler.setup_schedule()
    scheduler.tick()
    assert Heartbeat.objects.get(name="beat").beat_at > timezone.now() - datetime.timedelta(seconds=5)
