import datetime

import pytest
from django.db import IntegrityError

from pledges.enums import ActivityFlag, PledgerType, PledgeStatus
from pledges.models import Pledge
from pledges.selectors import with_activity
from tests.factories import PledgeFactory, PledgeUpdateFactory

ANNOUNCED = datetime.date(2022, 5, 20)


def flag_of(pledge, today):
    return with_activity(Pledge.objects.filter(pk=pledge.pk), today=today).get().activity_flag


@pytest.mark.parametrize(
    ("today", "flag"),
    [
        (datetime.date(2023, 5, 19), ActivityFlag.CURRENT),
        (datetime.date(2023, 5, 20), ActivityFlag.DUE),
        (datetime.date(2024, 5, 18), ActivityFlag.DUE),
        (datetime.date(2024, 5, 19), ActivityFlag.OVERDUE),
        (datetime.date(2025, 5, 18), ActivityFlag.OVERDUE),
        (datetime.date(2025, 5, 19), ActivityFlag.INACTIVE),
    ],
)
def test_activity_flag_follows_age_of_announcement(reference_data, today, flag):
    pledge = PledgeFactory(announced_on=ANNOUNCED)
    assert flag_of(pledge, today) == flag


def test_activity_flag_restarts_from_last_progress_update(reference_data):
    pledge = PledgeFactory(announced_on=ANNOUNCED)
    PledgeUpdateFactory(pledge=pledge, date=datetime.date(2023, 1, 10))
    PledgeUpdateFactory(pledge=pledge, date=datetime.date(2024, 3, 1))
    annotated = with_activity(Pledge.objects.filter(pk=pledge.pk), today=datetime.date(2025, 2, 28)).get()
    assert annotated.last_activity_on == datetime.date(2024, 3, 1)
    assert annotated.activity_flag == ActivityFlag.CURRENT
    assert flag_of(pledge, datetime.date(2025, 3, 1)) == ActivityFlag.DUE


@pytest.mark.parametrize("status", [PledgeStatus.FULFILLED, PledgeStatus.DISCONTINUED])
def test_activity_flag_closed_pledges_never_flagged(reference_data, status):
    pledge = PledgeFactory(announced_on=ANNOUNCED, status=status)
    assert flag_of(pledge, datetime.date(2030, 1, 1)) == ActivityFlag.CLOSED


def test_activity_flag_filter_runs_in_database(reference_data):
    PledgeFactory(announced_on=ANNOUNCED)
    PledgeFactory(announced_on=datetime.date(2026, 5, 8))
    due = with_activity(Pledge.objects.all(), today=datetime.date(2026, 6, 1)).filter(activity_flag="inactive")
    assert due.count() == 1


def test_state_pledge_without_state_refused(reference_data):
    with pytest.raises(IntegrityError):
        PledgeFactory(pledger_type=PledgerType.STATE, pledger_state=None)


def test_iscm_pledge_without_mechanism_refused(reference_data):
    with pytest.raises(IntegrityError):
        PledgeFactory(pledger_type=PledgerType.ISCM, pledger_state=None, pledger_mechanism=None)


def test_pledger_display_by_type(reference_data, bali):
    assert PledgeFactory().pledger_display == "Indonesia"
    assert PledgeFactory(pledger_type=PledgerType.ISCM, pledger_state=None, pledger_mechanism=bali).pledger_display == (
        "Bali Process"
    )
    assert (
        PledgeFactory(pledger_type=PledgerType.UN_ENTITY, pledger_state=None, pledger_name="UNICEF").pledger_display
        == "UNICEF"
    )
