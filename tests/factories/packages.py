"""Factories for packages and for the approved review content they compile."""

import factory

from packages.demo import approved_review_create
from packages.models import Package

from .accounts import UserFactory
from .reviews import ReviewCycleFactory

__all__ = ["ApprovedReviewContentFactory", "PackageFactory"]


class ApprovedReviewContentFactory(factory.Factory):
    """An approved review with realistic text; `objectives` lists the numbers it reports on.

    Written by a secretariat of the mechanism and approved by the `iom` user of the tests' fixtures, through the
    review services.
    """

    class Meta:
        model = dict  # built by the demo helper, which the benchmark and the demo data share

    mechanism = None
    cycle = factory.SubFactory(ReviewCycleFactory)
    objectives = (1, 2, 5)
    words = 40
    seed = 0

    secretariat = factory.LazyAttribute(
        lambda o: UserFactory(username=f"{o.mechanism.slug}-writer", secretariat_mechanisms=[o.mechanism])
    )
    iom = factory.LazyFunction(lambda: UserFactory(username="iom", is_iom_staff=True))

    @classmethod
    def _create(cls, model_class, **kwargs):
        return approved_review_create(**kwargs)

    _build = _create


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package
        skip_postgeneration_save = True

    cycle = factory.SubFactory(ReviewCycleFactory)
    title = "Regional reviews 2024: input to the IMRF 2026"
    foreword = "This package gathers the approved regional reviews of the 2024 cycle."
