import datetime
import random
import re

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse

from gcm.models import Objective
from mechanisms.models import Mechanism, Region, State
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
DASHBOARD_QUERIES = 9  # objective counts, regions with their counts, type, status, total+flags, 4 filter selects


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


def indonesian_pledge(*, objectives=(1,), **overrides) -> dict:
    """The pledge form as Indonesia's focal point fills it in."""
    return {
        "pledger_type": "state",
        "pledger_state": State.objects.get(iso3="IDN").pk,
        "title": "Data for all",
        "text": "We commit.",
        "objectives": [o.pk for o in Objective.objects.filter(number__in=objectives)],
        "imrf_edition": 2026,
        "announced_on": "2026-05-08",
        "scope": "national",
        "status": "announced",
        **overrides,
    }


def test_pledge_create_form_focal_point(client, indonesia_focal_point):
    client.force_login(indonesia_focal_point)
    data = indonesian_pledge(
        title="Data for all", objectives=[1, 17], sources="https://example.org/pledge", is_published="on"
    )
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


def test_state_pledges_tag_follows_the_pledges_reading_rule(reference_data, indonesia_focal_point):
    """Unpublished pledges show to those who manage them (marked), never to anyone else."""
    indonesia = State.objects.get(iso3="IDN")
    PledgeFactory(title="Published")
    PledgeFactory(title="Draft of Indonesia", is_published=False)
    template = Template("{% load pledge_tags %}{% state_pledges state %}")
    titles = {}
    for name, user in (("anonymous", AnonymousUser()), ("focal point", indonesia_focal_point)):
        html = template.render(Context({"state": indonesia, "user": user}))
        titles[name] = (re.findall(r'href="/pledges/\d+/">([^<]+)</a>', html), html.count("Not published"))
    assert titles == {"anonymous": (["Published"], 0), "focal point": (["Draft of Indonesia", "Published"], 1)}


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


def test_dashboard_marks_focal_point_region(client, indonesia_focal_point):
    client.force_login(indonesia_focal_point)
    response = client.get(reverse("pledges:dashboard"))
    asia = Region.objects.get(name="Asia")
    assert response.context["own_region_id"] == asia.pk
    assert f'?region={asia.pk}">Asia <span class="small">(your region)</span>' in response.content.decode()


