"""Pledge permissions beyond status codes. The status code of every pledges URL for every role is in the
portal-wide matrix: tests/permission_matrix/pledges.py."""

import pytest
from django.urls import reverse

from mechanisms.models import State
from pledges.enums import PledgerType
from tests.factories import PledgeFactory, UserFactory


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
