import pytest

from mechanisms.models import State
from reviews.comments import CommentNotAllowed, comment_add, comment_resolve
from reviews.enums import ReviewStatus as S
from reviews.exceptions import TransitionNeedsConfirmation, TransitionNotAllowed, TransitionRequirementsNotMet
from reviews.models import ReviewTransition
from reviews.workflow import TRANSITIONS, available_actions, review_transition
from tests.factories import ObjectiveReportFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete_review(bali):
    review = ReviewFactory(mechanism=bali)
    review.participating_states.set(State.objects.filter(iso3__in=["IDN", "AUS"]))
    ObjectiveReportFactory(review=review)
    return review


def test_submit_complete_draft_records_transition(complete_review, bali_secretariat):
    record = review_transition(review=complete_review, action="submit", by=bali_secretariat)
    complete_review.refresh_from_db()
    assert complete_review.status == S.SUBMITTED
    assert complete_review.submitted_at is not None
    assert (record.from_status, record.to_status, record.by) == (S.DRAFT, S.SUBMITTED, bali_secretariat)


def test_submit_incomplete_draft_lists_every_problem_and_changes_nothing(bali, bali_secretariat):
    review = ReviewFactory(mechanism=bali, method="", key_messages="")
    with pytest.raises(TransitionRequirementsNotMet) as error:
        review_transition(review=review, action="submit", by=bali_secretariat)
    assert error.value.problems == [
        "Describe how the review was carried out.",
        "Write the key messages to the IMRF.",
        "Choose the States that took part.",
        "Report progress on at least one GCM objective.",
    ]
    review.refresh_from_db()
    assert review.status == S.DRAFT
    assert ReviewTransition.objects.count() == 0


def test_other_secretariat_cannot_submit(complete_review, midwa_secretariat):
    with pytest.raises(TransitionNotAllowed):
        review_transition(review=complete_review, action="submit", by=midwa_secretariat)
    complete_review.refresh_from_db()
    assert complete_review.status == S.DRAFT


def test_secretariat_cannot_approve_own_review(complete_review, bali_secretariat):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    with pytest.raises(TransitionNotAllowed):
        review_transition(review=complete_review, action="approve", by=bali_secretariat)


def test_iom_approves_submitted_review(complete_review, bali_secretariat, iom_user):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    review_transition(review=complete_review, action="approve", by=iom_user)
    complete_review.refresh_from_db()
    assert complete_review.status == S.APPROVED
    assert list(complete_review.transitions.values_list("action", flat=True)) == ["submit", "approve"]


def test_approve_from_draft_is_refused(complete_review, iom_user):
    with pytest.raises(TransitionNotAllowed) as error:
        review_transition(review=complete_review, action="approve", by=iom_user)
    assert str(error.value) == "A review that is “Draft” cannot be changed with “Approve”."


def test_reopen_needs_a_reason(complete_review, bali_secretariat, iom_user):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    review_transition(review=complete_review, action="approve", by=iom_user)
    with pytest.raises(TransitionRequirementsNotMet):
        review_transition(review=complete_review, action="reopen", by=iom_user, reason="  ")
    review_transition(review=complete_review, action="reopen", by=iom_user, reason="Data for 2023 corrected")
    complete_review.refresh_from_db()
    assert complete_review.status == S.REOPENED


def test_available_actions_by_role(complete_review, bali_secretariat, iom_user):
    assert [action for action, _ in available_actions(review=complete_review, user=bali_secretariat)] == ["submit"]
    assert available_actions(review=complete_review, user=iom_user) == []


def test_every_transition_targets_a_known_status():
    assert {t.target for t in TRANSITIONS.values()} <= set(S.values)
    assert all(t.sources <= set(S.values) for t in TRANSITIONS.values())


