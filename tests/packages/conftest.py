import shutil

import pytest

from mechanisms.models import Mechanism
from tests.factories import ApprovedReviewContentFactory, PackageFactory, ReviewCycleFactory


@pytest.fixture(scope="session")
def shared_parts_dir(tmp_path_factory):
    """Sections are named by their content, so tests can share them; it keeps the suite fast."""
    return tmp_path_factory.mktemp("package-parts")


def sections_cache_in(settings, folder) -> None:
    """Point the "sections" storage (the compile's sections cache) at `folder`."""
    settings.STORAGES = {
        **settings.STORAGES,
        "sections": {
            "BACKEND": "iscm_portal.file_storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings, shared_parts_dir):
    """Each test writes its reports and archives in a fresh media directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    sections_cache_in(settings, shared_parts_dir)
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def fresh_parts_cache(tmp_path, settings):
    """For tests that count which sections were rendered and which reused."""
    sections_cache_in(settings, tmp_path / "parts")
    return tmp_path / "parts"


@pytest.fixture
def cycle(db):
    return ReviewCycleFactory()


@pytest.fixture
def approved_reviews(reference_data, cycle):
    """Approved reviews of three real mechanisms, each on a few objectives."""
    mechanisms = Mechanism.objects.filter(slug__in=["bali-process", "midwa", "rabat-process"]).order_by("acronym")
    objectives = {"bali-process": (1, 2, 5), "midwa": (2, 7, 23), "rabat-process": (5, 11)}
    return [
        ApprovedReviewContentFactory(
            mechanism=mechanism, cycle=cycle, objectives=objectives[mechanism.slug], seed=index
        )
        for index, mechanism in enumerate(mechanisms)
    ]


@pytest.fixture
def package(approved_reviews, cycle, iom_user):
    return PackageFactory(cycle=cycle, created_by=iom_user)
