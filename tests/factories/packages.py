"""Factories for packages and for the approved review content they compile."""

import factory

from packages.demo import approved_review_create
from packages.models import Package

from .reviews import ReviewCycleFactory

__all__ = ["ApprovedReviewContentFactory", "PackageFactory"]


class ApprovedReviewContentFactory(factory.Factory):
    """An approved review with realistic text; `objectives` lists the numbers it reports on."""

    class Meta:
        model = dict  # built by the demo helper, which the benchmark and the demo data share

    mechanism = None
    cycle = factory.SubFactory(ReviewCycleFactory)
    objectives = (1, 2, 5)
    words = 40
    seed = 0

    @classmethod
    def _create(cls, model_class, *, mechanism, cycle, objectives, words, seed):
        return approved_review_create(mechanism=mechanism, cycle=cycle, objectives=objectives, words=words, seed=seed)

    _build = _create


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package
        skip_postgeneration_save = True

    cycle = factory.SubFactory(ReviewCycleFactory)
    title = "Regional reviews 2024: input to the IMRF 2026"
    foreword = "This package gathers the approved regional reviews of the 2024 cycle."
