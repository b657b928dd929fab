import pytest
from django.urls import reverse

from library.models import Practice
from library.selectors import pledge_model
from reviews.enums import ReviewStatus

MECHANISMS = ["bali-process", "midwa", "rmfm", "colombo-process", "prague-process", "rcm-puebla-process"]
# The search page counts every tab; the pledges tab exists once the pledges app has its Pledge model.
PLEDGE_TAB_QUERIES = 1 if pledge_model() else 0


@pytest.fixture
def small_library(make_report):
    make_report()


@pytest.fixture
def large_library(make_report):
    for year in (2022, 2024):
        for slug in MECHANISMS:
            for number in (6, 10, 18, 20):
                make_report(slug=slug, number=number, year=year)
    make_report(slug="abu-dhabi-dialogue", status=ReviewStatus.DRAFT)


def _titles(response):
    return [item.title for item in response.context["page"].object_list]


@pytest.mark.parametrize("library", ["small_library", "large_library"])
def test_practice_list_runs_a_fixed_number_of_queries(client, library, request, django_assert_num_queries):
    request.getfixturevalue(library)
    with django_assert_num_queries(6):  # 4 facet lists, count, page
        response = client.get(reverse("library:practice_list"), {"objective": "6", "kind": "good_practice"})
    assert response.status_code == 200
    expected = 2 if library == "small_library" else 20
    assert len(response.context["page"].object_list) == expected


@pytest.mark.parametrize("library", ["small_library", "large_library"])
def test_search_runs_a_fixed_number_of_queries(client, library, request, django_assert_num_queries):
    request.getfixturevalue(library)
    # 4 facet lists, count and page of the open tab, the count of each other tab
    with django_assert_num_queries(7 + PLEDGE_TAB_QUERIES):
        response = client.get(reverse("library:search"), {"q": "ethical recruitment", "region": "Asia"})
    assert response.status_code == 200
    assert _titles(response)[0] == "Ethical recruitment standards"


@pytest.mark.parametrize("library", ["small_library", "large_library"])
def test_search_reviews_tab_runs_a_fixed_number_of_queries(
    client, library, request, django_assert_num_queries, iom_user
):
    request.getfixturevalue(library)
    client.force_login(iom_user)
    with django_assert_num_queries(10 + PLEDGE_TAB_QUERIES):  # session, user, secretariat ids, then as above
        response = client.get(reverse("library:search"), {"q": "recruitment", "type": "reviews"})
    assert response.status_code == 200
    expected = 1 if library == "small_library" else 12  # the Abu Dhabi Dialogue draft stays its secretariat's
    assert response.context["page"].paginator.count == expected


def test_search_tabs_show_counts_and_results_link_to_practices(client, make_report):
    report = make_report()
    response = client.get(reverse("library:search"), {"q": "recruitment fees"})
    tabs = [(tab["value"], tab["count"], tab["active"]) for tab in response.context["tabs"]]
    assert tabs[:2] == [("practices", 2, True), ("reviews", 0, False)]
    practice = Practice.objects.get(objective_report=report, kind="challenge")
    assert f'href="{practice.get_absolute_url()}"' in response.text
    assert "<mark>" in response.text


