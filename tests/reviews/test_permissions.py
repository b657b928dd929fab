"""Who may do what, checked through the views (not only the rules)."""

import pytest
from django.urls import reverse

from mechanisms.models import State
from reviews.enums import ReviewStatus as S
from reviews.models import Review
from reviews.rules import can_view_review
from reviews.selectors import reviews_for_mechanism
from tests.factories import ReviewCycleFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(bali):
    return ReviewFactory(mechanism=bali)


def set_status(review, status):
    Review.objects.filter(pk=review.pk).update(status=status)
    review.refresh_from_db()


@pytest.fixture
def users(bali_secretariat, midwa_secretariat, iom_user, admin_user, indonesia_focal_point, reference_data):
    ghana = UserFactory(username="gha-focal", focal_point_state=State.objects.get(iso3="GHA"))
    return {
        "bali": bali_secretariat,
        "midwa": midwa_secretariat,
        "iom": iom_user,
        "admin": admin_user,
        "focal_member": indonesia_focal_point,
        "focal_other": ghana,
        "plain": UserFactory(username="plain"),
    }


# status -> users who may read it (anonymous reads approved reviews only). A draft is the secretariat's own
# working copy: IOM sees its status on the dashboard, not its content (see reviews/rules.py).
READERS = {
    S.DRAFT: {"bali", "admin"},
    S.SUBMITTED: {"bali", "iom", "admin", "focal_member"},
    S.IN_REVIEW: {"bali", "iom", "admin", "focal_member"},
    S.CHANGES_REQUESTED: {"bali", "iom", "admin", "focal_member"},
    S.WITHDRAWN: {"bali", "iom", "admin"},
    S.APPROVED: {"bali", "iom", "admin", "focal_member", "focal_other", "midwa", "plain"},
    S.REOPENED: {"bali", "iom", "admin", "focal_member"},
}


@pytest.mark.parametrize("status", list(READERS))
def test_review_detail_by_role_and_status(client, review, users, status):
    set_status(review, status)
    url = review.get_absolute_url()
    seen = {}
    for name, user in users.items():
        client.force_login(user)
        seen[name] = client.get(url).status_code
    client.logout()
    anonymous = client.get(url).status_code
    assert {name for name, code in seen.items() if code == 200} == READERS[status]
    assert {code for name, code in seen.items() if name not in READERS[status]} <= {403}
    assert anonymous == (200 if status == S.APPROVED else 302)


def test_visible_reviews_selector_agrees_with_rule(review, users, bali):
    for status in READERS:
        set_status(review, status)
        for user in users.values():
            listed = list(reviews_for_mechanism(bali, user)) == [review]
            assert listed == can_view_review(user, review), (status, user.username)


@pytest.mark.parametrize("name", ["overview", "objective", "attachments", "check"])
def test_other_secretariat_cannot_touch_draft_even_by_url(client, review, users, name):
    urls = {
        "overview": reverse("reviews:review_edit_overview", kwargs={"pk": review.pk}),
        "objective": reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 3}),
        "attachments": reverse("reviews:review_attachments", kwargs={"pk": review.pk}),
        "check": reverse("reviews:review_check", kwargs={"pk": review.pk}),
    }
    for user in (users["midwa"], users["focal_member"], users["plain"]):
        client.force_login(user)
        assert client.get(urls[name]).status_code == 403
        assert client.post(urls[name], {"method": "Overwritten", "progress": "x", "revision": "1"}).status_code == 403
    review.refresh_from_db()
    assert (review.method, review.status, review.objective_reports.count()) == (
        "Two regional consultations and a written survey of Member States.",
        S.DRAFT,
        0,
    )


def test_iom_cannot_open_a_draft_even_by_url(client, review, users):
    client.force_login(users["iom"])
    response = client.get(reverse("reviews:review_edit_overview", kwargs={"pk": review.pk}))
    assert response.status_code == 403


def test_iom_reads_but_cannot_edit_a_review_sent_back(client, review, users):
    set_status(review, S.CHANGES_REQUESTED)
    client.force_login(users["iom"])
    response = client.get(reverse("reviews:review_edit_overview", kwargs={"pk": review.pk}))
    assert (response.status_code, response["Location"]) == (302, review.get_absolute_url())


def test_missing_review_is_404_for_everyone(client, users):
    client.force_login(users["iom"])
    assert client.get(reverse("reviews:review_detail", kwargs={"pk": 999999})).status_code == 404


def test_only_own_secretariat_starts_a_review(client, users, bali, midwa):
    cycle = ReviewCycleFactory(review_year=2024)
    client.force_login(users["midwa"])
    assert (
        client.post(reverse("reviews:review_start", kwargs={"cycle": cycle.slug, "mechanism": bali.slug})).status_code
        == 403
    )
    client.force_login(users["iom"])
    assert (
        client.post(reverse("reviews:review_start", kwargs={"cycle": cycle.slug, "mechanism": bali.slug})).status_code
        == 403
    )
    assert Review.objects.count() == 0


def test_cycles_managed_by_iom_only(client, users):
    url = reverse("reviews:cycle_create")
    data = {
        "name": "2028 regional reviews",
        "slug": "2028-regional-reviews",
        "review_year": "2028",
        "imrf_year": "2030",
        "opens_on": "2028-01-15",
        "due_on": "2028-12-31",
    }
    client.force_login(users["bali"])
    assert client.post(url, data).status_code == 403
    client.force_login(users["iom"])
    assert client.post(url, data).status_code == 302
    assert client.get(reverse("reviews:cycle_list")).status_code == 200
    from reviews.models import ReviewCycle

    assert list(ReviewCycle.objects.values_list("slug", flat=True)) == ["2028-regional-reviews"]


def test_cycle_form_refuses_due_before_opening(client, users):
    client.force_login(users["iom"])
    response = client.post(
        reverse("reviews:cycle_create"),
        {
            "name": "X",
            "slug": "x",
            "review_year": "2028",
            "imrf_year": "2030",
            "opens_on": "2028-05-01",
            "due_on": "2028-01-01",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"due_on": ["The due date must be on or after the opening date."]}
