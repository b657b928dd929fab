"""Fixed query counts for the reading page and every edit step, with 1 and with all 23 objectives filled."""

import pytest
from django.urls import reverse

from gcm.models import GuidingPrinciple
from tests.factories import CommentFactory, ReviewMeetingFactory, UserFactory, complete_review_create

pytestmark = pytest.mark.django_db


def review_with(mechanism, count):
    review = complete_review_create(mechanism=mechanism, objectives=range(1, count + 1))
    principles = list(GuidingPrinciple.objects.all()[:3])
    for report in review.objective_reports.all():
        report.guiding_principles.set(principles)
    ReviewMeetingFactory(review=review)
    # A comment thread beside every reported objective and the overview, each with a reply: the comments
    # shown beside the parts must not add queries per part.
    iom = UserFactory(username="iom-reviewer", is_iom_staff=True)
    for part in ["overview", "review", *(f"objective:{n}" for n in range(1, count + 1))]:
        thread = CommentFactory(review=review, part=part, author=iom)
        CommentFactory(review=review, part=part, author=iom, parent=thread, body="And the sources.")
    return review


PAGES = {
    # name: (url builder, queries); +2 on the pages showing comments beside the parts (threads, replies).
    # The layout's `perms` checks are rules only: no query for Django's model permissions.
    "detail": (lambda r: reverse("reviews:review_detail", kwargs={"pk": r.pk}), 11),
    "overview": (lambda r: reverse("reviews:review_edit_overview", kwargs={"pk": r.pk}), 13),
    # The objective shown is read on its own (2 queries), so that with the steps and the completeness panel
    # from the cache the page reads nothing else (tests/iscm_portal/test_page_cache.py); drawn live, as here,
    # they read the whole review.
    "objective": (lambda r: reverse("reviews:review_edit_objective", kwargs={"pk": r.pk, "number": 1}), 15),
    "attachments": (lambda r: reverse("reviews:review_attachments", kwargs={"pk": r.pk}), 10),
    "check": (lambda r: reverse("reviews:review_check", kwargs={"pk": r.pk}), 10),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("objectives", [1, 23])
def test_review_pages_query_count_is_fixed(client, bali, bali_secretariat, django_assert_num_queries, page, objectives):
    review = review_with(bali, objectives)
    url, expected = PAGES[page][0](review), PAGES[page][1]
    client.force_login(bali_secretariat)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("objectives", [1, 23])
def test_my_reviews_query_count_is_fixed(client, bali, bali_secretariat, django_assert_num_queries, objectives):
    review_with(bali, objectives)
    client.force_login(bali_secretariat)
    # The one secretariat dashboard: waiting table (3) + reviews per mechanism (4) + session/user/bindings.
    with django_assert_num_queries(10):
        assert client.get(reverse("reviews:my_reviews")).status_code == 200


@pytest.mark.parametrize("cycles", [1, 6])
def test_cycle_list_query_count_is_fixed(client, bali, iom_user, django_assert_num_queries, cycles):
    from tests.factories import ReviewCycleFactory

    for year in range(2020, 2020 + 4 * cycles, 4):
        complete_review_create(mechanism=bali, cycle=ReviewCycleFactory(review_year=year))
    client.force_login(iom_user)
    with django_assert_num_queries(3):
        assert client.get(reverse("reviews:cycle_list")).status_code == 200


def test_objective_editor_reads_the_comments_of_its_own_part_only(
    client, bali, bali_secretariat, django_assert_num_queries
):
    review = complete_review_create(mechanism=bali, objectives=range(1, 24))
    iom = UserFactory(username="iom-reviewer", is_iom_staff=True)
    for number in range(2, 24):
        thread = CommentFactory(review=review, part=f"objective:{number}", author=iom, body=f"On objective {number}.")
        CommentFactory(review=review, part=f"objective:{number}", author=iom, parent=thread, body="And the sources.")
    client.force_login(bali_secretariat)
    # 15 less the replies: objective 1 has no thread, so the other 22 parts' threads and replies are not read.
    with django_assert_num_queries(14):
        response = client.get(reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 1}))
    assert "On objective" not in response.content.decode()
    shown = client.get(reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 2})).content.decode()
    assert "On objective 2." in shown and "And the sources." in shown and "On objective 3." not in shown