def test_search_htmx_request_gets_only_the_results(client, small_library):
    response = client.get(reverse("library:search"), {"q": "recruitment"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text


def test_search_with_an_unknown_filter_value_says_so_and_ignores_it(client, small_library):
    response = client.get(reverse("library:search"), {"q": "recruitment", "objective": "99", "region": "Atlantis"})
    assert response.status_code == 200
    assert response.context["filters"].objective is None
    assert response.context["filters"].region is None
    assert response.context["page"].paginator.count == 5  # every entry: objective 6 is "Recruitment and decent work"
    assert "This filter was ignored." in response.text
    assert response.context["form"]["q"].value() == "recruitment"


def test_search_without_results_explains(client, small_library):
    response = client.get(reverse("library:search"), {"q": "volcanoes", "objective": "6"})
    assert response.context["page"].paginator.count == 0
    assert "Nothing found for “volcanoes”. Try removing a filter." in response.text


def test_public_search_hides_unapproved_reviews_and_staff_see_status(client, make_report, iom_user):
    make_report(slug="midwa", status=ReviewStatus.SUBMITTED)
    response = client.get(reverse("library:search"), {"q": "recruitment"})
    assert response.context["page"].paginator.count == 0
    assert 'data-testid="review-status"' not in response.text
    client.force_login(iom_user)
    response = client.get(reverse("library:search"), {"q": "recruitment"})
    assert response.context["page"].paginator.count == 5  # every entry: objective 6 is "Recruitment and decent work"
    assert response.text.count('data-testid="review-status"') == 5
    assert ">Submitted</span>" in response.text


@pytest.mark.parametrize("library", ["small_library", "large_library"])
def test_practice_detail_runs_a_fixed_number_of_queries(client, library, request, django_assert_num_queries):
    request.getfixturevalue(library)
    practice = Practice.objects.filter(mechanism__slug="bali-process", kind="good_practice").first()
    # practice with 3 prefetches, entries elsewhere, related work (6)
    with django_assert_num_queries(11):
        response = client.get(practice.get_absolute_url())
    assert response.status_code == 200
    assert response.context["practice"] == practice


def test_practice_detail_shows_context_and_links_to_the_review(client, make_report):
    report = make_report()
    practice = Practice.objects.get(objective_report=report, kind="good_practice", position=1)
    response = client.get(practice.get_absolute_url())
    assert response.context["practice"].title == "Ethical recruitment standards"
    text = response.text
    assert "Member States adopted a code on ethical recruitment of migrant workers." in text
    assert "6. Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work" in text
    assert "2024 regional reviews" in text
    assert "South-eastern Asia" in text
    assert "counter-trafficking" in text
    try:
        review_url = reverse("reviews:review_detail", kwargs={"pk": report.review_id})
    except Exception:  # the review pages are built in parallel; until then the link goes to the mechanism
        review_url = reverse("mechanisms:mechanism_detail", kwargs={"slug": "bali-process"})
    assert f'href="{review_url}" data-testid="review-link"' in text


def test_practice_detail_escapes_report_text(client, make_report):
    report = make_report(good_practices="Training <script>alert(1)</script> on recruitment.", challenges="")
    practice = Practice.objects.get(objective_report=report, kind="good_practice")
    response = client.get(practice.get_absolute_url())
    assert "<script>alert(1)</script>" not in response.text
    assert "Training &lt;script&gt;alert(1)&lt;/script&gt; on recruitment." in response.text


def test_practice_from_unapproved_review_is_refused_to_the_public(
    client, make_report, indonesia_focal_point, midwa_secretariat, iom_user
):
    report = make_report(status=ReviewStatus.IN_REVIEW)
    url = Practice.objects.filter(objective_report=report).first().get_absolute_url()
    response = client.get(url)
    assert (response.status_code, response.url) == (302, f"/accounts/login/?next={url}")
    client.force_login(midwa_secretariat)
    assert client.get(url).status_code == 403
    # Indonesia belongs to the Bali Process: its focal point reads the submitted review, so the entry too.
    client.force_login(indonesia_focal_point)
    assert client.get(url).status_code == 200
    client.force_login(iom_user)
    response = client.get(url)
    assert response.status_code == 200
    assert ">In review</span>" in response.text


def test_practice_detail_missing_is_404(client, db):
    assert client.get(reverse("library:practice_detail", kwargs={"pk": 12345})).status_code == 404


@pytest.mark.parametrize("library", ["small_library", "large_library"])
def test_objective_compare_runs_a_fixed_number_of_queries(client, library, request, django_assert_num_queries):
    request.getfixturevalue(library)
    with django_assert_num_queries(6):  # objective, reports, entries, mechanisms with their areas, all areas
        response = client.get(reverse("library:objective_compare", kwargs={"number": 6}))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    expected = 1 if library == "small_library" else 6
    assert comparison.mechanism_count == expected


def test_objective_compare_shows_cells_per_cycle(client, make_report):
    make_report(slug="midwa", year=2022)
    make_report(slug="midwa", year=2024, challenges="")
    make_report(slug="bali-process", year=2024, status=ReviewStatus.DRAFT)
    response = client.get(reverse("library:objective_compare", kwargs={"number": 6}))
    assert response.text.count('data-testid="compare-cell"') == 2
    assert [cycle.review_year for cycle in response.context["comparison"].cycles] == [2022, 2024]
    assert "Challenges" in response.text
    assert response.text.count("<summary>Challenges") == 1
    assert "Bali Process" not in response.text.split('data-testid="compare-table"')[1]


def test_objective_compare_shows_every_text_open_and_foldable(client, make_report):
    make_report(slug="midwa", year=2022)
    make_report(slug="midwa", year=2024)
    table = client.get(reverse("library:objective_compare", kwargs={"number": 6})).text.split(
        'data-testid="compare-table"'
    )[1]
    assert table.count("<details") == table.count("<details open>") == 8  # progress and three lists, two cells


def test_objective_compare_unknown_objective_is_404(client, db):
    assert client.get(reverse("library:objective_compare", kwargs={"number": 24})).status_code == 404


@pytest.mark.parametrize("library", ["small_library", "large_library"])
def test_objective_list_runs_a_fixed_number_of_queries(client, library, request, django_assert_num_queries):
    request.getfixturevalue(library)
    with django_assert_num_queries(3):
        response = client.get(reverse("library:objective_list"))
    objective_6 = response.context["objectives"][5]
    expected = (1, 5) if library == "small_library" else (12, 60)
    assert (objective_6.report_count, objective_6.entry_count) == expected


def test_navigation_has_a_library_item(client, db):
    response = client.get(reverse("library:practice_list"))
    assert 'href="/library/" data-nav="library">Library</a>' in response.text
    assert 'class="nav-link active" href="/library/"' in response.text


def test_practice_list_orders_good_practices_then_challenges_then_recommendations(client, small_library):
    response = client.get(reverse("library:practice_list"))
    assert [item.kind for item in response.context["page"].object_list] == [
        "good_practice",
        "good_practice",
        "challenge",
        "recommendation",
        "recommendation",
    ]


def test_secretariat_sees_its_own_unapproved_entries_marked_and_no_one_elses(
    client, make_report, bali_secretariat, midwa
):
    make_report(slug="bali-process", status=ReviewStatus.IN_REVIEW)
    make_report(slug="midwa", status=ReviewStatus.DRAFT)
    client.force_login(bali_secretariat)
    response = client.get(reverse("library:search"), {"q": "recruitment"})
    assert {item.mechanism.acronym for item in response.context["page"].object_list} == {"Bali Process"}
    assert response.text.count(">In review</span>") == 5
    midwa_practice = Practice.objects.filter(mechanism=midwa).first()
    assert client.get(midwa_practice.get_absolute_url()).status_code == 403
    own = Practice.objects.filter(mechanism__slug="bali-process").first()
    assert client.get(own.get_absolute_url()).status_code == 200
