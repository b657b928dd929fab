"""Reviews of the Bali Process in the statuses that matter to visibility, made through the workflow services;
pledges of Indonesia and Ghana."""

import datetime

import pytest

from mechanisms.models import State
from reviews.enums import ReviewStatus as S
from tests.factories import PledgeFactory, PledgeUpdateFactory, ReviewCycleFactory, review_in_status


@pytest.fixture
def bali_reviews(bali, bali_secretariat, iom_user):
    """status -> review: approved (2020), submitted (2022) and draft (2024), each reporting on objective 6."""
    people = {"secretariat": bali_secretariat, "iom": iom_user}
    reviews = {
        status: review_in_status(status, mechanism=bali, cycle=ReviewCycleFactory(review_year=year), **people)
        for status, year in ((S.APPROVED, 2020), (S.SUBMITTED, 2022), (S.DRAFT, 2024))
    }
    for status, review in reviews.items():
        review.objective_reports.update(
            progress=f"Progress of the {status} review.",
            good_practices=f"- **Secret {status} practice.** Member States adopted a {status} code on recruitment.",
        )
    return reviews


@pytest.fixture
def pledges(reference_data):
    """Indonesia's published pledge with an update, its unpublished one, and Ghana's published one."""
    published = PledgeFactory(title="Fair recruitment", objectives=[6, 23])
    PledgeUpdateFactory(pledge=published, text="Law adopted.", date=datetime.date(2024, 3, 1))
    hidden = PledgeFactory(title="Secret draft", is_published=False, matches=None)
    ghana = PledgeFactory(title="Ghana's pledge", pledger_state=State.objects.get(iso3="GHA"), objectives=[2])
    return published, hidden, ghana
