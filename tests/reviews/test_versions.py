import datetime

import pytest
from django.utils import timezone

from iscm_portal.content_versions import COALESCE_WINDOW
from reviews.models import Review, ReviewVersion
from reviews.serialisation import (
    SERIALISED_RELATIONS,
    content_hash,
    review_content_hash,
    review_serialise,
    review_serialise_current,
)
from reviews.versions import review_version_for_word, review_version_record
from tests.factories import ObjectiveReportFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(bali):
    review = ReviewFactory(mechanism=bali)
    ObjectiveReportFactory(review=review, progress="First text.")
    return review


def test_version_snapshot_holds_objective_text(review, bali_secretariat):
    version = review_version_record(review=review, by=bali_secretariat)
    assert version.number == 1
    assert version.content["objectives"]["6"]["progress"] == "First text."
    assert version.content["method"] == "Two regional consultations and a written survey of Member States."


def test_version_unchanged_content_adds_nothing(review, bali_secretariat):
    first = review_version_record(review=review, by=bali_secretariat)
    again = review_version_record(review=review, by=bali_secretariat)
    assert again.pk == first.pk
    assert ReviewVersion.objects.filter(review=review).count() == 1


def test_version_autosaves_by_same_person_coalesce(review, bali_secretariat):
    review_version_record(review=review, by=bali_secretariat)
    review.objective_reports.update(progress="Second text.")
    version = review_version_record(review=review, by=bali_secretariat)
    assert (version.number, version.content["objectives"]["6"]["progress"]) == (1, "Second text.")


def test_version_after_window_or_seal_starts_new(review, bali_secretariat):
    first = review_version_record(review=review, by=bali_secretariat, seal=True)
    review.objective_reports.update(progress="After submission.")
    second = review_version_record(review=review, by=bali_secretariat)
    ReviewVersion.objects.filter(pk=second.pk).update(
        created_at=timezone.now() - COALESCE_WINDOW - datetime.timedelta(1)
    )
    review.objective_reports.update(progress="Next day.")
    third = review_version_record(review=review, by=bali_secretariat)
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert third.content["objectives"]["6"]["progress"] == "Next day."


def test_version_by_another_person_starts_new(review, bali_secretariat):
    from tests.factories import UserFactory

    colleague = UserFactory(username="bali-colleague", secretariat_mechanisms=[review.mechanism])
    review_version_record(review=review, by=bali_secretariat)
    review.objective_reports.update(progress="Colleague's text.")
    assert review_version_record(review=review, by=colleague).number == 2


def _progress_by_number(review) -> list[tuple[int, bool, str, str]]:
    return [
        (v.number, v.exported, v.imported_from, v.content["objectives"]["6"]["progress"])
        for v in ReviewVersion.objects.filter(review=review).order_by("number")
    ]


def test_version_autosave_after_a_word_download_starts_new(review, bali_secretariat):
    review_version_record(review=review, by=bali_secretariat)
    review_version_for_word(review=review, by=bali_secretariat)
    review.objective_reports.update(progress="Typed after the download.")
    assert review_version_record(review=review, by=bali_secretariat).number == 2
    assert _progress_by_number(review) == [
        (1, True, "", "First text."),
        (2, False, "", "Typed after the download."),
    ]


def test_version_word_import_is_its_own_and_an_autosave_after_it_starts_new(review, bali_secretariat):
    review_version_record(review=review, by=bali_secretariat)
    review.objective_reports.update(progress="Changed in Word.")
    imported = review_version_record(review=review, by=bali_secretariat, imported_from="bali-review.docx")
    review.objective_reports.update(progress="Typed after the import.")
    later = review_version_record(review=review, by=bali_secretariat)
    assert (imported.number, later.number) == (2, 3)
    assert _progress_by_number(review) == [
        (1, False, "", "First text."),
        (2, False, "bali-review.docx", "Changed in Word."),
        (3, False, "", "Typed after the import."),
    ]


def test_content_hash_keeps_the_canonical_form_stored_versions_were_hashed_with():
    content = {"method": "Réunion", "objectives": {"6": {"progress": "x"}}, "participating_states": ["AUS"]}
    assert content_hash(content) == "5a6f90253a25283a6736af88f2e3fd21b4e5a8c43c89303b40fd28d9688c6aed"


def test_review_content_hash_is_the_hash_of_its_latest_version(review, bali_secretariat):
    version = review_version_record(review=review, by=bali_secretariat)
    loaded = Review.objects.prefetch_related(*SERIALISED_RELATIONS).get(pk=review.pk)
    assert (review_content_hash(loaded), review_serialise(loaded)) == (version.content_hash, version.content)


def test_review_serialise_of_a_prefetched_review_runs_no_query(review, django_assert_num_queries):
    loaded = Review.objects.prefetch_related(*SERIALISED_RELATIONS).get(pk=review.pk)
    with django_assert_num_queries(0):
        content = review_serialise(loaded)
    assert content["objectives"]["6"]["progress"] == "First text."


def test_review_serialise_current_reads_relations_saved_after_the_prefetch(review, django_assert_num_queries):
    loaded = Review.objects.prefetch_related(*SERIALISED_RELATIONS).get(pk=review.pk)
    review.objective_reports.update(progress="Saved since.")
    with django_assert_num_queries(5):
        current = review_serialise_current(loaded)
    assert (current["objectives"]["6"]["progress"], review_serialise(loaded)["objectives"]["6"]["progress"]) == (
        "Saved since.",
        "First text.",
    )
