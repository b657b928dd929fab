"""The directory in the API: mechanisms and States, their fields, the directory's filters, query counts."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mechanisms import selectors
from mechanisms.models import ChairTerm, Mechanism, Membership, State
from tests.factories import directory_volume_create

pytestmark = pytest.mark.django_db

LIST = "/api/v1/mechanisms/"


def _slugs(client, query: str) -> list[str]:
    response = client.get(f"{LIST}?page_size=100&{query}")
    assert response.status_code == 200
    return [row["slug"] for row in response.json()["results"]]


def _directory_slugs(query: str) -> list[str]:
    return list(selectors.mechanism_filter(QueryDict(query)).qs.values_list("slug", flat=True))


def test_mechanism_list_fields(client, bali):
    bali.gcm_review_mandate = True
    bali.gcm_focal_point = "Regional Support Office"
    bali.save()
    row = client.get(f"{LIST}?q=Bali+Process").json()["results"][0]
    regions = [
        {"id": r.pk, "name": r.name, "name_fr": r.name_fr, "name_es": r.name_es, "level": r.level}
        for r in bali.regions.order_by("name")
    ]
    current = Membership.objects.current().filter(mechanism=bali)
    assert row == {
        "slug": "bali-process",
        "acronym": "Bali Process",
        "name": bali.name,
        "kind": "IRF",
        "status": "active",
        "founded": 2002,
        "regions": regions,
        "themes": [{"slug": t.slug, "name": t.name} for t in bali.themes.order_by("name")],
        "member_count": current.filter(role="member").count(),
        "observer_count": current.filter(role="observer").count(),
        "secretariat": bali.secretariat,
        "associated_organisation": bali.associated_organisation,
        "website": bali.website,
        "gcm_engagement": {
            "review_mandate": True,
            "mandate_since": None,
            "focal_point": "Regional Support Office",
            "working_group": "",
        },
        "url": "http://testserver/directory/mechanisms/bali-process/",
        "api_url": "http://testserver/api/v1/mechanisms/bali-process/",
    }


@pytest.mark.parametrize(
    "query",
    [
        "",
        "kind=RCP",
        "region=2",
        "theme=labour-migration",
        "state=idn",
        "gcm=unknown",
        "q=process",
        "sort=-member_count",
        "sort=founded&kind=IRF",
        "state=IDN&kind=IRF&sort=-member_count&gcm=unknown&q=process",
    ],
)
def test_mechanism_filters_are_the_directorys(client, reference_data, query):
    assert _slugs(client, query) == _directory_slugs(query)


def test_mechanism_filters_narrow_the_list(client, reference_data):
    assert (len(_slugs(client, "")), len(_slugs(client, "kind=RCP")), _slugs(client, "q=Bali")) == (
        32,
        Mechanism.objects.filter(kind="RCP").count(),
        ["bali-process"],
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=rcp", "kind"),
        ("gcm=maybe", "gcm"),
        ("sort=secret_notes", "sort"),
        ("q=" + "x" * 201, "q"),
        ("state=" + "é" * 300, "state"),
    ],
)
def test_invalid_mechanism_filters_are_refused(client, reference_data, query, field):
    response = client.get(f"{LIST}?{query}")
    assert (response.status_code, list(response.json()["errors"])) == (400, [field])


@pytest.mark.parametrize(
    "query", ["region=abc", "region=-1", "region=99999999999999999999", "theme=%00", "q=%F0%9F%98%80"]
)
def test_odd_filter_values_match_nothing_or_are_refused_never_fail(client, reference_data, query):
    response = client.get(f"{LIST}?{query}")
    assert (response.status_code, response["Content-Type"].split(";")[0]) in {
        (200, "application/json"),
        (400, "application/problem+json"),
    }


def test_mechanism_detail_fields(client, bali, indonesia_focal_point):
    indonesia = State.objects.get(iso3="IDN")
    ChairTerm.objects.create(mechanism=bali, state=indonesia, start_date="2023-01-01")
    membership = Membership.objects.current().get(mechanism=bali, state__iso3="AUS")
    membership.end_date = "2024-06-30"
    membership.save()
    body = client.get(reverse("api:mechanism-detail", kwargs={"slug": "bali-process"})).json()
    current = Membership.objects.current().filter(mechanism=bali).select_related("state")
    members = sorted(m.state.iso3 for m in current if m.role == "member")
    assert [m["state"]["iso3"] for m in body["members"]] == members
    assert body["member_count"] == len(members)
    assert body["former_memberships"] == [
        {
            "state": {"iso3": "AUS", "name": "Australia", "api_url": "http://testserver/api/v1/states/AUS/"},
            "role": membership.role,
            "start_date": membership.start_date.isoformat() if membership.start_date else None,
            "end_date": "2024-06-30",
            "note": "",
        }
    ]
    chair = {
        "state": {"iso3": "IDN", "name": "Indonesia", "api_url": "http://testserver/api/v1/states/IDN/"},
        "start_date": "2023-01-01",
        "end_date": None,
    }
    assert (body["chair"], body["chair_history"], body["reviews"], body["data_notes"]) == (chair, [chair], [], None)
    assert list(body) == [
        "slug",
        "acronym",
        "name",
        "kind",
        "status",
        "founded",
        "regions",
        "themes",
        "member_count",
        "observer_count",
        "secretariat",
        "associated_organisation",
        "website",
        "gcm_engagement",
        "url",
        "api_url",
        "description",
        "partners",
        "contact_points",
        "other_participants",
        "members_complete",
        "membership_as_of",
        "observers_complete",
        "sources",
        "members",
        "observers",
        "former_memberships",
        "chair",
        "chair_history",
        "reviews",
        "data_notes",
    ]


@pytest.mark.parametrize(
    ("role", "sees_notes"),
    [
        ("anonymous", False),
        ("indonesia_focal_point", False),
        ("bali_secretariat", False),
        ("iom_user", True),
        ("admin_user", True),
    ],
)
def test_data_notes_only_for_iom_and_administrators(client, bali, request, role, sees_notes):
    """IOM's working notes are null for everyone else, through the mechanism and through every list."""
    bali.notes = "Reconciled with the 2019 ministerial declaration."
    bali.save()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    detail = client.get(reverse("api:mechanism-detail", kwargs={"slug": "bali-process"}))
    listed = client.get(f"{LIST}?q=Reconciled").content + client.get(f"{LIST}?page_size=100").content
    assert (detail.json()["data_notes"], b"Reconciled" in listed) == (
        "Reconciled with the 2019 ministerial declaration." if sees_notes else None,
        False,
    )


