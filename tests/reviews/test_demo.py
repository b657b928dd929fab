import pytest

from accounts.demo import demo_users_create
from accounts.models import User
from packages.demo import demo_packages_create
from reviews.demo import demo_reviews_create
from reviews.enums import ReviewStatus as S
from reviews.models import Comment, Review, ReviewTransition, ReviewVersion
from reviews.serialisation import content_hash, review_serialise_current
from reviews.workflow_selectors import workflow_page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_reviews(reference_data):
    demo_users_create(password="x")
    demo_reviews_create(password="x")


def _history(review):
    return [
        (step.action, step.from_status, step.to_status, step.by.username)
        for step in workflow_page_data(review)["transitions"]
    ]


def test_demo_reviews_in_every_state_and_idempotent(demo_reviews):
    counts = [model.objects.count() for model in (Review, ReviewVersion, ReviewTransition, Comment)]
    lines = demo_reviews_create(password="x")
    assert [model.objects.count() for model in (Review, ReviewVersion, ReviewTransition, Comment)] == counts
    assert lines == [
        "  Reviews:",
        "    Bali Process   2020-21 regional reviews   Approved",
        "    MIDWA          2020-21 regional reviews   Approved",
        "    MIDWA          2024 regional reviews      Draft",
        "    RCM            2024 regional reviews      Changes requested",
        "    Rabat Process  2024 regional reviews      Approved",
        "    SACM           2024 regional reviews      Approved",
    ]
    assert sorted(Review.objects.values_list("mechanism__slug", "cycle__slug", "status")) == [
        ("bali-process", "2020-21-regional-reviews", S.APPROVED),
        ("midwa", "2020-21-regional-reviews", S.APPROVED),
        ("midwa", "2024-regional-reviews", S.DRAFT),
        ("rabat-process", "2024-regional-reviews", S.APPROVED),
        ("rcm-puebla-process", "2024-regional-reviews", S.CHANGES_REQUESTED),
        ("sacm", "2024-regional-reviews", S.APPROVED),
    ]


def test_demo_has_french_and_spanish_reviews_and_a_secretariat_working_in_french(demo_reviews):
    languages = sorted(Review.objects.values_list("mechanism__slug", "cycle__review_year", "language"))
    assert languages == [
        ("bali-process", 2020, "en"),
        ("midwa", 2020, "fr"),
        ("midwa", 2024, "fr"),
        ("rabat-process", 2024, "en"),
        ("rcm-puebla-process", 2024, "en"),
        ("sacm", 2024, "es"),
    ]
    midwa = Review.objects.get(mechanism__slug="midwa", cycle__review_year=2024)
    earlier = Review.objects.get(mechanism__slug="midwa", cycle__review_year=2020)
    sacm = Review.objects.get(mechanism__slug="sacm")
    assert [report.objective.number for report in midwa.objective_reports.order_by("objective__number")] == [5, 6, 7]
    assert [report.objective.number for report in earlier.objective_reports.order_by("objective__number")] == [
        6,
        19,
        21,
    ]
    assert [report.objective.number for report in sacm.objective_reports.order_by("objective__number")] == [
        4,
        6,
        15,
        22,
    ]
    assert midwa.key_messages.startswith("- La libre circulation des personnes")
    assert sacm.objective_reports.get(objective__number=6).progress.startswith("Los ministerios de trabajo")
    assert dict(User.objects.filter(username__startswith="secretariat.").values_list("username", "language")) == {
        "secretariat.africa": "",
        "secretariat.asia": "",
        "secretariat.bali": "",
        "secretariat.igad": "",
        "secretariat.midwa": "fr",
        "secretariat.prague": "",
        "secretariat.rcm": "",
        "secretariat.sacm": "es",
    }


def test_demo_complete_review_has_meetings_objectives_and_attachment(demo_reviews):
    rabat = Review.objects.get(mechanism__slug="rabat-process")
    assert rabat.meetings.count() == 2
    assert list(rabat.objective_reports.values_list("objective__number", flat=True)) == [1, 5, 19, 20]
    assert list(rabat.attachments.values_list("content_type", flat=True)) == ["text/csv"]
    # What was submitted first, and what was submitted again with the source IOM asked for.
    assert [(v.number, v.sealed, v.status, v.created_by.username) for v in workflow_page_data(rabat)["versions"]] == [
        (1, True, S.SUBMITTED, "secretariat.africa"),
        (2, True, S.SUBMITTED, "secretariat.africa"),
    ]
    first, second = ReviewVersion.objects.filter(review=rabat).order_by("number")
    assert (first.content["objectives"]["20"]["data_sources"], second.content["objectives"]["20"]["data_sources"]) == (
        "",
        "World Bank Remittance Prices Worldwide.",
    )


def test_demo_review_histories_show_each_step_and_who_made_it(demo_reviews):
    reviews = {
        review.mechanism.slug: review
        for review in Review.objects.select_related("mechanism").order_by("cycle__review_year")
    }
    assert _history(reviews["midwa"]) == []  # the 2024 draft
    assert _history(reviews["bali-process"]) == [
        ("submit", S.DRAFT, S.SUBMITTED, "secretariat.bali"),
        ("start_review", S.SUBMITTED, S.IN_REVIEW, "iom.reviewer"),
        ("approve", S.IN_REVIEW, S.APPROVED, "iom.reviewer"),
    ]
    assert _history(reviews["rcm-puebla-process"]) == [
        ("submit", S.DRAFT, S.SUBMITTED, "secretariat.rcm"),
        ("start_review", S.SUBMITTED, S.IN_REVIEW, "iom.reviewer"),
        ("request_changes", S.IN_REVIEW, S.CHANGES_REQUESTED, "iom.reviewer"),
    ]
    assert _history(reviews["rabat-process"]) == [
        ("submit", S.DRAFT, S.SUBMITTED, "secretariat.africa"),
        ("start_review", S.SUBMITTED, S.IN_REVIEW, "iom.reviewer"),
        ("request_changes", S.IN_REVIEW, S.CHANGES_REQUESTED, "iom.reviewer"),
        ("submit", S.CHANGES_REQUESTED, S.SUBMITTED, "secretariat.africa"),
        ("start_review", S.SUBMITTED, S.IN_REVIEW, "iom.reviewer"),
        ("approve", S.IN_REVIEW, S.APPROVED, "iom.reviewer"),
    ]


def test_demo_comments_are_open_on_the_sent_back_review_and_resolved_on_the_approved_one(demo_reviews):
    comments = Comment.objects.order_by("review__mechanism__slug", "pk")
    assert [
        (
            c.review.mechanism.slug,
            c.part,
            c.author.username,
            c.parent_id is not None,
            getattr(c.resolved_by, "username", None),
        )
        for c in comments
    ] == [
        ("rabat-process", "objective:20", "iom.reviewer", False, "iom.reviewer"),
        ("rabat-process", "objective:20", "secretariat.africa", True, None),
        ("rcm-puebla-process", "objective:6", "iom.reviewer", False, None),
        ("rcm-puebla-process", "overview", "iom.reviewer", False, None),
    ]


def test_every_approved_demo_review_has_its_content_as_latest_sealed_version(demo_reviews):
    demo_packages_create(password="x")
    approved = Review.objects.filter(status=S.APPROVED).order_by("pk")
    assert approved.count() == 9
    for review in approved:
        latest = workflow_page_data(review)["versions"][-1]
        assert (latest.sealed, latest.content_hash) == (True, content_hash(review_serialise_current(review)))
        assert [step.action for step in workflow_page_data(review)["transitions"]][-1] == "approve"
