import pytest
from django.contrib.auth.models import AnonymousUser

from gcm.models import Objective
from library import selectors
from library.selectors import SearchFilters
from mechanisms.models import Mechanism, Region
from reviews.enums import ReviewStatus
from tests.factories import ReviewCycleFactory

NO_TEXT = {"good_practices": "", "challenges": "", "recommendations": ""}


def _filters(q="", **facets):
    return SearchFilters(q=q, **facets)


def _titles(user, filters):
    return [practice.title for practice in selectors.practice_results(user, filters)]


def test_search_title_match_ranks_above_a_single_mention(make_report):
    make_report(
        slug="midwa",
        good_practices="A labour mobility scheme opened new corridors; it covers remittances for seasonal workers.",
        **{k: v for k, v in NO_TEXT.items() if k != "good_practices"},
    )
    make_report(
        slug="colombo-process",
        good_practices="**Remittances through digital channels.** Transfer costs of remittances fell by a third.",
        **{k: v for k, v in NO_TEXT.items() if k != "good_practices"},
    )
    titles = _titles(AnonymousUser(), _filters("remittances"))
    assert titles == [
        "Remittances through digital channels",
        "A labour mobility scheme opened new corridors; it covers remittances for seasonal workers",
    ]


def test_search_requires_every_word_and_finds_every_region(make_report):
    make_report(slug="bali-process")
    make_report(slug="rmfm")
    make_report(slug="prague-process", good_practices="Skills partnerships grew.", challenges="", recommendations="")
    practices = list(selectors.practice_results(AnonymousUser(), _filters("ethical recruitment")))
    assert sorted({practice.mechanism.acronym for practice in practices}) == ["Bali Process", "RMFM"]
    assert {practice.title for practice in practices} == {"Ethical recruitment standards"}


def test_search_highlights_matches_and_escapes_the_rest(make_report):
    make_report(
        good_practices="<script>alert(1)</script> Ethical recruitment & fair fees for <b>migrant</b> workers.",
        challenges="",
        recommendations="",
    )
    filters = _filters("recruitment")
    [practice] = list(selectors.practice_results(AnonymousUser(), filters))
    selectors.decorate_practices([practice], filters)
    assert "<script>" not in practice.snippet_html
    assert "<b>" not in practice.snippet_html
    assert "<mark>recruitment</mark>" in practice.snippet_html.lower()
    assert "&amp; fair fees" in practice.snippet_html


def test_facets_narrow_practices(make_report):
    make_report(slug="bali-process", number=6, year=2024)
    make_report(
        slug="bali-process",
        number=10,
        year=2024,
        good_practices="Trafficking task force.",
        challenges="",
        recommendations="",
    )
    make_report(slug="midwa", number=6, year=2022)
    anonymous = AnonymousUser()
    objective_10 = Objective.objects.get(number=10)
    assert _titles(anonymous, _filters(objective=objective_10)) == ["Trafficking task force"]
    africa = Region.objects.get(name="Africa")
    assert {p.mechanism.acronym for p in selectors.practice_results(anonymous, _filters(region=africa))} == {"MIDWA"}
    midwa = Mechanism.objects.get(slug="midwa")
    assert selectors.practice_results(anonymous, _filters(mechanism=midwa)).count() == 5
    cycle_2022 = ReviewCycleFactory(review_year=2022)
    assert selectors.practice_results(anonymous, _filters(cycle=cycle_2022)).count() == 5
    assert selectors.practice_results(anonymous, _filters(kind="challenge")).count() == 2
    assert _titles(anonymous, _filters("recruitment", objective=objective_10, kind="good_practice")) == []
    assert selectors.practice_results(anonymous, _filters("fees", region=africa, kind="recommendation")).count() == 1


def test_public_sees_only_approved_reviews_and_iom_everything_submitted(make_report, iom_user, indonesia_focal_point):
    make_report(slug="bali-process")
    make_report(slug="midwa", status=ReviewStatus.IN_REVIEW)
    make_report(slug="rmfm", status=ReviewStatus.DRAFT)
    for public in (AnonymousUser(), indonesia_focal_point):
        practices = selectors.practice_results(public, _filters("recruitment"))
        assert {p.mechanism.acronym for p in practices} == {"Bali Process"}
        assert selectors.review_results(public, _filters()).count() == 1
    practices = selectors.practice_results(iom_user, _filters("recruitment"))
    # A draft stays the secretariat's own, even for IOM (the reviews app's reading rule).
    assert {p.mechanism.acronym for p in practices} == {"Bali Process", "MIDWA"}
    assert selectors.review_results(iom_user, _filters()).count() == 2


def test_a_reopened_review_disappears_from_public_results_at_once(make_report):
    report = make_report()
    report.review.status = ReviewStatus.REOPENED
    report.review.save()
    assert selectors.practice_results(AnonymousUser(), _filters("recruitment")).count() == 0


