import datetime

import pytest
from django.utils import timezone

from mechanisms.models import Mechanism, Membership, Region, State
from reviews.enums import ReviewStatus as S
from reviews.models import Review
from tests.factories import CommentFactory, ReviewCycleFactory, review_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(reference_data):
    today = timezone.localdate()
    return ReviewCycleFactory(
        review_year=2030, opens_on=today - datetime.timedelta(days=100), due_on=today - datetime.timedelta(days=5)
    )


@pytest.fixture
def populated(cycle, bali, midwa, bali_secretariat, midwa_secretariat, iom_user):
    """Bali submitted with two open comments, MIDWA a draft, the 30 others not started."""
    bali_review = review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=cycle)
    CommentFactory(review=bali_review, author=iom_user)
    CommentFactory(review=bali_review, author=iom_user, part="overview")
    review_in_status(S.DRAFT, mechanism=midwa, secretariat=midwa_secretariat, iom=iom_user, cycle=cycle)
    return bali_review


def _rows(response):
    return [(row.mechanism.slug, row.status, row.days_overdue, row.open_comments) for row in response.context["rows"]]


def test_iom_dashboard_lists_every_mechanism_with_counts(client, iom_user, populated):
    client.force_login(iom_user)
    response = client.get("/reviews/iom/")
    rows = {slug: (status, overdue, comments) for slug, status, overdue, comments in _rows(response)}
    assert len(rows) == 32
    assert (rows["bali-process"], rows["midwa"]) == ((S.SUBMITTED, 0, 2), (S.DRAFT, 5, 0))
    assert {value: count for value, _label, count in response.context["status_counts"] if count} == {
        "not_started": 30,
        "draft": 1,
        "submitted": 1,
    }
    html = response.content.decode()
    # A draft is the secretariat's own: IOM sees its status but gets no link to it.
    assert f'href="/reviews/{populated.pk}/">Bali Process</a>' in html
    assert html.count(f'href="/reviews/{populated.pk}/"') == 1


def test_iom_dashboard_last_activity_is_latest_step_or_comment(client, iom_user, populated):
    client.force_login(iom_user)
    response = client.get("/reviews/iom/")
    bali_row = next(row for row in response.context["rows"] if row.mechanism.slug == "bali-process")
    assert bali_row.last_activity == max(
        populated.comments.latest("created_at").created_at, populated.transitions.latest("at").at
    )


def test_iom_dashboard_filters_by_status_kind_and_region(client, iom_user, populated, bali):
    client.force_login(iom_user)
    assert _rows(client.get("/reviews/iom/?status=submitted")) == [("bali-process", S.SUBMITTED, 0, 2)]
    kinds = {row.mechanism.kind for row in client.get("/reviews/iom/?kind=IRF").context["rows"]}
    assert kinds == {"IRF"}
    region = bali.regions.first()
    expected = sorted(Mechanism.objects.filter(regions=region).values_list("slug", flat=True))
    got = [row.mechanism.slug for row in client.get(f"/reviews/iom/?region={region.pk}").context["rows"]]
    assert sorted(got) == expected


def test_iom_dashboard_sorts(client, iom_user, populated):
    client.force_login(iom_user)
    by_comments = _rows(client.get("/reviews/iom/?sort=-comments"))
    assert by_comments[0] == ("bali-process", S.SUBMITTED, 0, 2)
    by_name = [slug for slug, *_ in _rows(client.get("/reviews/iom/?sort=-mechanism"))]
    assert by_name == [m.slug for m in sorted(Mechanism.objects.all(), key=lambda m: m.acronym.lower(), reverse=True)]
    # An unknown sort falls back to the default, work first.
    assert client.get("/reviews/iom/?sort=drop+table").context["current"]["sort"] == "work"


