"""A package limited to a region takes in the approved reviews of every mechanism working anywhere in it,
whatever the M49 level of the region chosen and of the areas the mechanisms are recorded in."""

import pytest

from mechanisms.models import Mechanism, Region
from packages.selectors import approved_reviews, package_reviews
from reviews.enums import ReviewStatus
from tests.factories import ApprovedReviewFactory, PackageFactory, ReviewCycleFactory, ReviewFactory
from tests.reference_regions import (
    AFRICA,
    AMERICAS,
    LATIN_AMERICA,
    NORTHERN_AFRICA,
    SOUTH_AMERICA,
    SUB_SAHARAN_AFRICA,
    WESTERN_AFRICA,
    WORLD,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_mechanism_approved(reference_data):
    """One approved review per mechanism in the 2024 cycle, and a draft of the 2022 cycle for each as noise."""
    cycle = ReviewCycleFactory(review_year=2024)
    earlier = ReviewCycleFactory(review_year=2022)
    for mechanism in Mechanism.objects.all():
        ApprovedReviewFactory(mechanism=mechanism, cycle=cycle)
        ReviewFactory(mechanism=mechanism, cycle=earlier, status=ReviewStatus.DRAFT)
    return cycle


def acronyms_in(cycle, *region_names, mechanisms=()) -> list[str]:
    region_ids = list(Region.objects.filter(name__in=region_names).values_list("pk", flat=True))
    assert len(region_ids) == len(region_names)
    reviews = approved_reviews(
        cycle_id=cycle.pk,
        region_ids=region_ids,
        mechanism_ids=list(Mechanism.objects.filter(acronym__in=mechanisms).values_list("pk", flat=True)),
    )
    acronyms = [review.mechanism.acronym for review in reviews.select_related("mechanism")]
    assert len(acronyms) == len(set(acronyms))
    return sorted(acronyms)


def test_package_limited_to_world_takes_the_global_processes(every_mechanism_approved):
    assert acronyms_in(every_mechanism_approved, "World") == WORLD


def test_package_limited_to_a_continent_reaches_intermediate_regions(every_mechanism_approved):
    # MIDWA works in Western Africa, which is part of Sub-Saharan Africa, which is part of Africa.
    assert acronyms_in(every_mechanism_approved, "Africa") == AFRICA
    # CMC, the Quito Process and SACM work in Caribbean/Central/South America, under Latin America, under Americas.
    assert acronyms_in(every_mechanism_approved, "Americas") == AMERICAS


def test_package_limited_to_a_sub_region_reaches_its_intermediate_regions(every_mechanism_approved):
    assert acronyms_in(every_mechanism_approved, "Latin America and the Caribbean") == LATIN_AMERICA
    assert acronyms_in(every_mechanism_approved, "Sub-Saharan Africa") == SUB_SAHARAN_AFRICA
    assert acronyms_in(every_mechanism_approved, "Northern Africa") == NORTHERN_AFRICA


def test_package_limited_to_an_intermediate_region(every_mechanism_approved):
    assert acronyms_in(every_mechanism_approved, "Western Africa") == WESTERN_AFRICA
    assert acronyms_in(every_mechanism_approved, "South America") == SOUTH_AMERICA


def test_package_regions_and_mechanisms_add_up(every_mechanism_approved):
    assert acronyms_in(every_mechanism_approved, "South America", "Oceania", mechanisms=["MIDWA"]) == [
        "ACP-EU MD",
        "Bali Process",
        "CMC",
        "EU-CELAC MD",
        "IGC",
        "MIDWA",
        "PIDC",
        "Quito Process",
        "RIAM",
        "SACM",
    ]


def test_package_reviews_follow_the_packages_regions(every_mechanism_approved):
    package = PackageFactory(cycle=every_mechanism_approved)
    package.regions.set([Region.objects.get(name="Africa")])
    assert sorted(review.mechanism.acronym for review in package_reviews(package).select_related("mechanism")) == (
        AFRICA
    )
