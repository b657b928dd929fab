import datetime

import pytest
from django.db import IntegrityError, transaction

from mechanisms.enums import MembershipRole
from mechanisms.models import Membership, State
from tests.factories import ChairTermFactory, MechanismFactory, MembershipFactory, StateFactory

pytestmark = pytest.mark.django_db


def test_membership_only_one_current_row_per_state_and_mechanism():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(mechanism=membership.mechanism, state=membership.state, role=MembershipRole.OBSERVER)


def test_membership_ended_rows_are_kept_beside_the_current_one():
    membership = MembershipFactory(start_date=datetime.date(2010, 1, 1), end_date=datetime.date(2015, 1, 1))
    Membership.objects.create(
        mechanism=membership.mechanism, state=membership.state, role=MembershipRole.OBSERVER, start_date=None
    )
    assert list(Membership.objects.filter(state=membership.state).current().values_list("role", flat=True)) == [
        MembershipRole.OBSERVER
    ]
    assert Membership.objects.filter(state=membership.state).count() == 2


def test_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2019, 1, 1))


def test_chair_term_only_one_current_chair():
    term = ChairTermFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairTermFactory(mechanism=term.mechanism, start_date=datetime.date(2025, 1, 1))


def test_chair_term_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairTermFactory(start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2023, 1, 1))


def test_state_area_is_the_most_specific_region(reference_data):
    assert State.objects.get(iso3="GHA").area.name == "Western Africa"
    assert State.objects.get(iso3="IDN").area.name == "South-eastern Asia"


def test_mechanism_urls_use_slug_and_iso3():
    mechanism = MechanismFactory(acronym="ABC", slug="abc")
    state = StateFactory(iso3="XQA")
    assert mechanism.get_absolute_url() == "/directory/mechanisms/abc/"
    assert state.get_absolute_url() == "/directory/states/XQA/"