def test_review_results_match_key_messages_and_filter_by_objective(make_report):
    make_report(slug="bali-process", number=6)
    make_report(slug="midwa", number=20)
    anonymous = AnonymousUser()
    assert selectors.review_results(anonymous, _filters("ethical recruitment")).count() == 2
    objective_20 = Objective.objects.get(number=20)
    [document] = selectors.review_results(anonymous, _filters(objective=objective_20))
    assert document.mechanism.acronym == "MIDWA"


def test_pledge_results_are_empty_or_absent_without_pledges(db):
    results = selectors.pledge_results(AnonymousUser(), _filters("recruitment"))
    assert results is None or list(results) == []


def test_related_mechanisms_share_objectives_or_themes_in_other_regions(make_report):
    make_report(slug="colombo-process", number=6)
    make_report(slug="rmfm", number=6)
    make_report(slug="prague-process", number=6)
    make_report(slug="abu-dhabi-dialogue", number=6)
    colombo = Mechanism.objects.get(slug="colombo-process")
    related = selectors.related_mechanisms(colombo, 3)
    assert [(item.mechanism.acronym, item.shared_objectives, item.shared_themes, item.score) for item in related] == [
        ("RMFM", [6], ["labour migration", "migrants' rights", "recruitment", "remittances", "skills"], 7),
        (
            "5+5 Dialogue",
            [],
            ["gender", "labour migration", "migrants' rights", "migration and development", "migration and health"],
            5,
        ),
        ("Prague Process", [6], ["labour migration", "migration and development"], 4),
    ]
    assert [item.mechanism.acronym for item in selectors.related_mechanisms(colombo, 5)][3:] == ["MIDCAS", "MIDSA"]
    # The Abu Dhabi Dialogue works in the same sub-regions as the Colombo Process: not "another region".
    assert "ADD" not in [item.mechanism.acronym for item in selectors.related_mechanisms(colombo, 40)]


def test_objective_comparison_groups_mechanisms_by_region_and_cycle(make_report, iom_user):
    make_report(slug="midwa", number=6, year=2022)
    make_report(slug="midwa", number=6, year=2024)
    make_report(slug="bali-process", number=6, year=2024)
    make_report(slug="colombo-process", number=6, year=2024, status=ReviewStatus.SUBMITTED)
    objective = Objective.objects.get(number=6)
    comparison = selectors.objective_comparison(AnonymousUser(), objective)
    assert [cycle.review_year for cycle in comparison.cycles] == [2022, 2024]
    assert [(g.label, [r.mechanism.acronym for r in g.rows]) for g in comparison.groups] == [
        ("Africa", ["MIDWA"]),
        ("Interregional: Americas, Asia, Oceania", ["Bali Process"]),
    ]
    midwa_row = comparison.groups[0].rows[0]
    assert [len(cell.good_practices) for cell in midwa_row.cells] == [2, 2]
    assert comparison.groups[1].rows[0].cells[0] is None
    staff_view = selectors.objective_comparison(iom_user, objective)
    assert [g.label for g in staff_view.groups] == ["Africa", "Asia", "Interregional: Americas, Asia, Oceania"]


@pytest.mark.parametrize("number", [1, 23])
def test_objective_comparison_without_reports_is_empty(db, reference_data, number):
    comparison = selectors.objective_comparison(AnonymousUser(), Objective.objects.get(number=number))
    assert (comparison.cycles, comparison.groups) == ([], [])


@pytest.mark.skipif(selectors.pledge_model() is None, reason="the pledges app has no Pledge model here")
def test_pledge_results_rank_filter_and_hide_unpublished(reference_data, iom_user):
    from tests.factories import PledgeFactory

    PledgeFactory(title="Ethical recruitment of domestic workers", text="We will end recruitment fees.", objectives=[6])
    PledgeFactory(title="Cheaper transfers", text="Lower remittance costs and ethical recruitment.", objectives=[20])
    PledgeFactory(title="Ethical recruitment hidden", text="A draft.", objectives=[6], is_published=False)
    anonymous = AnonymousUser()
    titles = [pledge.title for pledge in selectors.pledge_results(anonymous, _filters("ethical recruitment"))]
    assert titles == ["Ethical recruitment of domestic workers", "Cheaper transfers"]
    objective_20 = Objective.objects.get(number=20)
    assert [p.title for p in selectors.pledge_results(anonymous, _filters(objective=objective_20))] == [
        "Cheaper transfers"
    ]
    asia = Region.objects.get(name="Asia")
    assert selectors.pledge_results(anonymous, _filters("recruitment", region=asia)).count() == 2
    africa = Region.objects.get(name="Africa")
    assert selectors.pledge_results(anonymous, _filters("recruitment", region=africa)).count() == 0
    assert selectors.pledge_results(iom_user, _filters("ethical recruitment")).count() == 3
