import datetime
import random
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from gcm.models import Objective
from mechanisms.models import Mechanism, State
from pledges.enums import PledgerType, PledgeScope, PledgeStatus
from pledges.models import Pledge, PledgeUpdate
from tests.factories import PledgeFactory, UserFactory


def bulk_pledges(count: int) -> None:
    """`count` published pledges over many States and objectives, written with bulk_create for speed."""
    rng = random.Random(count)
    states = list(State.objects.all()[:60])
    objectives = list(Objective.objects.all())
    types = list(PledgerType)
    pledges = []
    for n in range(count):
        kind = rng.choice(types)
        pledges.append(
            Pledge(
                pledger_type=PledgerType.STATE if kind == PledgerType.ISCM else kind,
                pledger_state=rng.choice(states) if kind in (PledgerType.STATE, PledgerType.ISCM) else None,
                pledger_name="" if kind in (PledgerType.STATE, PledgerType.ISCM) else "Organisation",
                title=f"Bulk pledge {n}",
                text="Text",
                imrf_edition=rng.choice([2022, 2026]),
                announced_on=datetime.date(2022, 5, 20) + datetime.timedelta(days=rng.randint(0, 1500)),
                scope=rng.choice(list(PledgeScope)),
                status=rng.choice(list(PledgeStatus)),
            )
        )
    created = Pledge.objects.bulk_create(pledges, batch_size=2000)
    through = Pledge.objectives.through
    links = []
    for pledge in created:
        for objective in rng.sample(objectives, rng.randint(1, 3)):
            links.append(through(pledge_id=pledge.pk, objective_id=objective.pk))
    through.objects.bulk_create(links, batch_size=5000)
    Pledge.states.through.objects.bulk_create(
        [Pledge.states.through(pledge_id=p.pk, state_id=rng.choice(states).pk) for p in created if p.pledger_state_id],
        batch_size=5000,
    )
    PledgeUpdate.objects.bulk_create(
        [
            PledgeUpdate(pledge=p, date=datetime.date(2024, 1, 1), text="x", status=PledgeStatus.IN_PROGRESS)
            for p in created[::3]
        ],
        batch_size=5000,
    )


# Anonymous visitor: the page itself; filter form choices (objectives, regions, States, mechanisms) included.
LIST_QUERIES = 7  # count, page, objectives prefetch, 4 filter selects
DASHBOARD_QUERIES = 10  # regions, objective counts, type, status, regions+total, flags, 4 filter selects


@pytest.mark.parametrize("size", [170, 10_000])
def test_pledge_list_query_count_fixed(client, reference_data, django_assert_num_queries, size):
    bulk_pledges(size)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("pledges:list"), {"status": "in_progress"})
    assert len(response.context["page"].object_list) == 25


@pytest.mark.parametrize("size", [170, 10_000])
def test_pledge_dashboard_query_count_fixed(client, reference_data, django_assert_num_queries, size):
    bulk_pledges(size)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("pledges:dashboard"), {"imrf_edition": 2022})
    dashboard = response.context["dashboard"]
    assert dashboard.total == Pledge.objects.filter(imrf_edition=2022).count()
    assert sum(row["count"] for row in dashboard.by_status) == dashboard.total
    assert sum(row["count"] for row in dashboard.by_pledger_type) == dashboard.total


@pytest.mark.parametrize("size", [170, 10_000])
def test_pledge_detail_query_count_fixed(client, reference_data, django_assert_num_queries, size):
    bulk_pledges(size)
    pledge = PledgeFactory(objectives=[1, 2])
    PledgeUpdate.objects.create(pledge=pledge, date=datetime.date(2023, 1, 1), text="x", status="in_progress")
    with django_assert_num_queries(8):  # the pledge and its 7 prefetches (objectives to matching pledges)
        response = client.get(reverse("pledges:detail", args=[pledge.pk]))
    assert response.context["pledge"] == pledge


def test_pledge_detail_shows_history_and_links(client, reference_data):
    pledge = PledgeFactory(objectives=[3])
    PledgeUpdate.objects.create(pledge=pledge, date=datetime.date(2023, 1, 1), text="First", status="in_progress")
    PledgeUpdate.objects.create(pledge=pledge, date=datetime.date(2024, 1, 1), text="Second", status="in_progress")
    response = client.get(reverse("pledges:detail", args=[pledge.pk]))
    assert [update.text for update in response.context["pledge"].updates.all()] == ["Second", "First"]
    assert 'href="/directory/states/IDN/"' in response.content.decode()


