"""An approved review is read-only for everyone until IOM reopens it: its own secretariat, IOM staff and
site administrators (to whom Django's ModelBackend grants every permission) alike. The views refuse, and
the edit services themselves refuse any non-editable status with a domain error, whoever asks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gcm.models import Objective
from reviews import services
from reviews.enums import ReviewStatus as S
from reviews.exceptions import ReviewNotEditable
from reviews.models import Attachment, Review, ReviewVersion
from tests.factories import review_in_status
from tests.reviews.test_views import overview_data

pytestmark = pytest.mark.django_db

CSV = b"country,migrants\nGhana,465000\n"


@pytest.fixture
def approved(bali, bali_secretariat, iom_user):
    review = review_in_status(S.DRAFT, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    services.attachment_add(
        review=review, upload=SimpleUploadedFile("figures.csv", CSV), description="Figures", by=bali_secretariat
    )
    from reviews.workflow import review_transition

    review_transition(review=review, action="submit", by=bali_secretariat)
    review_transition(review=review, action="approve", by=iom_user)
    review.refresh_from_db()
    assert review.status == S.APPROVED
    return review


def snapshot(review):
    review = Review.objects.get(pk=review.pk)
    return {
        "review": (review.status, review.revision, review.method, review.key_messages, review.updated_at),
        "reports": list(
            review.objective_reports.order_by("objective__number").values_list(
                "objective__number", "progress", "revision"
            )
        ),
        "attachments": list(Attachment.objects.filter(review=review).values_list("pk", "original_name")),
        "meetings": review.meetings.count(),
        "versions": ReviewVersion.objects.filter(review=review).count(),
    }


def objective_data(number=6, **changes):
    return {"progress": "Overwritten.", "revision": "1", **changes}


def edit_requests(review):
    attachment = review.attachments.get()
    pk = review.pk
    return {
        "overview": (reverse("reviews:review_edit_overview", kwargs={"pk": pk}), overview_data(review, method="X"), {}),
        "overview autosave": (
            reverse("reviews:review_edit_overview", kwargs={"pk": pk}),
            overview_data(review, method="X"),
            {"HX-Request": "true"},
        ),
        "objective": (reverse("reviews:review_edit_objective", kwargs={"pk": pk, "number": 6}), objective_data(), {}),
        "objective autosave": (
            reverse("reviews:review_edit_objective", kwargs={"pk": pk, "number": 6}),
            objective_data(),
            {"HX-Request": "true"},
        ),
        "new objective": (
            reverse("reviews:review_edit_objective", kwargs={"pk": pk, "number": 2}),
            objective_data(revision="0"),
            {},
        ),
        "attachment upload": (
            reverse("reviews:review_attachments", kwargs={"pk": pk}),
            {"file": SimpleUploadedFile("more.csv", CSV), "description": "More"},
            {},
        ),
        "attachment delete": (
            reverse("reviews:attachment_delete", kwargs={"pk": pk, "attachment_pk": attachment.pk}),
            {},
            {},
        ),
        "final check (submit)": (reverse("reviews:review_check", kwargs={"pk": pk}), {}, {}),
    }


@pytest.mark.parametrize("role", ["bali_secretariat", "iom_user", "admin_user"])
@pytest.mark.parametrize(
    "request_name",
    [
        "overview",
        "overview autosave",
        "objective",
        "objective autosave",
        "new objective",
        "attachment upload",
        "attachment delete",
        "final check (submit)",
    ],
)
def test_approved_review_edit_posts_are_refused_and_change_nothing(client, approved, request, role, request_name):
    user = request.getfixturevalue(role)
    before = snapshot(approved)
    url, data, headers = edit_requests(approved)[request_name]
    client.force_login(user)
    response = client.post(url, data, headers=headers)
    # Refused: sent back to the reading page with a message, or the autosave says it was not saved.
    if headers:
        body = response.content.decode()
        assert (response.status_code, "Draft saved automatically" in body, "not change it now" in body) == (
            200,
            False,
            True,
        )
    elif request_name == "attachment delete" and role != "bali_secretariat":
        assert response.status_code == 403  # only the secretariat removes its files, in any status
    else:
        assert (response.status_code, response.url) == (302, approved.get_absolute_url())
    assert snapshot(approved) == before


@pytest.mark.parametrize("role", ["bali_secretariat", "iom_user", "admin_user"])
def test_approved_review_edit_pages_send_everyone_back_to_reading(client, approved, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("reviews:review_edit_objective", kwargs={"pk": approved.pk, "number": 6}))
    assert (response.status_code, response.url) == (302, approved.get_absolute_url())


def test_superuser_has_perm_follows_the_rule(approved, admin_user):
    from reviews.rules import can_change_review

    # The rules answer for superusers too (accounts.models.User.has_perm): nobody edits an approved review.
    assert (admin_user.has_perm("reviews.change_review", approved), can_change_review(admin_user, approved)) == (
        False,
        False,
    )


@pytest.mark.parametrize("role", ["bali_secretariat", "iom_user", "admin_user"])
def test_edit_services_refuse_an_approved_review_whoever_asks(approved, request, role):
    user = request.getfixturevalue(role)
    before = snapshot(approved)
    objective = Objective.objects.get(number=6)
    attempts = {
        "overview": lambda: services.review_overview_update(
            review=approved, data={"method": "X"}, meetings=[], loaded_revision=approved.revision, by=user
        ),
        "objective": lambda: services.objective_report_save(
            review=approved, objective=objective, data={"progress": "X"}, loaded_revision=1, by=user
        ),
        "upload": lambda: services.attachment_add(
            review=approved, upload=SimpleUploadedFile("more.csv", CSV), description="More", by=user
        ),
        "delete": lambda: services.attachment_delete(attachment=approved.attachments.get(), by=user),
    }
    refused = {}
    for name, attempt in attempts.items():
        with pytest.raises(ReviewNotEditable) as error:
            attempt()
        refused[name] = str(error.value)
    assert set(refused.values()) == {"This review is “Approved”, so its content cannot be changed now."}
    assert snapshot(approved) == before


def test_reopened_review_is_editable_again_by_its_secretariat(client, approved, bali_secretariat, iom_user):
    from reviews.workflow import review_transition

    review_transition(review=approved, action="reopen", by=iom_user, reason="Figures changed")
    client.force_login(bali_secretariat)
    url = reverse("reviews:review_edit_objective", kwargs={"pk": approved.pk, "number": 6})
    response = client.post(url, objective_data(progress="Updated after reopening."))
    assert response.status_code == 302
    assert approved.objective_reports.get().progress == "Updated after reopening."
