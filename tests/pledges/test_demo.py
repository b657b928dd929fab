from collections import Counter

import pytest

from accounts.demo import demo_users_create
from pledges.demo import demo_pledges_create
from pledges.enums import PledgeStatus
from pledges.models import Pledge, PledgeUpdate
from tests.factories import PledgeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_pledges(reference_data):
    demo_users_create(password="x")
    return demo_pledges_create(password="x")


def test_demo_pledges_are_recorded_by_iom_through_the_services(demo_pledges):
    assert demo_pledges == ["  170 demo pledges (211 progress updates)"]
    assert Counter(Pledge.objects.values_list("created_by__username", "is_demo")) == {("iom.reviewer", True): 170}
    assert Counter(PledgeUpdate.objects.values_list("author__username", flat=True)) == {"iom.reviewer": 211}
    assert Pledge.objects.filter(is_published=False).count() == 7
    assert Counter(Pledge.objects.values_list("status", flat=True)) == {
        PledgeStatus.ANNOUNCED: 66,
        PledgeStatus.IN_PROGRESS: 73,
        PledgeStatus.FULFILLED: 18,
        PledgeStatus.DISCONTINUED: 13,
    }


def test_demo_pledge_status_is_the_one_its_last_update_reports(demo_pledges):
    for pledge in Pledge.objects.prefetch_related("updates"):
        updates = sorted(pledge.updates.all(), key=lambda update: update.date)
        if updates:
            assert (pledge.pk, pledge.status) == (pledge.pk, updates[-1].status)


def test_demo_pledges_second_run_changes_nothing_and_keeps_real_pledges(demo_pledges):
    real = PledgeFactory(title="A real pledge")
    before = list(Pledge.objects.order_by("pk").values_list("pk", "title", "status", "updated_at"))
    assert demo_pledges_create(password="x") == demo_pledges
    assert list(Pledge.objects.order_by("pk").values_list("pk", "title", "status", "updated_at")) == before
    assert Pledge.objects.filter(pk=real.pk, is_demo=False).exists()
