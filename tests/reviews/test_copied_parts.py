"""After "Start from last cycle" every copied part says so and is not ready until checked or edited."""

import re

import pytest
from django.urls import reverse

from gcm.models import Objective
from reviews.completeness import review_completeness
from reviews.models import Review
from reviews.services import objective_report_save, review_overview_update, review_start_from_previous
from reviews.workflow import review_transition
from tests.factories import ReviewCycleFactory, complete_review_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def copied(bali, bali_secretariat, iom_user):
    previous = complete_review_create(mechanism=bali, cycle=ReviewCycleFactory(review_year=2020), objectives=(6, 10))
    review_transition(review=previous, action="submit", by=bali_secretariat)
    review_transition(review=previous, action="approve", by=iom_user, confirmed=True)
    review = review_start_from_previous(mechanism=bali, cycle=ReviewCycleFactory(review_year=2024), by=bali_secretariat)
    return Review.objects.get(pk=review.pk)


def _problems(review):
    return [(p.message, p.anchor) for p in review_completeness(Review.objects.get(pk=review.pk)).problems]


def test_every_copied_part_is_not_ready_until_checked(copied):
    assert copied.overview_copy_unchecked is True
    assert sorted(copied.objective_reports.values_list("objective__number", "copy_unchecked")) == [
        (6, True),
        (10, True),
    ]
    assert _problems(copied) == [
        (
            "Overview: copied from 2020 regional reviews. Check it: edit it, or confirm it is still right.",
            "overview-copied",
        ),
        (
            "Objective 6: copied from 2020 regional reviews. Check it: edit it, or confirm it is still right.",
            "objective-6-copied",
        ),
        (
            "Objective 10: copied from 2020 regional reviews. Check it: edit it, or confirm it is still right.",
            "objective-10-copied",
        ),
    ]


def test_checked_keep_it_clears_the_part_and_keeps_its_text(client, copied, bali_secretariat):
    client.force_login(bali_secretariat)
    before = copied.objective_reports.get(objective__number=6).progress
    url = reverse("reviews:copied_part_confirm", kwargs={"pk": copied.pk, "part": "objective:6"})
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(reverse("reviews:review_edit_objective", args=[copied.pk, 6]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["Kept as it is: this part counts as checked."]
    report = copied.objective_reports.get(objective__number=6)
    assert (report.copy_unchecked, report.progress) == (False, before)
    again = client.post(url, follow=True)
    assert [str(m) for m in again.context["messages"]] == ["This part has nothing copied left to check."]
    client.post(reverse("reviews:copied_part_confirm", kwargs={"pk": copied.pk, "part": "overview"}))
    assert [anchor for _message, anchor in _problems(copied)] == ["objective-10-copied"]


def test_editing_a_copied_part_checks_it(copied, bali_secretariat):
    objective_report_save(
        review=copied,
        objective=Objective.objects.get(number=10),
        data={"progress": "Updated for 2024."},
        loaded_revision=1,
        by=bali_secretariat,
    )
    review_overview_update(
        review=copied,
        data={"method": "Asked again in 2024.", "key_messages": copied.key_messages},
        meetings=[],
        loaded_revision=copied.revision,
        by=bali_secretariat,
    )
    assert [anchor for _message, anchor in _problems(copied)] == ["objective-6-copied"]


def test_editor_marks_copied_parts_beside_the_part_and_in_the_chips(client, copied, bali_secretariat):
    client.force_login(bali_secretariat)
    page = client.get(reverse("reviews:review_edit_objective", args=[copied.pk, 6])).content.decode()
    banner = re.search(r'data-testid="copied-part">\s*<p[^>]*>(.*?)<span', page, re.S)[1]
    assert " ".join(re.sub(r"<[^>]+>", "", banner).split()) == "Copied from 2020 regional reviews: check it."
    chips = re.findall(r'class="objective-chip([^"]*)"[^>]*data-testid="objective-chip-(\d+)"', page)
    assert [number for classes, number in chips if "is-copied" in classes] == ["6", "10"]
    overview_badge = re.search(r'data-testid="overview-copied">([^<]+)<', page)[1]
    assert overview_badge == "copied from 2020 regional reviews, check it"
    check = client.get(reverse("reviews:review_check", args=[copied.pk])).content.decode()
    assert check.count("copied from 2020 regional reviews. Check it") == 3
    assert 'data-testid="submit-blocked"' in check


def test_a_review_not_copied_has_no_marks(client, bali, bali_secretariat):
    review = complete_review_create(mechanism=bali)
    client.force_login(bali_secretariat)
    page = client.get(reverse("reviews:review_edit_objective", args=[review.pk, 6])).content.decode()
    assert (page.count("is-copied"), page.count('data-testid="copied-part"')) == (0, 0)
    response = client.post(reverse("reviews:copied_part_confirm", kwargs={"pk": review.pk, "part": "objective:99"}))
    assert response.url == reverse("reviews:review_edit_overview", args=[review.pk])