def test_state_list_fields_and_filters(client, bali):
    afg = State.objects.select_related("region", "subregion").get(iso3="AFG")
    first = client.get(f"/api/v1/states/?page_size=1&region={afg.region.pk}").json()
    assert first["results"] == [
        {
            "iso3": "AFG",
            "iso2": "AF",
            "m49_code": "004",
            "name": "Afghanistan",
            "un_status": "member_state",
            "region": {"id": afg.region.pk, "name": "Asia", "name_fr": "Asie", "name_es": "Asia", "level": "continent"},
            "subregion": {
                "id": afg.subregion.pk,
                "name": "Southern Asia",
                "name_fr": afg.subregion.name_fr,
                "name_es": afg.subregion.name_es,
                "level": "subregion",
            },
            "intermediate_region": None,
            "gcm_vote_2018": afg.gcm_vote_2018,
            "url": "http://testserver/directory/states/AFG/",
            "api_url": "http://testserver/api/v1/states/AFG/",
        }
    ]
    members = client.get("/api/v1/states/?page_size=100&mechanism=bali-process").json()
    expected = sorted(Membership.objects.current().filter(mechanism=bali).values_list("state__iso3", flat=True))
    assert [row["iso3"] for row in members["results"]] == expected
    in_asia = client.get(f"/api/v1/states/?page_size=100&region={afg.region.pk}").json()
    assert in_asia["count"] == selectors.states_in_region(afg.region).count()


def test_state_detail_lists_memberships_with_dates(client, bali):
    body = client.get("/api/v1/states/IDN/").json()
    current = Membership.objects.current().filter(state__iso3="IDN").select_related("mechanism")
    assert sorted(m["mechanism"]["slug"] for m in body["memberships"]) == sorted(m.mechanism.slug for m in current)
    bali_row = next(m for m in body["memberships"] if m["mechanism"]["slug"] == "bali-process")
    membership = current.get(mechanism=bali)
    assert bali_row == {
        "mechanism": {
            "slug": "bali-process",
            "acronym": "Bali Process",
            "name": bali.name,
            "kind": "IRF",
            "api_url": "http://testserver/api/v1/mechanisms/bali-process/",
        },
        "role": "member",
        "start_date": membership.start_date.isoformat() if membership.start_date else None,
        "end_date": None,
        "note": membership.note,
    }
    assert (body["former_memberships"], body["chair_history"], body["reviews"]) == ([], [], [])


def test_state_address_is_case_insensitive_and_unknown_is_not_found(client, reference_data):
    assert (client.get("/api/v1/states/idn/").status_code, client.get("/api/v1/states/ZZZ/").status_code) == (200, 404)


# --- query counts ---------------------------------------------------------------------------------------------

URLS = [
    LIST,
    LIST + "?state=IDN&kind=IRF&sort=-member_count&gcm=unknown&q=process&region=2&theme=asylum",
    "/api/v1/mechanisms/{slug}/",
    "/api/v1/states/?region=2",
    "/api/v1/states/IDN/",
]
# Anonymous: count and page (mechanisms: with their regions and themes); a mechanism with regions, themes,
# partners, memberships, chairs and its reviews; a State with memberships, chairs and reviews. Signed in: the
# session and the user, and the user's secretariat ids where the review rule is asked.
ANONYMOUS_QUERIES = [4, 4, 7, 2, 4]
IOM_QUERIES = [6, 6, 10, 4, 7]


def _counts(client, slug) -> list[int]:
    counts = []
    for url in URLS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(slug=slug)).status_code == 200
        counts.append(len(queries))
    return counts


def _assert_queries(client, slug, iom_user):
    anonymous = _counts(client, slug)
    client.force_login(iom_user)
    assert (anonymous, _counts(client, slug)) == (ANONYMOUS_QUERIES, IOM_QUERIES)


def test_query_counts_on_reference_data(client, bali, iom_user):
    _assert_queries(client, "bali-process", iom_user)


def test_query_counts_on_ten_times_the_reference_data(client, reference_data, iom_user):
    mechanisms, states, memberships = Mechanism.objects.count(), State.objects.count(), Membership.objects.count()
    new = directory_volume_create(
        mechanisms=9 * mechanisms,
        states=9 * states,
        memberships=9 * memberships,
        extra_state=State.objects.get(iso3="IDN"),
    )
    busiest = max(new, key=lambda m: m.memberships.count())
    assert (Mechanism.objects.count(), busiest.memberships.count() >= 29) == (10 * mechanisms, True)
    _assert_queries(client, busiest.slug, iom_user)
