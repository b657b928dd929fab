import pytest

from mechanisms.models import Mechanism
from tests.factories import ApprovedReviewContentFactory, PackageFactory, ReviewCycleFactory


@pytest.fixture
def small_package(reference_data, iom_user):
    """A package of two approved reviews on two objectives each: quick to compile, still in sections."""
    cycle = ReviewCycleFactory()
    for index, slug in enumerate(["bali-process", "midwa"]):
        ApprovedReviewContentFactory(
            mechanism=Mechanism.objects.get(slug=slug), cycle=cycle, objectives=(1, 5), seed=index
        )
    return PackageFactory(cycle=cycle, created_by=iom_user)