def test_iom_dashboard_puts_work_first_and_summarises_the_overdue_once(client, iom_user, populated):
    client.force_login(iom_user)
    response = client.get("/reviews/iom/")
    rows = response.context["rows"]
    # What waits on IOM comes first, then what waits on secretariats (here every other mechanism), by name.
    assert (rows[0].mechanism.slug, rows[0].waits_on) == ("bali-process", "iom")
    assert {row.waits_on for row in rows[1:]} == {"secretariat"}
    assert [row.mechanism.acronym.lower() for row in rows[1:]] == sorted(
        row.mechanism.acronym.lower() for row in rows[1:]
    )
    assert (rows[0].days_waiting, response.context["waiting_on_iom"]) == (0, 1)
    html = response.content.decode()
    assert html.count('data-testid="overdue-summary"') == 1
    assert "31 reviews waiting on their secretariats are overdue (by 5 days)" in html
    assert "since today" in html  # Bali's review was submitted today: not "for 0 days"
    assert "text-danger fw-semibold" not in html


def test_iom_dashboard_cycle_selector(client, iom_user, populated):
    ReviewCycleFactory(review_year=2020)
    client.force_login(iom_user)
    response = client.get("/reviews/iom/?cycle=2020-regional-reviews")
    assert (response.context["cycle"].review_year, response.context["status_counts"][0][2]) == (2020, 32)
    # The newest cycle by default.
    assert client.get("/reviews/iom/").context["cycle"].review_year == 2030


def test_iom_dashboard_without_cycles(client, iom_user, reference_data):
    client.force_login(iom_user)
    response = client.get("/reviews/iom/")
    assert (response.status_code, response.context["rows"]) == (200, [])


def test_iom_dashboard_forbidden_to_secretariat(client, bali_secretariat):
    client.force_login(bali_secretariat)
    assert client.get("/reviews/iom/").status_code == 403


def _many_mechanisms(count, cycle, iom_user, secretariat):
    region = Region.objects.first()
    created = Mechanism.objects.bulk_create(
        Mechanism(slug=f"extra-{n}", acronym=f"EXTRA{n}", name=f"Extra mechanism {n}", kind="RCP") for n in range(count)
    )
    for mechanism in created:
        mechanism.regions.add(region)
    for mechanism in created[: count // 3]:
        review = Review.objects.create(mechanism=mechanism, cycle=cycle, status=S.SUBMITTED)
        CommentFactory(review=review, author=iom_user)


def test_iom_dashboard_query_count_fixed(
    client, iom_user, bali_secretariat, populated, cycle, django_assert_num_queries
):
    client.force_login(iom_user)
    # session, user, the outbox's backlog, cycles, regions for the filter, mechanisms, reviews with their activity
    with django_assert_num_queries(7):
        assert len(client.get("/reviews/iom/").context["rows"]) == 32
    _many_mechanisms(288, cycle, iom_user, bali_secretariat)
    with django_assert_num_queries(7):
        assert len(client.get("/reviews/iom/?sort=-comments").context["rows"]) == 320


# Focal point


def test_focal_point_dashboard_shows_visible_reviews_of_states_mechanisms(
    client, cycle, bali, midwa, bali_secretariat, midwa_secretariat, iom_user, indonesia_focal_point
):
    assert Membership.objects.current().filter(mechanism=bali, state__iso3="IDN").exists()
    assert not Membership.objects.current().filter(mechanism=midwa, state__iso3="IDN").exists()
    submitted = review_in_status(S.APPROVED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=cycle)
    review_in_status(
        S.DRAFT, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=ReviewCycleFactory(review_year=2028)
    )
    review_in_status(S.SUBMITTED, mechanism=midwa, secretariat=midwa_secretariat, iom=iom_user, cycle=cycle)
    client.force_login(indonesia_focal_point)
    response = client.get("/reviews/focal-point/")
    assert [review.pk for review in response.context["reviews"]] == [submitted.pk]


def test_focal_point_dashboard_forbidden_to_others(client, iom_user, bali_secretariat):
    for user in (iom_user, bali_secretariat):
        client.force_login(user)
        assert client.get("/reviews/focal-point/").status_code == 403


def test_focal_point_dashboard_query_count(
    client, cycle, indonesia_focal_point, iom_user, bali_secretariat, django_assert_num_queries
):
    client.force_login(indonesia_focal_point)
    # session, user, reviews; the layout: the user's State (its `perms` are rules: no permission queries)
    with django_assert_num_queries(4):
        client.get("/reviews/focal-point/")
    idn = State.objects.get(iso3="IDN")
    for n in range(30):
        mechanism = Mechanism.objects.create(slug=f"fp-{n}", acronym=f"FP{n}", name=f"FP {n}", kind="RCP")
        Membership.objects.create(mechanism=mechanism, state=idn, role="member")
        Review.objects.create(mechanism=mechanism, cycle=cycle, status=S.APPROVED)
    with django_assert_num_queries(4):
        assert len(client.get("/reviews/focal-point/").context["reviews"]) == 30


# Secretariat


def test_secretariat_dashboard_shows_what_waits_on_it(client, cycle, bali, bali_secretariat, iom_user):
    other_cycle = ReviewCycleFactory(review_year=2029, opens_on=cycle.opens_on, due_on=cycle.due_on)
    review_in_status(S.CHANGES_REQUESTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=cycle)
    review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=other_cycle)
    client.force_login(bali_secretariat)
    response = client.get("/reviews/")
    rows = [
        (row.cycle.review_year, row.status, row.waiting_on_secretariat, row.open_comments)
        for row in response.context["rows"]
    ]
    assert sorted(rows, reverse=True) == [
        (2030, S.CHANGES_REQUESTED, True, 1),
        (2029, S.SUBMITTED, False, 0),
    ]
    assert [row.cycle.review_year for row in response.context["waiting"]] == [2030]
    assert "Answer the comments and resubmit" in response.content.decode()


