import datetime

import pytest

from accounts.demo import demo_users_create
from packages.demo import demo_packages_create
from packages.enums import VersionStatus
from packages.models import Package
from packages.selectors import package_reviews, synthesis_snapshot
from reviews.demo import demo_cycles, demo_reviews_create
from reviews.enums import ReviewStatus
from reviews.models import Review
from reviews.workflow_selectors import workflow_page_data

from .helpers import compile_now


@pytest.mark.django_db
def test_demo_packages_create_is_idempotent(reference_data):
    demo_users_create(password="demo-pass-123")
    first = demo_packages_create(password="demo-pass-123")
    second = demo_packages_create(password="demo-pass-123")
    cycle = demo_cycles()["current"]
    assert first == [
        f"  IMRF packages: 8 approved reviews in {cycle.name}, a package ready to compile "
        "(new demo reviews: ADD, Colombo Process, IGAD-RCP, Khartoum Process, MIDWA, Prague Process, "
        "Rabat Process, SACM)"
    ]
    assert second == [f"  IMRF packages: 8 approved reviews in {cycle.name}, a package ready to compile"]
    assert Review.objects.filter(status=ReviewStatus.APPROVED).count() == 8
    assert list(Package.objects.values_list("title", "created_by__username")) == [
        (f"{cycle.name.capitalize()}: input to the IMRF {cycle.imrf_year}", "iom.reviewer")
    ]
    # The demo's meetings fall within the cycle they belong to.
    assert {meeting.held_on for review in cycle.reviews.all() for meeting in review.meetings.all()} == {
        cycle.opens_on + datetime.timedelta(days=20 + index) for index in range(8)
    }


@pytest.mark.django_db
def test_demo_package_reviews_are_submitted_by_their_secretariat_and_approved_by_iom(reference_data):
    demo_users_create(password="x")
    demo_packages_create(password="x")
    histories = {
        review.mechanism.acronym: [(t.action, t.by.username) for t in workflow_page_data(review)["transitions"]]
        for review in Review.objects.select_related("mechanism").filter(
            mechanism__slug__in=["sacm", "khartoum-process"]
        )
    }
    assert histories == {
        "SACM": [("submit", "secretariat.sacm"), ("start_review", "iom.reviewer"), ("approve", "iom.reviewer")],
        "Khartoum Process": [
            ("submit", "secretariat.africa"),
            ("start_review", "iom.reviewer"),
            ("approve", "iom.reviewer"),
        ],
    }


@pytest.mark.django_db(transaction=True)
def test_demo_package_compiles_with_every_approved_demo_review(reference_data, django_capture_on_commit_callbacks):
    demo_users_create(password="x")
    demo_reviews_create(password="x")
    demo_packages_create(password="x")
    package = Package.objects.get()
    assert [review.mechanism.acronym for review in package_reviews(package)] == [
        "ADD",
        "Colombo Process",
        "IGAD-RCP",
        "Prague Process",
        "Rabat Process",
        "SACM",
    ]
    # IOM's draft synthesis, written through the services: the executive summary and objective 6, one version.
    synthesis = synthesis_snapshot(package.pk)
    assert (sorted(synthesis["objectives"]), synthesis["final"], synthesis["version"]) == (["6"], False, 1)
    assert synthesis["summary"].startswith("The regional reviews of the 2024 cycle show the Global Compact")
    version = compile_now(package, package.created_by, django_capture_on_commit_callbacks)
    assert (version.status, version.error) == (VersionStatus.DONE, "")
    # Every section (the executive summary among them) was rendered or reused; the page count is the renderer's.
    assert (version.parts_total, version.parts_rendered + version.parts_reused) == (33, 33)
    assert (version.synthesis_version, version.synthesis_final) == (1, False)
    assert version.pdf_pages is not None