# Every (action, from status, role) that the workflow allows; everything else must be refused.
ALLOWED = {
    ("submit", S.DRAFT, "own_secretariat"),
    ("submit", S.CHANGES_REQUESTED, "own_secretariat"),
    ("submit", S.REOPENED, "own_secretariat"),
    ("start_review", S.SUBMITTED, "iom"),
    ("start_review", S.SUBMITTED, "admin"),
    ("request_changes", S.SUBMITTED, "iom"),
    ("request_changes", S.SUBMITTED, "admin"),
    ("request_changes", S.IN_REVIEW, "iom"),
    ("request_changes", S.IN_REVIEW, "admin"),
    ("approve", S.SUBMITTED, "iom"),
    ("approve", S.SUBMITTED, "admin"),
    ("approve", S.IN_REVIEW, "iom"),
    ("approve", S.IN_REVIEW, "admin"),
    ("withdraw", S.SUBMITTED, "own_secretariat"),
    ("withdraw", S.IN_REVIEW, "own_secretariat"),
    ("withdraw", S.CHANGES_REQUESTED, "own_secretariat"),
    ("resume", S.WITHDRAWN, "own_secretariat"),
    ("reopen", S.APPROVED, "iom"),
    ("reopen", S.APPROVED, "admin"),
}
ROLES = ["own_secretariat", "other_secretariat", "iom", "admin", "focal_point"]
TARGETS = {
    "submit": S.SUBMITTED,
    "start_review": S.IN_REVIEW,
    "request_changes": S.CHANGES_REQUESTED,
    "approve": S.APPROVED,
    "withdraw": S.WITHDRAWN,
    "resume": S.DRAFT,
    "reopen": S.REOPENED,
}