def test_secretariat_dashboard_has_no_waiting_table_for_iom(client, iom_user):
    client.force_login(iom_user)
    response = client.get("/reviews/")
    assert (response.status_code, response.context["rows"], "What waits on you" in response.content.decode()) == (
        200,
        [],
        False,
    )


def test_old_waiting_url_is_gone(client, bali_secretariat):
    client.force_login(bali_secretariat)
    assert client.get("/reviews/waiting/").status_code == 404


def test_secretariat_dashboard_query_count(client, cycle, bali_secretariat, django_assert_num_queries):
    client.force_login(bali_secretariat)
    # session, user, secretariat bindings; waiting table: mechanisms, reviews, cycles; per-mechanism cards:
    # mechanisms, cycles, reviews; other readable reviews (the layout's `perms` are rules: no queries)
    with django_assert_num_queries(10):
        client.get("/reviews/")
    for year in range(2031, 2041):
        ReviewCycleFactory(review_year=year, opens_on=cycle.opens_on, due_on=cycle.due_on)
    with django_assert_num_queries(10):
        # Earlier cycles without a review are history: only the newest open cycle is listed to start.
        assert [row.cycle.review_year for row in client.get("/reviews/").context["rows"]] == [2040]


def test_waits_on_you_counts_only_what_the_secretariat_can_act_on(client, bali, bali_secretariat, iom_user):
    closed = ReviewCycleFactory(
        review_year=2020, opens_on=datetime.date(2020, 1, 15), due_on=datetime.date(2021, 6, 30)
    )
    reopened_cycle = ReviewCycleFactory(
        review_year=2022, opens_on=datetime.date(2022, 1, 15), due_on=datetime.date(2022, 12, 31)
    )
    current = ReviewCycleFactory(
        review_year=2026, opens_on=datetime.date(2026, 10, 1), due_on=datetime.date(2027, 1, 5)
    )
    review_in_status(S.REOPENED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=reopened_cycle)
    client.force_login(bali_secretariat)
    response = client.get("/reviews/")
    assert [(row.cycle.review_year, row.status) for row in response.context["rows"]] == [
        (2026, "not_started"),
        (2022, S.REOPENED),
    ]
    assert [row.cycle for row in response.context["waiting"]] == [current, reopened_cycle]
    assert closed not in [row.cycle for row in response.context["rows"]]
    assert 'data-waiting-count="2"' in response.content.decode()


def test_focal_point_navigation_links_the_dashboard(client, indonesia_focal_point, bali_secretariat):
    client.force_login(indonesia_focal_point)
    assert 'href="/reviews/focal-point/" data-nav="focal-point"' in client.get("/").content.decode()
    client.force_login(bali_secretariat)
    assert 'data-nav="focal-point"' not in client.get("/").content.decode()
