"""The history rule a review and IOM's synthesis share (iscm_portal/content_versions.py): autosaves by one person
within the window merge into one version; a save after it, or by someone else, starts a new one."""

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from iscm_portal.content_versions import COALESCE_WINDOW
from packages import synthesis
from packages.models import SynthesisText, SynthesisVersion
from reviews.models import ReviewVersion
from reviews.versions import review_version_record
from tests.factories import ObjectiveReportFactory, PackageFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Owner:
    save: Callable  # (text, by) -> the latest version
    versions: Callable  # () -> the owner's versions as (number, created_by_id, text), oldest first


def _review_owner(bali) -> Owner:
    review = ReviewFactory(mechanism=bali)
    ObjectiveReportFactory(review=review, progress="")

    def save(text, by):
        review.objective_reports.update(progress=text)
        return review_version_record(review=review, by=by)

    def versions():
        return [
            (v.number, v.created_by_id, v.content["objectives"]["6"]["progress"])
            for v in ReviewVersion.objects.filter(review=review).order_by("number")
        ]

    return Owner(save, versions)


def _synthesis_owner(iom_user) -> Owner:
    package = PackageFactory(created_by=iom_user)

    def save(text, by):
        current = SynthesisText.objects.filter(package=package, objective=None).first()
        synthesis.synthesis_text_save(
            package=package, objective=None, text=text, loaded_revision=current.revision if current else 0, by=by
        )
        return SynthesisVersion.objects.filter(package=package).order_by("-number").first()

    def versions():
        return [
            (v.number, v.created_by_id, v.content["summary"])
            for v in SynthesisVersion.objects.filter(package=package).order_by("number")
        ]

    return Owner(save, versions)


@pytest.fixture(params=["review", "synthesis"])
def owner(request, bali, iom_user) -> Owner:
    return _review_owner(bali) if request.param == "review" else _synthesis_owner(iom_user)


def _saved_ago(version, age: datetime.timedelta) -> None:
    type(version).objects.filter(pk=version.pk).update(created_at=timezone.now() - age)


def test_content_versions_autosaves_within_the_window_merge(owner, iom_user):
    first = owner.save("One.", iom_user)
    _saved_ago(first, COALESCE_WINDOW - datetime.timedelta(minutes=1))
    owner.save("Two.", iom_user)
    assert owner.versions() == [(1, iom_user.pk, "Two.")]


def test_content_versions_save_after_the_window_starts_a_new_version(owner, iom_user):
    first = owner.save("One.", iom_user)
    _saved_ago(first, COALESCE_WINDOW + datetime.timedelta(seconds=1))
    owner.save("Two.", iom_user)
    assert owner.versions() == [(1, iom_user.pk, "One."), (2, iom_user.pk, "Two.")]


def test_content_versions_save_by_another_person_starts_a_new_version(owner, iom_user):
    colleague = UserFactory(username="iom-colleague", is_iom_staff=True)
    owner.save("One.", iom_user)
    owner.save("Two.", colleague)
    assert owner.versions() == [(1, iom_user.pk, "One."), (2, colleague.pk, "Two.")]
