import datetime

import factory

from gcm.models import Objective
from mechanisms.models import Mechanism
from reviews.models import ObjectiveReport, Review, ReviewCycle, ReviewMeeting

__all__ = [
    "ReviewCycleFactory",
    "ReviewFactory",
    "ObjectiveReportFactory",
    "ReviewMeetingFactory",
    "complete_review_create",
]


class ReviewCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewCycle
        django_get_or_create = ["slug"]

    name = factory.LazyAttribute(lambda cycle: f"{cycle.review_year} regional reviews")
    slug = factory.LazyAttribute(lambda cycle: f"{cycle.review_year}-regional-reviews")
    review_year = 2024
    imrf_year = factory.LazyAttribute(lambda cycle: cycle.review_year + 2)
    opens_on = factory.LazyAttribute(lambda cycle: datetime.date(cycle.review_year, 1, 15))
    due_on = factory.LazyAttribute(lambda cycle: datetime.date(cycle.review_year, 12, 31))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    mechanism = factory.LazyFunction(lambda: Mechanism.objects.get(slug="bali-process"))
    cycle = factory.SubFactory(ReviewCycleFactory)
    method = "Two regional consultations and a written survey of Member States."
    key_messages = "Regular pathways and ethical recruitment remain the region's priorities."


class ObjectiveReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectiveReport

    review = factory.SubFactory(ReviewFactory)
    objective = factory.LazyFunction(lambda: Objective.objects.get(number=6))
    progress = "Member States adopted a regional framework on fair recruitment."


class ReviewMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewMeeting

    review = factory.SubFactory(ReviewFactory)
    title = "Regional consultation on the GCM review"
    held_on = datetime.date(2024, 5, 14)
    place = "Bangkok"


def complete_review_create(*, mechanism, cycle=None, objectives=(6,)) -> Review:
    """A draft that meets every submission requirement."""
    from mechanisms.models import Membership

    review = ReviewFactory(mechanism=mechanism, **({"cycle": cycle} if cycle else {}))
    states = [m.state for m in Membership.objects.current().filter(mechanism=mechanism).select_related("state")[:3]]
    review.participating_states.set(states)
    for number in objectives:
        ObjectiveReportFactory(review=review, objective=Objective.objects.get(number=number))
    return review
