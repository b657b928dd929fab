import shutil
import uuid

import pytest
from django.conf import settings

from mechanisms.models import Mechanism
from tests.factories import ApprovedReviewFactory, PackageFactory, ReviewCycleFactory


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Each test writes its parts, reports and archives in a fresh media directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def cycle(db):
    return ReviewCycleFactory()


@pytest.fixture
def approved_reviews(reference_data, cycle):
    """Approved reviews of three real mechanisms, each on a few objectives."""
    mechanisms = Mechanism.objects.filter(slug__in=["bali-process", "midwa", "rabat-process"]).order_by("acronym")
    objectives = {"bali-process": (1, 2, 5), "midwa": (2, 7, 23), "rabat-process": (5, 11)}
    return [
        ApprovedReviewFactory(mechanism=mechanism, cycle=cycle, objectives=objectives[mechanism.slug], seed=index)
        for index, mechanism in enumerate(mechanisms)
    ]


@pytest.fixture
def package(approved_reviews, cycle, iom_user):
    return PackageFactory(cycle=cycle, created_by=iom_user)


def new_token():
    return uuid.uuid4()


__all__ = ["settings", "new_token"]
