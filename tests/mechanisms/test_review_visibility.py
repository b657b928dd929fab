"""What each role sees of a mechanism's reviews on the directory's public pages: the reviews app's reading rule
(`reviews.selectors.visible_reviews`) decides, on the mechanism page and on the State page alike."""

import re

import pytest
from django.urls import reverse

from gcm.models import Objective
from mechanisms.models import State
from reviews.enums import ReviewStatus as S
from tests.factories import ObjectiveReportFactory, ReviewCycleFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

# One Bali Process review per cycle, newest first, each reporting on its own objective.
REVIEWS = [
    (2024, S.REOPENED, 7),
    (2022, S.WITHDRAWN, 6),
    (2020, S.APPROVED, 5),
    (2018, S.CHANGES_REQUESTED, 4),
    (2016, S.IN_REVIEW, 3),
    (2014, S.SUBMITTED, 2),
    (2012, S.DRAFT, 1),
]
EVERY_STATUS = [status for _year, status, _objective in REVIEWS]
HANDED_IN = [S.REOPENED, S.APPROVED, S.CHANGES_REQUESTED, S.IN_REVIEW, S.SUBMITTED]
# Objectives count only handed-in reviews the viewer may read: never a draft or a withdrawn review.
HANDED_IN_OBJECTIVES = [2, 3, 4, 5, 7]

SEEN = {
    "anonymous": ([S.APPROVED], [5]),
    "focal_point_of_member": (HANDED_IN, HANDED_IN_OBJECTIVES),
    "focal_point_of_non_member": ([S.APPROVED], [5]),
    "other_secretariat": ([S.APPROVED], [5]),
    "own_secretariat": (EVERY_STATUS, HANDED_IN_OBJECTIVES),
    "iom": ([status for status in EVERY_STATUS if status != S.DRAFT], HANDED_IN_OBJECTIVES),
    "site_admin": (EVERY_STATUS, HANDED_IN_OBJECTIVES),
}


@pytest.fixture
def bali_in_every_status(bali):
    for year, status, number in REVIEWS:
        review = ReviewFactory(mechanism=bali, cycle=ReviewCycleFactory(review_year=year), status=status)
        ObjectiveReportFactory(review=review, objective=Objective.objects.get(number=number))
    return bali


@pytest.fixture
def viewer(role, bali, midwa):
    """A user of the role (None for an anonymous visitor)."""
    make = {
        "anonymous": lambda: None,
        "focal_point_of_member": lambda: UserFactory(focal_point_state=State.objects.get(iso3="IDN")),
        "focal_point_of_non_member": lambda: UserFactory(focal_point_state=State.objects.get(iso3="GHA")),
        "other_secretariat": lambda: UserFactory(secretariat_mechanisms=[midwa]),
        "own_secretariat": lambda: UserFactory(secretariat_mechanisms=[bali]),
        "iom": lambda: UserFactory(is_iom_staff=True),
        "site_admin": lambda: UserFactory(is_superuser=True, is_staff=True),
    }
    return make[role]()


def badges(response) -> list[str]:
    return re.findall(r'class="badge review-status review-status-(\w+)"', response.content.decode())


@pytest.mark.parametrize("role", SEEN)
def test_mechanism_page_shows_each_role_the_reviews_it_may_read(client, bali_in_every_status, role, viewer):
    statuses, objectives = SEEN[role]
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(bali_in_every_status.get_absolute_url())
    assert [review.status for review in response.context["reviews"]] == statuses
    assert badges(response) == statuses
    assert [(o.number, o.review_count) for o in response.context["objectives"]] == [(n, 1) for n in objectives]


@pytest.mark.parametrize("role", SEEN)
def test_state_page_shows_each_role_the_reviews_it_may_read(client, bali_in_every_status, role, viewer):
    # Indonesia belongs to the Bali Process, the Abu Dhabi Dialogue and the Colombo Process; only Bali has reviews.
    statuses, _objectives = SEEN[role]
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(reverse("mechanisms:state_detail", args=["IDN"]))
    assert [(review.mechanism.acronym, review.status) for review in response.context["reviews"]] == [
        ("Bali Process", status) for status in statuses
    ]
    assert badges(response) == statuses
