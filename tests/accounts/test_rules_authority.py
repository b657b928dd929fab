"""The rules answer every permission they declare, for superusers too (accounts.models.User.has_perm)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from reviews.enums import ReviewStatus as S
from tests.factories import PledgeFactory, ReviewCycleFactory, review_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(bali, bali_secretariat, iom_user):
    return review_in_status(S.APPROVED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)


def test_superuser_gets_from_a_rule_what_it_says_about_administrators(admin_user, approved, bali):
    answers = {
        perm: admin_user.has_perm(perm, obj)
        for perm, obj in [
            ("reviews.view_review", approved),
            ("reviews.view_review_workflow", approved),
            ("reviews.change_review", approved),
            ("reviews.add_review", bali),
            ("reviews.manage_attachments", approved),
            ("reviews.view_focal_point_dashboard", None),
            ("reviews.manage_cycles", None),
        ]
    }
    assert answers == {
        "reviews.view_review": True,
        "reviews.view_review_workflow": True,
        "reviews.change_review": False,
        "reviews.add_review": False,
        "reviews.manage_attachments": False,
        "reviews.view_focal_point_dashboard": False,
        "reviews.manage_cycles": True,
    }


def test_permissions_no_rule_declares_keep_djangos_answer(admin_user, iom_user):
    assert [admin_user.has_perm("reviews.delete_review"), iom_user.has_perm("reviews.delete_review")] == [True, False]
    assert admin_user.has_perm("auth.change_group") is True


def test_inactive_superuser_has_no_rule_permission(admin_user, approved):
    admin_user.is_active = False
    assert [admin_user.has_perm("reviews.view_review_workflow", approved), admin_user.has_perm("auth.view_group")] == [
        False,
        False,
    ]


def test_superuser_review_pages_follow_the_rules(client, admin_user, approved, bali):
    client.force_login(admin_user)
    detail = client.get(approved.get_absolute_url())
    assert (detail.status_code, detail.context["can_edit"], detail.context["follows_workflow"]) == (200, False, True)
    cycle = ReviewCycleFactory(review_year=2034)
    start = client.post(reverse("reviews:review_start", kwargs={"cycle": cycle.slug, "mechanism": bali.slug}))
    assert start.status_code == 403


def test_django_admin_changelists_open_for_the_superuser(client, admin_user, approved):
    PledgeFactory()
    client.force_login(admin_user)
    answers = {
        f"{model._meta.app_label}.{model._meta.model_name}": client.get(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        ).status_code
        for model in admin.site._registry
    }
    assert {name for name, status in answers.items() if status != 200} == set()
    assert {"reviews.review", "pledges.pledge", "mechanisms.mechanism", "accounts.user", "axes.accessattempt"} <= set(
        answers
    )


def test_django_admin_shows_reviews_read_only_and_edits_other_models(client, admin_user, approved, bali):
    client.force_login(admin_user)
    review_page = client.get(reverse("admin:reviews_review_change", args=[approved.pk]))
    report = approved.objective_reports.get()
    report_page = client.get(reverse("admin:reviews_objectivereport_change", args=[report.pk]))
    mechanism_page = client.get(reverse("admin:mechanisms_mechanism_change", args=[bali.pk]))
    assert [
        (page.status_code, page.context["has_change_permission"]) for page in (review_page, report_page, mechanism_page)
    ] == [(200, False), (200, False), (200, True)]
    assert client.get(reverse("admin:reviews_review_add")).status_code == 403
