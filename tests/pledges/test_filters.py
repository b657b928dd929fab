import datetime

import pytest
from django.urls import reverse

from mechanisms.models import Region, State
from pledges.enums import PledgerType, PledgeScope, PledgeStatus
from tests.factories import PledgeFactory


@pytest.fixture
def spread(reference_data, bali):
    """Five pledges that differ in one respect each."""
    africa = Region.objects.get(name="Africa")
    pledges = {
        "idn": PledgeFactory(title="Indonesia data", objectives=[1, 23]),
        "gha": PledgeFactory(title="Ghana pathways", pledger_state=State.objects.get(iso3="GHA"), objectives=[5]),
        "unicef": PledgeFactory(
            title="Child protection",
            pledger_type=PledgerType.UN_ENTITY,
            pledger_state=None,
            pledger_name="UNICEF",
            scope=PledgeScope.REGIONAL,
            objectives=[7],
            status=PledgeStatus.FULFILLED,
        ),
        "bali": PledgeFactory(
            title="Regional smuggling response",
            pledger_type=PledgerType.ISCM,
            pledger_state=None,
            pledger_mechanism=bali,
            objectives=[9],
            imrf_edition=2026,
            announced_on=datetime.date(2026, 5, 8),
        ),
        "joint": PledgeFactory(title="Joint pledge", pledger_state=State.objects.get(iso3="PHL"), objectives=[6]),
    }
    pledges["unicef"].regions.set([africa])
    pledges["gha"].states.set([State.objects.get(iso3="GHA")])
    pledges["joint"].co_pledger_states.set([State.objects.get(iso3="IDN")])
    return pledges


def titles(client, **params):
    response = client.get(reverse("pledges:list"), params)
    return sorted(pledge.title for pledge in response.context["page"].object_list)


def test_filter_objective(client, spread):
    assert titles(client, objective=23) == ["Indonesia data"]


def test_filter_pledger_type(client, spread):
    assert titles(client, pledger_type="un_entity") == ["Child protection"]


def test_filter_region_counts_pledger_state_and_where_it_applies(client, spread):
    africa = Region.objects.get(name="Africa")
    assert titles(client, region=africa.pk) == ["Child protection", "Ghana pathways"]


def test_filter_state_includes_joint_pledges(client, spread):
    assert titles(client, state="IDN") == ["Indonesia data", "Joint pledge"]


def test_filter_mechanism_includes_member_states(client, spread):
    # Indonesia and the Philippines are Bali Process members; Ghana is not.
    assert titles(client, mechanism="bali-process") == [
        "Indonesia data",
        "Joint pledge",
        "Regional smuggling response",
    ]


def test_filter_status(client, spread):
    assert titles(client, status="fulfilled") == ["Child protection"]


def test_filter_imrf_edition(client, spread):
    assert titles(client, imrf_edition=2026) == ["Regional smuggling response"]


def test_filter_text_search_title_and_pledger(client, spread):
    assert titles(client, q="unicef") == ["Child protection"]
    assert titles(client, q="PATHWAYS") == ["Ghana pathways"]


def test_filter_flag(client, spread):
    # 2022 pledges without updates are long inactive; fulfilled ones are closed; 2026 ones are current.
    assert titles(client, flag="current") == ["Regional smuggling response"]
    assert titles(client, flag="closed") == ["Child protection"]


def test_filters_combine(client, spread):
    assert titles(client, state="IDN", objective=6) == ["Joint pledge"]


def test_filter_unknown_value_shows_error_and_no_pledges(client, spread):
    response = client.get(reverse("pledges:list"), {"objective": 99})
    assert list(response.context["page"].object_list) == []
    assert response.context["filterset"].form.errors["objective"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_dashboard_counts_follow_filters(client, spread):
    response = client.get(reverse("pledges:dashboard"), {"region": Region.objects.get(name="Africa").pk})
    dashboard = response.context["dashboard"]
    assert dashboard.total == 2
    assert {row["number"]: row["count"] for row in dashboard.by_objective if row["count"]} == {5: 1, 7: 1}
    assert [row["number"] for row in dashboard.fewest_objectives] == [1, 2, 3, 4, 6]
    assert {row["key"]: row["count"] for row in dashboard.by_pledger_type if row["count"]} == {
        "state": 1,
        "un_entity": 1,
    }
    assert {row["label"]: row["count"] for row in dashboard.by_region} == {
        "Africa": 2,
        "Americas": 0,
        "Asia": 0,
        "Europe": 0,
        "Oceania": 0,
        "Global": 0,
    }
    assert {row["key"]: row["count"] for row in dashboard.by_status} == {
        "announced": 1,
        "in_progress": 0,
        "fulfilled": 1,
        "discontinued": 0,
    }


def test_dashboard_htmx_returns_panels_only(client, spread):
    response = client.get(reverse("pledges:dashboard"), {"status": "fulfilled"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dashboard-panels"')
    assert response.context["dashboard"].total == 1
