import pytest

from reviews.compare import default_pair, version_diff, words_diff
from reviews.enums import ReviewStatus as S
from reviews.models import ObjectiveReport
from reviews.versions import review_version_record
from reviews.workflow import review_transition
from tests.factories import CommentFactory, complete_review

pytestmark = pytest.mark.django_db


def test_words_diff_marks_removed_and_added_words():
    assert words_diff("Two consultations held.", "Three consultations held in 2023.") == (
        "<del>Two</del> consultations held.",
        "<ins>Three</ins> consultations held<ins> in 2023</ins>.",
    )


def test_words_diff_escapes_user_text():
    assert words_diff("old", "<script>") == ("<del>old</del>", "<ins>&lt;script&gt;</ins>")


def test_words_diff_identical_text_has_no_marks():
    assert words_diff("Same & text", "Same & text") == ("Same &amp; text", "Same &amp; text")


def test_version_diff_sections_and_changed_rows():
    old = {"method": "A survey.", "participating_states": ["AUS"], "objectives": {"6": {"progress": "Old."}}}
    new = {
        "method": "A survey.",
        "participating_states": ["AUS", "IDN"],
        "objectives": {"6": {"progress": "New."}, "10": {"progress": "Added."}},
    }
    sections = version_diff(old, new, {6: "Fair recruitment", 10: "Trafficking"})
    changed = {s.title: [(r.label, r.left, r.right) for r in s.rows if r.changed] for s in sections}
    assert changed == {
        "Overview": [("States that took part", "AUS", "AUS<ins>, IDN</ins>")],
        "Objective 6: Fair recruitment": [("Progress made", "<del>Old</del>.", "<ins>New</ins>.")],
        "Objective 10: Trafficking": [("Progress made", "", "<ins>Added.</ins>")],
    }


@pytest.fixture
def resubmitted(bali, bali_secretariat, iom_user):
    """Submitted, sent back with a comment on objective 6, edited twice, resubmitted."""
    review = complete_review(bali)
    review_transition(review=review, action="submit", by=bali_secretariat)
    CommentFactory(review=review, author=iom_user, part="objective:6", body="Figures?")
    review_transition(review=review, action="request_changes", by=iom_user)
    ObjectiveReport.objects.filter(review=review).update(progress="Member States adopted a framework in 2023.")
    review_version_record(review=review, by=bali_secretariat)
    review_transition(review=review, action="submit", by=bali_secretariat)
    return review


def test_default_pair_is_last_submission_before_changes_and_latest(resubmitted):
    versions = list(resubmitted.versions.order_by("number"))
    old, new = default_pair(versions)
    assert [(v.number, v.status, v.sealed) for v in versions] == [(1, S.SUBMITTED, True), (2, S.SUBMITTED, True)]
    assert (old.number, new.number) == (1, 2)


def test_default_pair_single_version_compares_with_itself(bali, bali_secretariat):
    review = complete_review(bali)
    version = review_version_record(review=review, by=bali_secretariat)
    assert default_pair([version]) == (version, version)
    assert default_pair([]) == (None, None)


def test_compare_view_defaults_and_highlights(client, resubmitted, iom_user):
    client.force_login(iom_user)
    response = client.get(f"/reviews/{resubmitted.pk}/compare/")
    assert (response.status_code, response.context["old"].number, response.context["new"].number) == (200, 1, 2)
    html = response.content.decode()
    assert (
        '<td class="diff-text diff-old" lang="en">Member States adopted a <del>regional </del>framework '
        "<del>on fair recruitment</del>.</td>"
    ) in html
    assert '<td class="diff-text diff-new" lang="en">Member States adopted a framework <ins>in 2023</ins>.</td>' in html


def test_compare_view_chosen_versions(client, resubmitted, bali_secretariat):
    client.force_login(bali_secretariat)
    response = client.get(f"/reviews/{resubmitted.pk}/compare/?a=2&b=1")
    assert (response.context["old"].number, response.context["new"].number) == (2, 1)


@pytest.mark.parametrize("query", ["?a=9", "?b=x", "?a=-1"])
def test_compare_view_unknown_version_404(client, resubmitted, iom_user, query):
    client.force_login(iom_user)
    assert client.get(f"/reviews/{resubmitted.pk}/compare/{query}").status_code == 404


def test_compare_view_other_secretariat_forbidden(client, resubmitted, midwa_secretariat):
    client.force_login(midwa_secretariat)
    assert client.get(f"/reviews/{resubmitted.pk}/compare/").status_code == 403


def test_compare_view_query_count(client, resubmitted, bali_secretariat, iom_user, django_assert_num_queries):
    client.force_login(iom_user)
    # session, user, review, versions, objective titles, the user's secretariat bindings
    with django_assert_num_queries(6):
        client.get(f"/reviews/{resubmitted.pk}/compare/")
    for number in range(3, 30):
        ObjectiveReport.objects.filter(review=resubmitted).update(progress=f"Edit {number}.")
        review_version_record(review=resubmitted, by=bali_secretariat, seal=True)
    assert resubmitted.versions.count() == 29
    with django_assert_num_queries(6):
        client.get(f"/reviews/{resubmitted.pk}/compare/?a=1&b=29")
