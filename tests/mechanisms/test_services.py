import datetime

import pytest

from mechanisms.enums import MembershipRole
from mechanisms.models import ChairTerm, Membership, State
from mechanisms.services import (
    DirectoryChangeError,
    chair_set,
    mechanism_profile_update,
    membership_end,
    memberships_add,
)

pytestmark = pytest.mark.django_db


def test_memberships_add_records_several_states(midwa):
    mauritania, morocco = State.objects.get(iso3="MRT"), State.objects.get(iso3="MAR")
    created = memberships_add(
        mechanism=midwa,
        states=[mauritania, morocco],
        role=MembershipRole.OBSERVER,
        start_date=datetime.date(2026, 1, 1),
    )
    assert [(m.state.iso3, m.role, m.start_date) for m in created] == [
        ("MRT", "observer", datetime.date(2026, 1, 1)),
        ("MAR", "observer", datetime.date(2026, 1, 1)),
    ]
    assert midwa.memberships.current().filter(role=MembershipRole.OBSERVER).count() == 4


def test_memberships_add_role_change_keeps_the_earlier_row(midwa):
    france = State.objects.get(iso3="FRA")
    memberships_add(mechanism=midwa, states=[france], role=MembershipRole.MEMBER, start_date=datetime.date(2026, 2, 1))
    rows = list(Membership.objects.filter(mechanism=midwa, state=france).order_by("pk"))
    assert [(r.role, r.end_date) for r in rows] == [
        (MembershipRole.OBSERVER, datetime.date(2026, 2, 1)),
        (MembershipRole.MEMBER, None),
    ]


def test_memberships_add_refuses_all_when_one_state_already_in_that_role(midwa):
    ghana, morocco = State.objects.get(iso3="GHA"), State.objects.get(iso3="MAR")
    before = Membership.objects.count()
    with pytest.raises(DirectoryChangeError) as error:
        memberships_add(mechanism=midwa, states=[morocco, ghana], role=MembershipRole.MEMBER, start_date=None)
    assert str(error.value) == "Ghana is already a Member."
    assert Membership.objects.count() == before


def test_membership_end_keeps_the_row_with_its_end_date(midwa):
    membership = midwa.memberships.current().get(state__iso3="MLI")
    membership_end(membership=membership, end_date=datetime.date(2025, 1, 29), note="Left ECOWAS")
    membership.refresh_from_db()
    assert (membership.end_date, membership.note) == (datetime.date(2025, 1, 29), "Left ECOWAS")
    assert not midwa.memberships.current().filter(state__iso3="MLI").exists()


def test_membership_end_before_start_refused(midwa):
    membership = midwa.memberships.current().get(state__iso3="MLI")
    membership.start_date = datetime.date(2020, 1, 1)
    membership.save()
    with pytest.raises(DirectoryChangeError) as error:
        membership_end(membership=membership, end_date=datetime.date(2019, 1, 1))
    assert str(error.value) == "The end date cannot be before the start date (1 January 2020)."


def test_chair_set_ends_previous_term_and_keeps_history(midwa):
    ghana, senegal = State.objects.get(iso3="GHA"), State.objects.get(iso3="SEN")
    chair_set(mechanism=midwa, state=ghana, since=datetime.date(2023, 1, 1))
    chair_set(mechanism=midwa, state=senegal, since=datetime.date(2025, 1, 1))
    terms = list(ChairTerm.objects.filter(mechanism=midwa).order_by("start_date"))
    assert [(t.state.iso3, t.start_date, t.end_date) for t in terms] == [
        ("GHA", datetime.date(2023, 1, 1), datetime.date(2025, 1, 1)),
        ("SEN", datetime.date(2025, 1, 1), None),
    ]


def test_chair_set_cannot_start_before_current_term(midwa):
    chair_set(mechanism=midwa, state=State.objects.get(iso3="GHA"), since=datetime.date(2023, 1, 1))
    with pytest.raises(DirectoryChangeError) as error:
        chair_set(mechanism=midwa, state=State.objects.get(iso3="SEN"), since=datetime.date(2022, 1, 1))
    assert str(error.value) == "The new term cannot start before the current chair's term began (1 January 2023)."


def test_mechanism_profile_update_saves_only_changes_and_records_history(midwa):
    history_before = midwa.history.count()
    mechanism_profile_update(
        mechanism=midwa, values={"gcm_review_mandate": True, "gcm_mandate_since": datetime.date(2019, 6, 1)}
    )
    mechanism_profile_update(mechanism=midwa, values={"gcm_review_mandate": True})
    midwa.refresh_from_db()
    assert (midwa.gcm_review_mandate, midwa.gcm_mandate_since) == (True, datetime.date(2019, 6, 1))
    assert midwa.history.count() == history_before + 1


def test_chair_set_same_state_corrects_the_start_date(midwa):
    ghana = State.objects.get(iso3="GHA")
    chair_set(mechanism=midwa, state=ghana, since=datetime.date(2023, 1, 1))
    chair_set(mechanism=midwa, state=ghana, since=datetime.date(2023, 3, 1))
    assert list(ChairTerm.objects.filter(mechanism=midwa).values_list("state__iso3", "start_date", "end_date")) == [
        ("GHA", datetime.date(2023, 3, 1), None)
    ]
