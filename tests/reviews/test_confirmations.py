"""Steps that are hard to undo ask once, saying what will happen; a request for changes takes a cover note."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from reviews.enums import ReviewStatus as S
from reviews.models import ReviewTransition
from reviews.workflow import REASON_MAX_CHARS, review_transition
from tests.factories import (
    CommentFactory,
    ReviewCycleFactory,
    ReviewFactory,
    complete_review_create,
    review_in_status,
)

pytestmark = pytest.mark.django_db

SUBMIT_SAYS = (
    "IOM is told by e-mail and starts reviewing it. From then on the review is frozen: you cannot change it until "
    "IOM asks for changes, or until you withdraw it."
)
REQUEST_CHANGES_SAYS = (
    "The review goes back to the secretariat, who can edit it again. They get an e-mail listing the open comments "
    "below, with your note if you write one. You cannot comment or approve until they resubmit."
)
APPROVE_SAYS = (
    "The review becomes public in the directory and the practice library, goes into the IMRF packages of its cycle, "
    "and the secretariat is told by e-mail. Only reopening it, with a reason, undoes this."
)


def _text(response, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', response.content.decode(), re.S)
    return " ".join(match[1].split()) if match else ""


@pytest.mark.parametrize(
    ("status", "action", "who", "says", "button"),
    [
        (S.DRAFT, "submit", "secretariat", SUBMIT_SAYS, "Yes, submit to IOM"),
        (S.SUBMITTED, "request_changes", "iom", REQUEST_CHANGES_SAYS, "Yes, send it back"),
        (S.IN_REVIEW, "approve", "iom", APPROVE_SAYS, "Yes, approve"),
    ],
)
def test_hard_step_asks_once_and_changes_nothing_until_confirmed(
    client, bali, bali_secretariat, iom_user, status, action, who, says, button
):
    review = review_in_status(status, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    if action == "request_changes":
        CommentFactory(review=review, author=iom_user, part="overview", body="Name the States that answered.")
    client.force_login(bali_secretariat if who == "secretariat" else iom_user)
    url = reverse("reviews:review_transition", kwargs={"pk": review.pk, "action": action})
    asked = client.post(url, {"next": review.get_absolute_url()})
    review.refresh_from_db()
    assert (asked.status_code, review.status, review.transitions.filter(action=action).count()) == (200, status, 0)
    assert (_text(asked, "what-happens"), _text(asked, "confirm-go")) == (says, button)
    done = client.post(url, {"next": review.get_absolute_url(), "confirmed": "yes"})
    review.refresh_from_db()
    assert (done.status_code, done.url, review.transitions.filter(action=action).count()) == (
        302,
        review.get_absolute_url(),
        1,
    )


def test_request_changes_asks_with_the_open_comments_and_sends_the_note(
    client, bali, bali_secretariat, iom_user, django_capture_on_commit_callbacks
):
    review = review_in_status(S.IN_REVIEW, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    CommentFactory(review=review, author=iom_user, part="objective:6", body="Add the 2023 figures.")
    client.force_login(iom_user)
    url = reverse("reviews:review_transition", kwargs={"pk": review.pk, "action": "request_changes"})
    asked = client.post(url)
    assert re.findall(r"<li>(.*?)</li>", asked.content.decode().split('data-testid="open-comments"')[1])[:1] == [
        "Objective 6: Add the 2023 figures."
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirmed": "yes", "reason": "  Thank you, nearly there: two small points.  "})
    step = ReviewTransition.objects.get(review=review, action="request_changes")
    assert step.reason == "Thank you, nearly there: two small points."
    (sent,) = mail.outbox
    assert sent.body == (
        f"IOM asked for changes to the regional review of Bali Process for {review.cycle.name}.\n\n"
        f"A note from {iom_user.get_full_name() or iom_user.username}:\nThank you, nearly there: two small points.\n\n"
        "Open comments:\n- Objective 6: Add the 2023 figures.\n\n"
        f"See the comments beside each part and resubmit: http://127.0.0.1:8000/reviews/{review.pk}/\n"
    )


def test_request_changes_with_a_note_too_long_keeps_it_and_changes_nothing(client, bali, bali_secretariat, iom_user):
    review = review_in_status(S.IN_REVIEW, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    CommentFactory(review=review, author=iom_user)
    client.force_login(iom_user)
    note = "x" * (REASON_MAX_CHARS + 1)
    url = reverse("reviews:review_transition", kwargs={"pk": review.pk, "action": "request_changes"})
    response = client.post(url, {"confirmed": "yes", "reason": note})
    review.refresh_from_db()
    assert (response.status_code, review.status, response.context["note"]) == (400, S.IN_REVIEW, note)
    assert _text(response, "confirm-error") == "Keep it under 2000 characters (it has 2001)."


def test_a_step_without_a_reason_keeps_none(bali, bali_secretariat, iom_user):
    review = review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    step = review_transition(review=review, action="approve", by=iom_user, reason="ignored")
    assert step.reason == ""


def test_final_check_disables_submit_with_the_reason_while_problems_block_it(client, bali, bali_secretariat):
    blocked = ReviewFactory(mechanism=bali, key_messages="")
    client.force_login(bali_secretariat)
    page = client.get(reverse("reviews:review_check", kwargs={"pk": blocked.pk})).content.decode()
    button = re.search(r'<button type="submit"[^>]*data-testid="submit-review"', page)[0]
    assert (" disabled" in button, 'aria-describedby="submit-blocked"' in button) == (True, True)
    assert _text_of(page, "submit-blocked") == "You can submit once the 3 problems listed above are fixed."
    # The server refuses anyway.
    refused = client.post(reverse("reviews:review_check", kwargs={"pk": blocked.pk}), {"confirmed": "yes"})
    blocked.refresh_from_db()
    assert (refused.status_code, blocked.status) == (400, S.DRAFT)

    ready = complete_review_create(mechanism=bali, cycle=ReviewCycleFactory(review_year=2028))
    page = client.get(reverse("reviews:review_check", kwargs={"pk": ready.pk})).content.decode()
    button = re.search(r'<button type="submit"[^>]*data-testid="submit-review"', page)[0]
    assert (" disabled" in button, 'data-testid="submit-blocked"' in page) == (False, False)


def _text_of(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', page, re.S)
    return " ".join(match[1].split())


def test_workflow_actions_send_submission_through_the_final_check(client, bali, bali_secretariat):
    review = complete_review_create(mechanism=bali)
    client.force_login(bali_secretariat)
    page = client.get(reverse("reviews:review_workflow", kwargs={"pk": review.pk})).content.decode()
    links = re.findall(r'<a class="btn btn-sm btn-success workflow-action" data-action="submit" href="([^"]+)">', page)
    assert links == [reverse("reviews:review_check", kwargs={"pk": review.pk})]


def test_sent_back_review_opens_with_the_open_comments_each_linking_to_its_part(
    client, bali, bali_secretariat, iom_user
):
    review = review_in_status(S.IN_REVIEW, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    on_objective = CommentFactory(review=review, author=iom_user, part="objective:6", body="Add the 2023 figures.")
    on_overview = CommentFactory(review=review, author=iom_user, part="overview", body="Name the States.")
    unreported = CommentFactory(review=review, author=iom_user, part="objective:9", body="Say something on 9.")
    resolved = CommentFactory(review=review, author=iom_user, part="review", body="Done already.")
    resolved.resolved_at, resolved.resolved_by = resolved.created_at, iom_user
    resolved.save()
    review_transition(review=review, action="request_changes", by=iom_user, reason="Two small points.")
    client.force_login(bali_secretariat)
    page = client.get(review.get_absolute_url()).content.decode()
    summary = page.split('data-testid="changes-requested"')[1].split("</section>")[0]
    assert _text_of(summary.join(['<x data-testid="s">', "</x>"]), "cover-note") == "Two small points."
    items = re.findall(r'<li><a class="alert-link" href="([^"]*)">([^<]+)</a>: ([^<]+)</li>', summary)
    assert items == [
        (f"#comment-{on_overview.pk}", "Overview", "Name the States."),
        (f"#comment-{on_objective.pk}", "Objective 6", "Add the 2023 figures."),
        (
            reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 9})
            + f"#comment-{unreported.pk}",
            "Objective 9",
            "Say something on 9.",
        ),
    ]
    # Each link lands on the comment itself.
    assert (f'id="comment-{on_overview.pk}"' in page, f'id="comment-{on_objective.pk}"' in page) == (True, True)


def test_summary_is_only_on_a_review_sent_back(client, bali, bali_secretariat, iom_user):
    review = review_in_status(S.IN_REVIEW, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    CommentFactory(review=review, author=iom_user)
    client.force_login(bali_secretariat)
    assert 'data-testid="changes-requested"' not in client.get(review.get_absolute_url()).content.decode()
