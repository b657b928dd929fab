import datetime

import pytest

from pledges import tasks
from pledges.models import PledgeReminder
from tests.factories import PledgeFactory

pytestmark = pytest.mark.integration


def test_reminder_task_on_real_worker_sends_once(celery_worker_process, indonesia_focal_point):
    pledge = PledgeFactory(announced_on=datetime.date(2022, 5, 20))
    assert tasks.send_progress_reminders.delay("2023-05-01").get(timeout=30) == 1
    assert tasks.send_progress_reminders.delay("2023-05-01").get(timeout=30) == 0
    assert list(PledgeReminder.objects.values_list("pledge_id", "recipients")) == [
        (pledge.pk, ["idn-focal@example.org"])
    ]