def test_transition_table_matches_the_documented_workflow():
    assert {action: t.target for action, t in TRANSITIONS.items()} == TARGETS
    allowed_sources = {(action, status) for action, status, _role in ALLOWED}
    assert {(a, s) for a, t in TRANSITIONS.items() for s in t.sources} == allowed_sources


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(TARGETS))
def test_every_transition_is_allowed_or_refused_for_every_role(
    action, status, bali, bali_secretariat, midwa_secretariat, iom_user, admin_user, indonesia_focal_point
):
    from tests.factories import CommentFactory, review_in_status

    users = {
        "own_secretariat": bali_secretariat,
        "other_secretariat": midwa_secretariat,
        "iom": iom_user,
        "admin": admin_user,
        "focal_point": indonesia_focal_point,
    }
    for role in ROLES:
        review = review_in_status(status, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
        CommentFactory(review=review, author=iom_user)  # so "request changes" has its open comment
        steps_before = review.transitions.count()
        if (action, status, role) in ALLOWED:
            # Confirmed: this test is about who may; approving past open comments is tested below.
            record = review_transition(review=review, action=action, by=users[role], reason="Needed", confirmed=True)
            review.refresh_from_db()
            assert (role, review.status, record.from_status, record.to_status) == (
                role,
                TARGETS[action],
                status,
                TARGETS[action],
            )
        else:
            with pytest.raises(TransitionNotAllowed):
                review_transition(review=review, action=action, by=users[role], reason="Needed")
            review.refresh_from_db()
            assert (role, review.status, review.transitions.count()) == (role, status, steps_before)
        review.delete()


def test_unknown_action_is_refused(complete_review, iom_user):
    with pytest.raises(TransitionNotAllowed) as error:
        review_transition(review=complete_review, action="publish", by=iom_user)
    assert str(error.value) == "Unknown action."


def test_approve_twice_is_refused_and_changes_nothing(complete_review, bali_secretariat, iom_user):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    review_transition(review=complete_review, action="approve", by=iom_user)
    with pytest.raises(TransitionNotAllowed) as error:
        review_transition(review=complete_review, action="approve", by=iom_user)
    assert str(error.value) == "A review that is “Approved” cannot be changed with “Approve”."
    assert complete_review.transitions.count() == 2


def test_request_changes_without_open_comment_is_refused(complete_review, bali_secretariat, iom_user):
    from tests.factories import CommentFactory

    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    resolved = CommentFactory(review=complete_review, author=iom_user)
    resolved.resolved_at = resolved.created_at
    resolved.save()
    CommentFactory(review=complete_review, author=bali_secretariat, parent=resolved, body="Done.")
    with pytest.raises(TransitionRequirementsNotMet) as error:
        review_transition(review=complete_review, action="request_changes", by=iom_user)
    assert error.value.problems == ["Add at least one open comment saying what should change."]
    complete_review.refresh_from_db()
    assert complete_review.status == S.SUBMITTED


def test_transition_seals_the_submitted_version(complete_review, bali_secretariat):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    version = complete_review.versions.get()
    assert (version.number, version.sealed, version.status, version.created_by) == (
        1,
        True,
        S.SUBMITTED,
        bali_secretariat,
    )


# The POST endpoint behind the action buttons.


def test_transition_view_approves_for_iom(client, complete_review, bali_secretariat, iom_user):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    client.force_login(iom_user)
    asked = client.post(f"/reviews/{complete_review.pk}/transition/approve/")
    complete_review.refresh_from_db()
    assert (asked.status_code, asked.templates[0].name, complete_review.status) == (
        200,
        "reviews/workflow/confirm.html",
        S.SUBMITTED,
    )
    response = client.post(f"/reviews/{complete_review.pk}/transition/approve/", {"confirmed": "yes"})
    assert (response.status_code, response.url) == (302, f"/reviews/{complete_review.pk}/workflow/")
    complete_review.refresh_from_db()
    assert complete_review.status == S.APPROVED
    assert [str(m) for m in response.wsgi_request._messages] == ["Done: “Approve”."]


def test_transition_view_refuses_secretariat_approval_with_message(client, complete_review, bali_secretariat):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    client.force_login(bali_secretariat)
    response = client.post(f"/reviews/{complete_review.pk}/transition/approve/", follow=True)
    complete_review.refresh_from_db()
    assert complete_review.status == S.SUBMITTED
    assert [str(m) for m in response.context["messages"]] == ["You may not “Approve” this review."]


def test_transition_view_lists_problems(client, bali, bali_secretariat):
    review = ReviewFactory(mechanism=bali, key_messages="")
    client.force_login(bali_secretariat)
    response = client.post(f"/reviews/{review.pk}/transition/submit/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "“Submit to IOM” is not possible yet. Write the key messages to the IMRF. Choose the States that took "
        "part. Report progress on at least one GCM objective."
    ]


def test_transition_view_other_secretariat_forbidden(client, complete_review, midwa_secretariat):
    client.force_login(midwa_secretariat)
    response = client.post(f"/reviews/{complete_review.pk}/transition/submit/")
    assert response.status_code == 403
    complete_review.refresh_from_db()
    assert complete_review.status == S.DRAFT


def test_transition_view_get_not_allowed(client, complete_review, bali_secretariat):
    client.force_login(bali_secretariat)
    assert client.get(f"/reviews/{complete_review.pk}/transition/submit/").status_code == 405


def test_transition_view_needs_csrf(complete_review, bali_secretariat):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(bali_secretariat)
    assert client.post(f"/reviews/{complete_review.pk}/transition/submit/").status_code == 403
    complete_review.refresh_from_db()
    assert complete_review.status == S.DRAFT


# The workflow page


@pytest.fixture
def under_review(bali, bali_secretariat, iom_user):
    from tests.factories import CommentFactory, review_in_status

    review = review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    root = CommentFactory(review=review, author=iom_user, part="objective:6", body="Which year?")
    CommentFactory(review=review, author=bali_secretariat, parent=root, part="objective:6", body="2023.")
    CommentFactory(review=review, author=iom_user, part="objective:9", body="Not reported: why?")
    return review


def test_workflow_page_shows_comments_beside_their_part(client, under_review, bali_secretariat):
    client.force_login(bali_secretariat)
    response = client.get(f"/reviews/{under_review.pk}/workflow/")
    html = response.content.decode()
    section = html[html.index('id="comments-objective-6"') :]
    section = section[: section.index("</section>")]
    assert ("Which year?" in section, "2023." in section, "Not reported: why?" in section) == (True, True, False)
    assert response.context["commented_only_objectives"] == [9]
    assert [action for action, _ in response.context["actions"]] == ["withdraw"]
    assert response.context["open_comment_count"] == 2


def test_workflow_page_iom_sees_actions_and_comment_forms(client, under_review, iom_user):
    client.force_login(iom_user)
    response = client.get(f"/reviews/{under_review.pk}/workflow/")
    html = response.content.decode()
    assert [action for action, _ in response.context["actions"]] == ["start_review", "request_changes", "approve"]
    assert html.count('name="part" value="') == 4  # whole review, overview, objective 6, objective 9
    assert html.count("Mark resolved") == 2


def test_workflow_page_draft_hidden_from_iom_and_others(
    client, complete_review, iom_user, midwa_secretariat, indonesia_focal_point, admin_user
):
    for user, expected in [(iom_user, 403), (midwa_secretariat, 403), (indonesia_focal_point, 403), (admin_user, 200)]:
        client.force_login(user)
        assert (user.username, client.get(f"/reviews/{complete_review.pk}/workflow/").status_code) == (
            user.username,
            expected,
        )


def test_workflow_page_query_count(client, under_review, iom_user, django_assert_num_queries):
    from tests.factories import CommentFactory, ObjectiveReportFactory

    client.force_login(iom_user)
    # session, user, review, transitions, versions, reports, attachments, comments, replies,
    # the user's secretariat bindings
    with django_assert_num_queries(10):
        client.get(f"/reviews/{under_review.pk}/workflow/")
    from gcm.models import Objective

    for objective in Objective.objects.exclude(number=6):
        ObjectiveReportFactory(review=under_review, objective=objective)
        for _ in range(3):
            root = CommentFactory(review=under_review, author=iom_user, part=f"objective:{objective.number}")
            CommentFactory(review=under_review, author=iom_user, parent=root, part=root.part)
    with django_assert_num_queries(10):
        response = client.get(f"/reviews/{under_review.pk}/workflow/")
    assert response.context["open_comment_count"] == 2 + 66


def test_transition_view_reopen_needs_reason(client, bali, bali_secretariat, iom_user):
    from tests.factories import review_in_status

    review = review_in_status(S.APPROVED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    client.force_login(iom_user)
    refused = client.post(f"/reviews/{review.pk}/transition/reopen/", {"reason": " "}, follow=True)
    assert [str(m) for m in refused.context["messages"]] == ["A reason is required. Give a reason."]
    client.post(f"/reviews/{review.pk}/transition/reopen/", {"reason": "Table 2 has the wrong year."})
    review.refresh_from_db()
    assert (review.status, review.transitions.last().reason) == (S.REOPENED, "Table 2 has the wrong year.")


def test_transition_view_ignores_external_next(client, complete_review, bali_secretariat):
    client.force_login(bali_secretariat)
    asked = client.post(f"/reviews/{complete_review.pk}/transition/submit/", {"next": "https://evil.example.org/"})
    assert (asked.status_code, asked.context["next"]) == (200, "")
    response = client.post(
        f"/reviews/{complete_review.pk}/transition/submit/", {"next": "https://evil.example.org/", "confirmed": "yes"}
    )
    assert response.url == f"/reviews/{complete_review.pk}/workflow/"


def test_transition_view_unknown_action_changes_nothing(client, complete_review, bali_secretariat):
    client.force_login(bali_secretariat)
    response = client.post(f"/reviews/{complete_review.pk}/transition/publish/", follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Unknown action."]
    complete_review.refresh_from_db()
    assert (complete_review.status, complete_review.transitions.count()) == (S.DRAFT, 0)


# Approving while comments are open (issue 11, defect 8).

OPEN_COMMENTS_MESSAGE = (
    "Comments on this review are still open. Resolve them first, or approve anyway: they stay open and IOM can "
    "still resolve them after approval."
)


@pytest.fixture
def commented(complete_review, bali_secretariat, iom_user):
    review_transition(review=complete_review, action="submit", by=bali_secretariat)
    comment_add(review=complete_review, part="objective:6", body="Add the 2023 figures.", by=iom_user)
    comment_add(review=complete_review, part="overview", body="Name the States.", by=iom_user)
    return complete_review


def test_approve_with_open_comments_is_refused_listing_them(commented, iom_user):
    with pytest.raises(TransitionNeedsConfirmation) as error:
        review_transition(review=commented, action="approve", by=iom_user)
    assert (str(error.value), error.value.problems) == (
        OPEN_COMMENTS_MESSAGE,
        ["Objective 6: Add the 2023 figures.", "Overview: Name the States."],
    )
    commented.refresh_from_db()
    assert (commented.status, commented.transitions.count()) == (S.SUBMITTED, 1)


def test_approve_anyway_is_recorded_on_the_transition(commented, iom_user):
    record = review_transition(review=commented, action="approve", by=iom_user, confirmed=True)
    commented.refresh_from_db()
    assert (commented.status, record.confirmed_problems) == (
        S.APPROVED,
        ["Objective 6: Add the 2023 figures.", "Overview: Name the States."],
    )


def test_approve_without_open_comments_needs_no_confirmation(commented, iom_user):
    for comment in commented.comments.all():
        comment_resolve(comment=comment, by=iom_user)
    record = review_transition(review=commented, action="approve", by=iom_user)
    assert (record.to_status, record.confirmed_problems) == (S.APPROVED, [])


def test_comments_left_open_are_resolvable_after_approval_by_iom_only(commented, iom_user, bali_secretariat):
    review_transition(review=commented, action="approve", by=iom_user, confirmed=True)
    first, second = commented.comments.order_by("pk")
    with pytest.raises(CommentNotAllowed):
        comment_resolve(comment=first, by=bali_secretariat)
    resolved = comment_resolve(comment=first, by=iom_user)
    commented.refresh_from_db()
    assert (resolved.resolved_by, iom_user.has_perm("reviews.resolve_review_comment", commented)) == (iom_user, True)
    with pytest.raises(CommentNotAllowed):
        comment_add(review=commented, part="overview", body="One more thing.", by=iom_user)


def test_transition_view_asks_to_confirm_approval_with_the_open_comments(client, commented, iom_user):
    client.force_login(iom_user)
    url = f"/reviews/{commented.pk}/transition/approve/"
    response = client.post(url, {"next": f"/reviews/{commented.pk}/"})
    assert (response.status_code, response.templates[0].name) == (409, "reviews/workflow/confirm.html")
    assert (str(response.context["transition"].confirm_message), response.context["to_confirm"]) == (
        OPEN_COMMENTS_MESSAGE,
        ["Objective 6: Add the 2023 figures.", "Overview: Name the States."],
    )
    commented.refresh_from_db()
    assert commented.status == S.SUBMITTED
    confirmed = client.post(url, {"next": f"/reviews/{commented.pk}/", "confirmed": "yes"})
    assert (confirmed.status_code, confirmed.url) == (302, f"/reviews/{commented.pk}/")
    commented.refresh_from_db()
    assert commented.status == S.APPROVED


def test_workflow_page_history_says_approval_was_confirmed_with_open_comments(client, commented, iom_user):
    review_transition(review=commented, action="approve", by=iom_user, confirmed=True)
    client.force_login(iom_user)
    body = client.get(f"/reviews/{commented.pk}/workflow/").content.decode()
    assert body.count('data-confirmed-problems="2"') == 1
    assert body.count("Confirmed with 2 comments open") == 1
    assert body.count("Mark resolved") == 2


def test_dashboards_stop_counting_comments_resolved_after_approval(client, commented, iom_user, bali_secretariat):
    review_transition(review=commented, action="approve", by=iom_user, confirmed=True)
    client.force_login(iom_user)

    def open_comments():
        rows = client.get("/reviews/iom/", {"cycle": commented.cycle.slug}).context["rows"]
        return [(row.status, row.open_comments) for row in rows if row.mechanism.pk == commented.mechanism_id]

    assert open_comments() == [(S.APPROVED, 2)]
    for comment in commented.comments.all():
        client.post(f"/reviews/comments/{comment.pk}/resolve/")
    assert open_comments() == [(S.APPROVED, 0)]
