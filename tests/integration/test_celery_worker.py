import pytest

from iscm_portal.tasks import ping

pytestmark = pytest.mark.integration


def test_real_worker_returns_task_result(celery_worker_process):
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert result.successful() is True
