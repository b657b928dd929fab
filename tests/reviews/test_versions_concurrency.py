"""Parallel saves of different parts of one review, each on its own database connection (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from gcm.models import Objective
from reviews.models import ReviewVersion
from reviews.serialisation import review_serialise_current
from reviews.services import objective_report_save
from tests.celery_app import require_postgresql
from tests.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.integration

OBJECTIVES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


def _save_in_parallel(saves: list[dict]) -> list[BaseException]:
    """Run every save on its own thread (so its own connection), all released at once; return the errors."""
    start, errors = threading.Barrier(len(saves)), []

    def save(arguments):
        try:
            start.wait(timeout=30)
            objective_report_save(**arguments)
        except BaseException as error:  # noqa: BLE001 - the test reports whatever a save raised
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(arguments,)) for arguments in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.mark.parametrize("people", [1, 2], ids=["one-person-many-tabs", "two-people"])
def test_parallel_saves_of_different_objectives_all_succeed_and_the_latest_version_is_the_content(
    transactional_db, reference_data, bali, people
):
    require_postgresql()
    authors = [UserFactory(username=f"bali-{n}", secretariat_mechanisms=[bali]) for n in range(people)]
    review = ReviewFactory(mechanism=bali)
    objectives = {o.number: o for o in Objective.objects.filter(number__in=OBJECTIVES)}
    saves = [
        {
            "review": review,
            "objective": objectives[number],
            "data": {"progress": f"Progress on objective {number}."},
            "loaded_revision": 0,
            "by": authors[index % people],
        }
        for index, number in enumerate(OBJECTIVES)
    ]

    errors = _save_in_parallel(saves)

    assert errors == []
    stored = review_serialise_current(review)
    assert sorted(stored["objectives"]) == sorted(str(number) for number in OBJECTIVES)
    versions = list(ReviewVersion.objects.filter(review=review).order_by("number"))
    assert versions[-1].content == stored
    assert [version.number for version in versions] == list(range(1, len(versions) + 1))