def rendered_values(form) -> dict:
    """What a browser posts back for an unchanged form: every field's value as its widget renders it."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(field, forms.ModelMultipleChoiceField):
            data[name] = [str(pk) for pk in value or []]
        else:
            formatted = field.widget.format_value(value)
            if isinstance(formatted, list):
                formatted = formatted[0] if formatted else ""
            data[name] = "" if formatted is None else formatted
    return data


@pytest.mark.parametrize("sources", [["https://example.org/a", "https://example.org/b?x=1&y=2"], []])
@pytest.mark.parametrize("role", ["indonesia_focal_point", "iom_user"])
def test_pledge_edit_unchanged_form_saves(client, reference_data, request, role, sources):
    pledge = PledgeFactory(sources=sources, objectives=[1, 5])
    client.force_login(request.getfixturevalue(role))
    url = reverse("pledges:edit", args=[pledge.pk])
    form = client.get(url).context["form"]
    assert form["sources"].value() == "\n".join(sources)
    response = client.post(url, rendered_values(form))
    assert (response.status_code, response["Location"]) == (302, pledge.get_absolute_url())
    pledge.refresh_from_db()
    assert (pledge.sources, pledge.is_published, list(pledge.objectives.values_list("number", flat=True))) == (
        sources,
        True,
        [1, 5],
    )


def test_pledge_form_matches_offers_only_pledges_the_user_may_read(client, reference_data, indonesia_focal_point):
    hidden = PledgeFactory(is_published=False, pledger_state=State.objects.get(iso3="GHA"))
    own_draft = PledgeFactory(is_published=False)
    client.force_login(indonesia_focal_point)
    data = indonesian_pledge(title="Answer")
    errors = [
        client.post(reverse("pledges:create"), {**data, "matches": number}).context["form"].errors["matches"]
        for number in (hidden.pk, 987654, "x")
    ]
    assert errors == [["There is no pledge with this number that you can see."]] * 3
    response = client.post(reverse("pledges:create"), {**data, "matches": own_draft.pk})
    assert response.status_code == 302
    assert Pledge.objects.get(title="Answer").matches == own_draft


def test_pledge_detail_hides_the_title_of_an_unpublished_matched_pledge(client, reference_data, iom_user):
    hidden = PledgeFactory(title="Secret draft", is_published=False, pledger_state=State.objects.get(iso3="GHA"))
    pledge = PledgeFactory(title="Public answer", matches=hidden)
    anonymous = client.get(reverse("pledges:detail", args=[pledge.pk]))
    assert (anonymous.context["matched_pledge"], "Secret draft" in anonymous.content.decode()) == (None, False)
    client.force_login(iom_user)
    iom = client.get(reverse("pledges:detail", args=[pledge.pk]))
    assert iom.context["matched_pledge"] == hidden
    assert f'<a href="/pledges/{hidden.pk}/">Secret draft</a>' in iom.content.decode()


def test_pledge_edit_keeps_a_match_the_owner_cannot_read(client, reference_data, indonesia_focal_point):
    hidden = PledgeFactory(is_published=False, pledger_state=State.objects.get(iso3="GHA"))
    pledge = PledgeFactory(matches=hidden)
    client.force_login(indonesia_focal_point)
    url = reverse("pledges:edit", args=[pledge.pk])
    response = client.post(url, rendered_values(client.get(url).context["form"]))
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.matches == hidden


def test_pledge_form_publish_box_only_for_publishers(client, reference_data, indonesia_focal_point, iom_user):
    client.force_login(indonesia_focal_point)
    focal_point_fields = set(client.get(reverse("pledges:create")).context["form"].fields)
    client.force_login(iom_user)
    iom_fields = set(client.get(reverse("pledges:create")).context["form"].fields)
    assert ("is_published" in iom_fields, "is_published" in focal_point_fields) == (True, False)


def test_pledge_created_by_focal_point_waits_for_iom_even_when_posting_published(client, indonesia_focal_point):
    client.force_login(indonesia_focal_point)
    client.post(reverse("pledges:create"), indonesian_pledge(is_published="on"))
    pledge = Pledge.objects.get()
    assert pledge.is_published is False
    client.logout()
    assert client.get(pledge.get_absolute_url()).status_code == 302  # anonymous: sent to log in


def test_pledge_publish_by_iom(client, reference_data, iom_user):
    pledge = PledgeFactory(is_published=False)
    client.force_login(iom_user)
    response = client.post(reverse("pledges:publish", args=[pledge.pk]), {"published": "yes"})
    assert (response.status_code, response["Location"]) == (302, pledge.get_absolute_url())
    pledge.refresh_from_db()
    assert pledge.is_published is True
    client.post(reverse("pledges:publish", args=[pledge.pk]), {"published": "no"})
    pledge.refresh_from_db()
    assert pledge.is_published is False


def test_pledge_publish_refused_to_the_owner(client, reference_data, indonesia_focal_point):
    pledge = PledgeFactory(is_published=False)
    client.force_login(indonesia_focal_point)
    response = client.post(reverse("pledges:publish", args=[pledge.pk]), {"published": "yes"})
    pledge.refresh_from_db()
    assert (response.status_code, pledge.is_published) == (403, False)


def test_pledge_list_filters_say_what_an_empty_choice_means(client, reference_data):
    html = client.get(reverse("pledges:list")).content.decode()
    assert "---------" not in html
    firsts = re.findall(r'<select name="(\w+)"[^>]*>\s*<option value="" selected>([^<]+)</option>', html)
    assert firsts == [
        ("objective", "Any objective"),
        ("pledger_type", "Any pledger"),
        ("region", "Any region"),
        ("state", "Any State"),
        ("mechanism", "Any mechanism"),
        ("status", "Any status"),
        ("imrf_edition", "Any edition"),
        ("flag", "Any follow-up"),
    ]


def test_pledge_list_names_objectives_by_short_label_and_links_pages(client, reference_data):
    PledgeFactory(title="Data pledge", objectives=[1, 23])
    bulk_pledges(170)
    response = client.get(reverse("pledges:list"), {"q": "Data pledge"})
    html = response.content.decode()
    objectives = html[html.index('data-testid="pledge-objectives"') :].split("</p>", 1)[0]
    assert re.findall(r'objective-badge[^>]*>(\d+)\. <span lang="en">([^<]+)<', objectives) == [
        ("1", Objective.objects.get(number=1).short_label),
        ("23", Objective.objects.get(number=23).short_label),
    ]
    response = client.get(reverse("pledges:list"))
    assert response.context["page"].paginator.num_pages == 7
    html = response.content.decode()
    nav = html[html.index('aria-label="Result pages"') :].split("</nav>", 1)[0]
    labels = re.findall(r'class="page-link"[^>]*>(?:<span class="visually-hidden">Page </span>)?([^<]+)<', nav)
    assert labels == ["1", "2", "3", "…", "7", "Next"]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1<' in nav
    html = client.get(reverse("pledges:list"), {"page": 7}).content.decode()
    nav = html[html.index('aria-label="Result pages"') :].split("</nav>", 1)[0]
    labels = re.findall(r'class="page-link"[^>]*>(?:<span class="visually-hidden">Page </span>)?([^<]+)<', nav)
    assert labels == ["Previous", "1", "…", "5", "6", "7"]
