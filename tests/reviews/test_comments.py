import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.test import RequestFactory

from reviews.comments import (
    CommentInvalid,
    CommentNotAllowed,
    comment_add,
    comment_reply,
    comment_resolve,
    comments_by_part,
    part_label,
)
from reviews.enums import ReviewStatus as S
from reviews.models import Attachment, Comment
from reviews.workflow import review_transition
from tests.factories import CommentFactory, review_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(bali, bali_secretariat, iom_user):
    return review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)


def _attachment(review, name="survey.pdf"):
    return Attachment.objects.create(
        review=review,
        file=ContentFile(b"%PDF-1.4", name=name),
        original_name=name,
        description="Survey results",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
    )


def test_comment_add_by_iom_on_objective(submitted, iom_user):
    comment = comment_add(review=submitted, part=" objective:6 ", body="  Add 2023 figures. ", by=iom_user)
    assert (comment.part, comment.body, comment.author, comment.resolved_at) == (
        "objective:6",
        "Add 2023 figures.",
        iom_user,
        None,
    )


@pytest.mark.parametrize("part", ["review", "overview", "objective:1", "objective:23"])
def test_comment_add_accepts_every_part_kind(submitted, iom_user, part):
    assert comment_add(review=submitted, part=part, body="Check.", by=iom_user).part == part


def test_comment_add_on_own_attachment(submitted, iom_user):
    attachment = _attachment(submitted)
    comment = comment_add(review=submitted, part=f"attachment:{attachment.pk}", body="Illegible.", by=iom_user)
    assert part_label(comment.part, {attachment.pk: "survey.pdf"}) == "Attachment: survey.pdf"


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("objective:24", "The Global Compact has objectives 1 to 23."),
        ("objective:0", "The Global Compact has objectives 1 to 23."),
        ("summary", "Choose which part of the review the comment is about."),
        ("attachment:999999", "This review has no such attachment."),
    ],
)
def test_comment_add_unknown_part_refused(submitted, iom_user, part, message):
    with pytest.raises(CommentInvalid) as error:
        comment_add(review=submitted, part=part, body="Check.", by=iom_user)
    assert str(error.value) == message
    assert Comment.objects.count() == 0


def test_comment_add_on_another_reviews_attachment_refused(submitted, iom_user, midwa, midwa_secretariat):
    other = review_in_status(S.SUBMITTED, mechanism=midwa, secretariat=midwa_secretariat, iom=iom_user)
    attachment = _attachment(other)
    with pytest.raises(CommentInvalid):
        comment_add(review=submitted, part=f"attachment:{attachment.pk}", body="Check.", by=iom_user)


def test_comment_add_empty_or_too_long_refused(submitted, iom_user):
    with pytest.raises(CommentInvalid) as empty:
        comment_add(review=submitted, part="overview", body="   ", by=iom_user)
    with pytest.raises(CommentInvalid) as long:
        comment_add(review=submitted, part="overview", body="x" * 5001, by=iom_user)
    assert (str(empty.value), str(long.value)) == (
        "Write the comment.",
        "Keep the comment under 5000 characters (it has 5001).",
    )


def test_comment_add_by_secretariat_refused(submitted, bali_secretariat):
    with pytest.raises(CommentNotAllowed):
        comment_add(review=submitted, part="overview", body="Note to self.", by=bali_secretariat)


