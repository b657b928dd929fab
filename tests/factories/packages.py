"""Factories for packages and for the approved review content they compile."""

import factory

from packages.demo import DEMO_CYCLE, approved_review_create
from packages.models import Package
from reviews.models import ReviewCycle

__all__ = ["ReviewCycleFactory", "ApprovedReviewFactory", "PackageFactory"]


class ReviewCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewCycle
        django_get_or_create = ["slug"]

    slug = DEMO_CYCLE["slug"]
    name = DEMO_CYCLE["name"]
    review_year = DEMO_CYCLE["review_year"]
    imrf_year = DEMO_CYCLE["imrf_year"]
    opens_on = DEMO_CYCLE["opens_on"]
    due_on = DEMO_CYCLE["due_on"]


class ApprovedReviewFactory(factory.Factory):
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
