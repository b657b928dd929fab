"""Every pledges URL against every role: the expected status code for each (table-driven)."""

import pytest
from django.urls import reverse

from mechanisms.models import State
from pledges.enums import PledgerType
from tests.factories import PledgeFactory, UserFactory

ROLES = ["anonymous", "plain", "focal_own", "focal_other", "secretariat_own", "secretariat_other", "iom", "admin"]

# (name, method, object, expected status per role in ROLES order)
# "own" means: the Indonesian focal point for the Indonesia pledge, the Bali Process secretariat for the Bali pledge.
MATRIX = [
    ("list", "get", None, [200, 200, 200, 200, 200, 200, 200, 200]),
    ("dashboard", "get", None, [200, 200, 200, 200, 200, 200, 200, 200]),
    ("export_csv", "get", None, [200, 200, 200, 200, 200, 200, 200, 200]),
    ("export_xlsx", "get", None, [200, 200, 200, 200, 200, 200, 200, 200]),
    ("create", "get", None, [302, 403, 200, 200, 200, 200, 200, 200]),
    ("detail", "get", "state_unpublished", [302, 403, 200, 403, 403, 403, 200, 200]),
    ("detail", "get", "mechanism_published", [200, 200, 200, 200, 200, 200, 200, 200]),
    ("edit", "get", "state_unpublished", [302, 403, 200, 403, 403, 403, 200, 200]),
    ("edit", "get", "mechanism_published", [302, 403, 403, 403, 200, 403, 200, 200]),
    ("progress_add", "post", "state_unpublished", [302, 403, 400, 403, 403, 403, 400, 400]),
    ("progress_add", "post", "mechanism_published", [302, 403, 403, 403, 400, 403, 400, 400]),
    ("import", "get", None, [302, 403, 403, 403, 403, 403, 200, 200]),
    ("import_confirm", "post", None, [302, 403, 403, 403, 403, 403, 302, 302]),
]


@pytest.fixture
def users(reference_data, bali, midwa):
    return {
        "anonymous": None,
        "plain": UserFactory(username="plain"),
        "focal_own": UserFactory(username="focal-idn", focal_point_state=State.objects.get(iso3="IDN")),
        "focal_other": UserFactory(username="focal-gha", focal_point_state=State.objects.get(iso3="GHA")),
        "secretariat_own": UserFactory(username="sec-bali", secretariat_mechanisms=[bali]),
        "secretariat_other": UserFactory(username="sec-midwa", secretariat_mechanisms=[midwa]),
        "iom": UserFactory(username="iom", is_iom_staff=True),
        "admin": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def pledges(reference_data, bali):
    return {
        "state_unpublished": PledgeFactory(is_published=False),
        "mechanism_published": PledgeFactory(
            pledger_type=PledgerType.ISCM, pledger_state=None, pledger_mechanism=bali, is_published=True
        ),
    }


def url_for(name, pledge):
    if name.startswith("export_"):
        return reverse("pledges:export", args=[name.removeprefix("export_")])
    if pledge is None:
        return reverse(f"pledges:{name}")
    return reverse(f"pledges:{name}", args=[pledge.pk])


@pytest.mark.parametrize(("name", "method", "obj", "expected"), MATRIX, ids=[f"{m[0]}-{m[2]}" for m in MATRIX])
def test_pledges_permission_matrix(client, users, pledges, name, method, obj, expected):
    url = url_for(name, pledges.get(obj))
    actual = []
    for role in ROLES:
        client.logout()
        if users[role]:
            client.force_login(users[role])
        response = getattr(client, method)(url)
        actual.append(response.status_code)
    assert dict(zip(ROLES, actual, strict=True)) == dict(zip(ROLES, expected, strict=True))


def test_pledges_anonymous_redirected_to_login(client, pledges):
    response = client.get(reverse("pledges:create"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/pledges/new/"


def test_pledges_list_hides_unpublished_from_public_and_other_states(client, users, pledges):
    titles = {}
    for role in ["anonymous", "focal_own", "focal_other", "iom"]:
        client.logout()
        if users[role]:
            client.force_login(users[role])
        titles[role] = sorted(p.title for p in client.get(reverse("pledges:list")).context["page"].object_list)
    public = [pledges["mechanism_published"].title]
    everything = sorted([pledges["mechanism_published"].title, pledges["state_unpublished"].title])
    assert titles == {"anonymous": public, "focal_own": everything, "focal_other": public, "iom": everything}
