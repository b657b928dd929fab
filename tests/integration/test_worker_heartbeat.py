import pytest

from operations.heartbeats import heartbeats_read

pytestmark = pytest.mark.integration


def test_a_started_worker_writes_its_heartbeat(celery_worker_process):
    heartbeat = heartbeats_read()["worker"]
    assert heartbeat.detail.startswith("celery@")
