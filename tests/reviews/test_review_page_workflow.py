"""The review page and the edit steps show the workflow: actions, and the comments beside each part."""

import pytest
from django.urls import reverse

from reviews.enums import ReviewStatus as S
from tests.factories import CommentFactory, review_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_back(bali, bali_secretariat, iom_user):
    # The path to "changes requested" leaves an IOM comment on objective 6.
    return review_in_status(S.CHANGES_REQUESTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)


def test_review_page_shows_actions_and_comment_beside_objective_to_iom(client, bali, bali_secretariat, iom_user):
    review = review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    CommentFactory(review=review, author=iom_user, part="objective:6", body="Where are the 2023 figures?")
    client.force_login(iom_user)
    body = client.get(review.get_absolute_url()).content.decode()
    objective = body.split('id="objective-6"')[1]
    assert "Where are the 2023 figures?" in objective.split('class="objective-report')[0]
    assert 'data-action="approve"' in body
    assert 'data-action="request_changes"' in body
    assert reverse("reviews:review_compare", kwargs={"pk": review.pk}) in body
    assert reverse("reviews:review_workflow", kwargs={"pk": review.pk}) in body


def test_review_page_hides_comments_and_actions_from_focal_points(client, sent_back, indonesia_focal_point):
    client.force_login(indonesia_focal_point)
    response = client.get(sent_back.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert ("Please add the figures for 2023." in body, "workflow-actions" in body) == (False, False)
    assert reverse("reviews:review_workflow", kwargs={"pk": sent_back.pk}) not in body


def test_edit_step_shows_iom_comment_beside_the_objective(client, sent_back, bali_secretariat):
    client.force_login(bali_secretariat)
    body = client.get(reverse("reviews:review_edit_objective", kwargs={"pk": sent_back.pk, "number": 6})).content
    body = body.decode()
    aside = body.split('class="step-comments"')[1]
    assert "Comments on this objective" in aside
    assert "Please add the figures for 2023." in aside
    assert reverse("reviews:comment_reply", kwargs={"comment_pk": sent_back.comments.get().pk}) in aside


def test_edit_step_of_another_objective_shows_no_comment(client, sent_back, bali_secretariat):
    client.force_login(bali_secretariat)
    body = client.get(reverse("reviews:review_edit_objective", kwargs={"pk": sent_back.pk, "number": 5})).content
    assert "Please add the figures for 2023." not in body.decode()


def test_reply_from_edit_step_returns_to_it(client, sent_back, bali_secretariat):
    edit_url = reverse("reviews:review_edit_objective", kwargs={"pk": sent_back.pk, "number": 6})
    comment = sent_back.comments.get()
    client.force_login(bali_secretariat)
    response = client.post(
        reverse("reviews:comment_reply", kwargs={"comment_pk": comment.pk}), {"body": "Added.", "next": edit_url}
    )
    assert (response.status_code, response.url) == (302, edit_url + "#comments-objective-6")
    assert list(comment.replies.values_list("body", flat=True)) == ["Added."]


def test_transition_from_review_page_returns_to_it(client, bali, bali_secretariat, iom_user):
    review = review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    client.force_login(iom_user)
    response = client.post(
        reverse("reviews:review_transition", kwargs={"pk": review.pk, "action": "approve"}),
        {"next": review.get_absolute_url(), "confirmed": "yes"},
    )
    review.refresh_from_db()
    assert (response.status_code, response.url, review.status) == (302, review.get_absolute_url(), S.APPROVED)
