import datetime

import pytest
from django.utils import timezone

from accounts.demo import demo_users_create
from accounts.models import User
from packages.demo import demo_packages_create
from reviews.demo import demo_cycle_naming, demo_cycles, demo_reviews_create
from reviews.enums import ReviewStatus as S
from reviews.models import Comment, Review, ReviewCycle, ReviewTransition, ReviewVersion
from reviews.serialisation import content_hash, review_serialise_current
from reviews.workflow_selectors import DASHBOARD_SORTS, iom_dashboard_rows, workflow_page_data

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
    assert demo_reviews_create(password="x") == []
    assert [model.objects.count() for model in (Review, ReviewVersion, ReviewTransition, Comment)] == counts
    assert sorted(Review.objects.values_list("mechanism__slug", "cycle__demo_role", "status")) == [
        ("bali-process", "previous", S.APPROVED),
        ("khartoum-process", "current", S.SUBMITTED),
        ("midwa", "current", S.DRAFT),
        ("midwa", "previous", S.APPROVED),
        ("rabat-process", "current", S.APPROVED),
        ("rcm-puebla-process", "current", S.CHANGES_REQUESTED),
        ("sacm", "current", S.APPROVED),
    ]


@pytest.mark.parametrize(
    ("opens", "due", "name", "review_year", "imrf_year"),
    [
        ((2026, 10, 3), (2026, 12, 30), "2026 regional reviews", 2026, 2030),
        ((2024, 9, 23), (2025, 10, 28), "2024-25 regional reviews", 2024, 2026),
        ((2029, 11, 1), (2030, 1, 29), "2029-30 regional reviews", 2029, 2034),
        ((2099, 12, 1), (2100, 1, 10), "2099-00 regional reviews", 2099, 2102),
    ],
)
def test_demo_cycles_are_named_after_the_years_their_dates_fall_in(opens, due, name, review_year, imrf_year):
    naming = demo_cycle_naming(datetime.date(*opens), datetime.date(*due))
    assert naming == {
        "name": name,
        "slug": name.replace(" ", "-"),
        "review_year": review_year,
        "imrf_year": imrf_year,
    }


def test_demo_cycles_move_with_the_day(demo_reviews, monkeypatch):
    previous, current = ReviewCycle.objects.filter(demo_role__in=["previous", "current"]).order_by("review_year")
    today = timezone.localdate()
    assert (current.opens_on, current.due_on) == (today - datetime.timedelta(days=60), today + datetime.timedelta(28))
    assert current.name == demo_cycle_naming(current.opens_on, current.due_on)["name"]
    # A year later the same two cycles move along, renamed after their new dates; nothing is created.
    monkeypatch.setattr(timezone, "localdate", lambda: today + datetime.timedelta(days=365))
    cycles = demo_cycles()
    assert (cycles["previous"].pk, cycles["current"].pk, ReviewCycle.objects.count()) == (previous.pk, current.pk, 2)
    moved = ReviewCycle.objects.get(pk=current.pk)
    assert moved.name == demo_cycle_naming(moved.opens_on, moved.due_on)["name"]
    assert moved.due_on == today + datetime.timedelta(days=365 + 28)


def test_demo_cycles_seeded_under_their_old_names_are_adopted(reference_data):
    old = ReviewCycle.objects.create(
        name="2024 regional reviews",
        slug="2024-regional-reviews",
        review_year=2024,
        imrf_year=2026,
        opens_on=datetime.date(2024, 1, 1),
        due_on=datetime.date(2024, 12, 31),
    )
    assert demo_cycles()["current"].pk == old.pk
    old.refresh_from_db()
    assert (old.demo_role, old.name) == ("current", demo_cycle_naming(old.opens_on, old.due_on)["name"])


def test_demo_puts_a_review_on_iom_first_waiting_since_three_days(demo_reviews):
    current = demo_cycles()["current"]
    rows = iom_dashboard_rows(cycle=current, today=timezone.localdate())
    rows.sort(key=DASHBOARD_SORTS["work"])
    assert [(row.mechanism.acronym, row.status, row.days_waiting) for row in rows if row.waiting_on_iom] == [
        ("Khartoum Process", S.SUBMITTED, 3)
    ]
    assert rows[0].mechanism.acronym == "Khartoum Process"


def test_demo_meetings_move_with_their_cycle_and_never_lie_ahead(demo_reviews):
    today = timezone.localdate()
    bali = Review.objects.get(mechanism__slug="bali-process")
    shift = bali.cycle.review_year - 2020
    assert [m.held_on for m in bali.meetings.all()] == [
        min(datetime.date(2020 + shift, 11, 24), today - datetime.timedelta(days=7)),
        min(datetime.date(2021 + shift, 2, 16), today - datetime.timedelta(days=7)),
    ]
    assert max(m.held_on for review in Review.objects.all() for m in review.meetings.all()) < today


def test_demo_has_french_and_spanish_reviews_and_a_secretariat_working_in_french(demo_reviews):
    languages = sorted(Review.objects.values_list("mechanism__slug", "cycle__demo_role", "language"))
    assert languages == [
        ("bali-process", "previous", "en"),
        ("khartoum-process", "current", "en"),
        ("midwa", "current", "fr"),
        ("midwa", "previous", "fr"),
        ("rabat-process", "current", "en"),
        ("rcm-puebla-process", "current", "en"),
        ("sacm", "current", "es"),
    ]
    midwa = Review.objects.get(mechanism__slug="midwa", cycle__demo_role="current")
    earlier = Review.objects.get(mechanism__slug="midwa", cycle__demo_role="previous")
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
    assert _history(reviews["midwa"]) == []  # the current cycle's draft
    assert _history(reviews["khartoum-process"]) == [("submit", S.DRAFT, S.SUBMITTED, "secretariat.africa")]
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
    assert approved.count() == 8
    for review in approved:
        latest = workflow_page_data(review)["versions"][-1]
        assert (latest.sealed, latest.content_hash) == (True, content_hash(review_serialise_current(review)))
        assert [step.action for step in workflow_page_data(review)["transitions"]][-1] == "approve"