@pytest.mark.parametrize("status", [S.DRAFT, S.CHANGES_REQUESTED, S.APPROVED, S.WITHDRAWN, S.REOPENED])
def test_comment_add_refused_unless_with_iom(bali, bali_secretariat, iom_user, status):
    review = review_in_status(status, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    before = Comment.objects.count()
    with pytest.raises(CommentNotAllowed):
        comment_add(review=review, part="overview", body="Late remark.", by=iom_user)
    assert Comment.objects.count() == before


def test_comment_add_allowed_in_review(bali, bali_secretariat, iom_user):
    review = review_in_status(S.IN_REVIEW, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    assert comment_add(review=review, part="overview", body="Fine.", by=iom_user).review == review


def test_comment_reply_by_own_secretariat_threads_under_root(submitted, iom_user, bali_secretariat):
    root = comment_add(review=submitted, part="objective:6", body="Source?", by=iom_user)
    first = comment_reply(parent=root, body="National statistics office.", by=bali_secretariat)
    # Replying to a reply stays in the same thread.
    second = comment_reply(parent=first, body="Thanks.", by=iom_user)
    assert [(c.parent_id, c.part) for c in (first, second)] == [(root.pk, "objective:6"), (root.pk, "objective:6")]


def test_comment_reply_by_other_secretariat_or_focal_point_refused(
    submitted, iom_user, midwa_secretariat, indonesia_focal_point
):
    root = comment_add(review=submitted, part="overview", body="Source?", by=iom_user)
    for user in (midwa_secretariat, indonesia_focal_point):
        with pytest.raises(CommentNotAllowed):
            comment_reply(parent=root, body="Intrusion.", by=user)
    assert root.replies.count() == 0


def test_comment_reply_while_changes_requested(submitted, iom_user, bali_secretariat):
    root = comment_add(review=submitted, part="overview", body="Shorten.", by=iom_user)
    review_transition(review=submitted, action="request_changes", by=iom_user)
    reply = comment_reply(parent=root, body="Shortened.", by=bali_secretariat)
    assert reply.parent == root


def test_comment_reply_on_approved_review_refused(submitted, iom_user, bali_secretariat):
    root = comment_add(review=submitted, part="overview", body="Fine.", by=iom_user)
    review_transition(review=submitted, action="approve", by=iom_user, confirmed=True)
    with pytest.raises(CommentNotAllowed):
        comment_reply(parent=root, body="Thanks.", by=bali_secretariat)


def test_comment_resolve_by_iom_once(submitted, iom_user):
    root = comment_add(review=submitted, part="overview", body="Shorten.", by=iom_user)
    resolved = comment_resolve(comment=root, by=iom_user)
    first_time = resolved.resolved_at
    again = comment_resolve(comment=root, by=iom_user)
    assert (again.resolved_by, again.resolved_at) == (iom_user, first_time)


def test_comment_resolve_by_secretariat_refused(submitted, iom_user, bali_secretariat):
    root = comment_add(review=submitted, part="overview", body="Shorten.", by=iom_user)
    with pytest.raises(CommentNotAllowed):
        comment_resolve(comment=root, by=bali_secretariat)
    root.refresh_from_db()
    assert root.resolved_at is None


def test_comment_resolve_reply_refused(submitted, iom_user, bali_secretariat):
    root = comment_add(review=submitted, part="overview", body="Shorten.", by=iom_user)
    reply = comment_reply(parent=root, body="Done.", by=bali_secretariat)
    with pytest.raises(CommentInvalid):
        comment_resolve(comment=reply, by=iom_user)


def test_comments_by_part_groups_threads(submitted, iom_user, bali_secretariat, django_assert_num_queries):
    root = comment_add(review=submitted, part="objective:6", body="A", by=iom_user)
    comment_reply(parent=root, body="B", by=bali_secretariat)
    comment_add(review=submitted, part="overview", body="C", by=iom_user)
    with django_assert_num_queries(2):
        grouped = comments_by_part(submitted)
        replies = {part: [[r.body for r in c.replies.all()] for c in threads] for part, threads in grouped.items()}
    assert replies == {"objective:6": [["B"]], "overview": [[]]}


# Views


def test_comment_add_view_redirects_to_part(client, submitted, iom_user):
    client.force_login(iom_user)
    response = client.post(f"/reviews/{submitted.pk}/comments/", {"part": "objective:6", "body": "Figures?"})
    assert (response.status_code, response.url) == (302, f"/reviews/{submitted.pk}/workflow/#comments-objective-6")
    assert list(Comment.objects.values_list("part", "body")) == [("objective:6", "Figures?")]


def test_comment_add_view_error_keeps_typed_text(client, submitted, iom_user):
    client.force_login(iom_user)
    response = client.post(f"/reviews/{submitted.pk}/comments/", {"part": "objective:24", "body": "Typed <b>text</b>"})
    html = response.content.decode()
    assert 'maxlength="5000" required>Typed &lt;b&gt;text&lt;/b&gt;</textarea>' in html
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == ["The Global Compact has objectives 1 to 23."]
    assert Comment.objects.count() == 0
    assert response.context["draft"]["body"] == "Typed <b>text</b>"


def test_comment_add_view_other_secretariat_forbidden(client, submitted, midwa_secretariat):
    client.force_login(midwa_secretariat)
    response = client.post(f"/reviews/{submitted.pk}/comments/", {"part": "overview", "body": "Hi"})
    assert (response.status_code, Comment.objects.count()) == (403, 0)


def test_comment_reply_view_by_secretariat(client, submitted, iom_user, bali_secretariat):
    root = CommentFactory(review=submitted, author=iom_user)
    client.force_login(bali_secretariat)
    response = client.post(f"/reviews/comments/{root.pk}/reply/", {"body": "Added."})
    assert response.status_code == 302
    assert list(root.replies.values_list("body", "author")) == [("Added.", bali_secretariat.pk)]


def test_comment_resolve_view_by_secretariat_refused(client, submitted, iom_user, bali_secretariat):
    root = CommentFactory(review=submitted, author=iom_user)
    client.force_login(bali_secretariat)
    response = client.post(f"/reviews/comments/{root.pk}/resolve/", follow=True)
    root.refresh_from_db()
    assert root.resolved_at is None
    assert [str(m) for m in response.context["messages"]] == ["You may not resolve comments on this review now."]


def test_comment_views_unknown_comment_404(client, iom_user):
    client.force_login(iom_user)
    assert client.post("/reviews/comments/999999/resolve/").status_code == 404


# The template tag that puts comments beside their part


def _render(review, user, parts):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    source = "{% load review_comments %}" + "".join(f'{{% part_comments review "{part}" %}}' for part in parts)
    return Template(source).render(Context({"review": review, "request": request, "user": user}))


def test_part_comments_tag_shows_only_that_parts_comments(submitted, iom_user, bali_secretariat):
    CommentFactory(review=submitted, author=iom_user, part="objective:6", body="About six.")
    CommentFactory(review=submitted, author=iom_user, part="objective:7", body="About seven.")
    html = _render(submitted, bali_secretariat, ["objective:6"])
    assert ("About six." in html, "About seven." in html, "Mark resolved" in html, "Send reply" in html) == (
        True,
        False,
        False,
        True,
    )


def test_part_comments_tag_escapes_comment_text(submitted, iom_user):
    CommentFactory(review=submitted, author=iom_user, part="overview", body="<script>alert(1)</script>")
    html = _render(submitted, iom_user, ["overview"])
    assert ("<script>" in html, "&lt;script&gt;alert(1)&lt;/script&gt;" in html) == (False, True)


def test_part_comments_tag_query_count_fixed(submitted, iom_user, django_assert_num_queries):
    for number in range(1, 24):
        CommentFactory(review=submitted, author=iom_user, part=f"objective:{number}")
    parts = ["review", "overview"] + [f"objective:{n}" for n in range(1, 24)]
    # comments, their replies, and the user's secretariat bindings (once, for the permissions)
    with django_assert_num_queries(3):
        html = _render(submitted, iom_user, parts)
    assert html.count('class="comment card') == 23


def test_comment_add_on_approved_review_refused_even_for_administrator(bali, bali_secretariat, iom_user, admin_user):
    review = review_in_status(S.APPROVED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    with pytest.raises(CommentNotAllowed):
        comment_add(review=review, part="overview", body="Late remark.", by=admin_user)
    assert "Comment on" not in _render(review, admin_user, ["overview", "review"])