def test_pledge_create_form_focal_point(client, indonesia_focal_point):
    client.force_login(indonesia_focal_point)
    data = {
        "pledger_type": "state",
        "pledger_state": State.objects.get(iso3="IDN").pk,
        "title": "Data for all",
        "text": "We commit.",
        "objectives": [o.pk for o in Objective.objects.filter(number__in=[1, 17])],
        "imrf_edition": 2026,
        "announced_on": "2026-05-08",
        "scope": "national",
        "status": "announced",
        "sources": "https://example.org/pledge",
        "is_published": "on",
    }
    response = client.post(reverse("pledges:create"), data)
    pledge = Pledge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pledge.get_absolute_url()
    assert pledge.sources == ["https://example.org/pledge"]
    assert sorted(pledge.objectives.values_list("number", flat=True)) == [1, 17]


def test_pledge_create_form_focal_point_cannot_choose_other_state(client, indonesia_focal_point):
    client.force_login(indonesia_focal_point)
    response = client.post(
        reverse("pledges:create"),
        {"pledger_type": "state", "pledger_state": State.objects.get(iso3="GHA").pk, "title": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["pledger_state"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert response.context["form"]["title"].value() == "x"
    assert Pledge.objects.count() == 0


def test_pledge_progress_update_in_future_refused(client, indonesia_focal_point):
    pledge = PledgeFactory()
    client.force_login(indonesia_focal_point)
    response = client.post(
        reverse("pledges:progress_add", args=[pledge.pk]),
        {"date": "2999-01-01", "status": "in_progress", "text": "Later"},
    )
    assert response.status_code == 400
    assert response.context["update_form"].errors == {"date": ["A progress update cannot be dated in the future."]}


def test_state_pledges_tag_one_query(reference_data, django_assert_num_queries):
    indonesia = State.objects.get(iso3="IDN")
    own = PledgeFactory(title="Own", announced_on=datetime.date(2022, 5, 1))
    PledgeFactory(title="Unpublished", is_published=False)
    joint = PledgeFactory(title="Joint", pledger_state=State.objects.get(iso3="PHL"))
    joint.co_pledger_states.set([indonesia])
    template = Template("{% load pledge_tags %}{% state_pledges state %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"state": indonesia}))
    assert re.findall(r'href="/pledges/(\d+)/"', html) == [str(joint.pk), str(own.pk)]
    assert "Unpublished" not in html
    assert 'href="/pledges/?state=IDN"' in html


def test_mechanism_member_pledges_tag_one_query(reference_data, bali, django_assert_num_queries):
    PledgeFactory(title="Indonesia member pledge")
    PledgeFactory(title="Ghana not a member", pledger_state=State.objects.get(iso3="GHA"))
    PledgeFactory(title="Bali own", pledger_type="iscm", pledger_state=None, pledger_mechanism=bali)
    template = Template("{% load pledge_tags %}{% mechanism_member_pledges mechanism %}")
    mechanism = Mechanism.objects.get(slug="bali-process")
    with django_assert_num_queries(1):
        html = template.render(Context({"mechanism": mechanism}))
    assert ("Indonesia member pledge" in html, "Bali own" in html, "Ghana not a member" in html) == (True, True, False)
    assert 'href="/pledges/?mechanism=bali-process"' in html


def test_pledge_list_htmx_returns_results_only(client, reference_data):
    PledgeFactory()
    response = client.get(reverse("pledges:list"), headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<section id="pledge-results"')


def test_iom_user_sees_unpublished_count(client, reference_data):
    UserFactory(username="someone")
    PledgeFactory(is_published=False)
    assert client.get(reverse("pledges:list")).context["page"].paginator.count == 0


@pytest.mark.parametrize("size", [170, 10_000])
def test_pledge_export_query_count_fixed(client, reference_data, django_assert_num_queries, size):
    bulk_pledges(size)
    with django_assert_num_queries(6):  # the pledges, then one flat query per many-to-many field
        response = client.get(reverse("pledges:export", args=["csv"]))
    assert response.content.decode("utf-8-sig").count("\n") == size + 1
