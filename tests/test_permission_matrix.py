"""Every URL of the portal, requested by every role, with the answer each must get.

The rows live in tests/permission_matrix/<app>.py (see its __init__ for how to add an app's rows); this
module discovers them all. The coverage test fails while any named URL of the portal has no row, so the
matrix grows with every feature.
"""

import pytest
from django.urls import reverse

from tests.permission_matrix import LOGIN, REDIRECT, ROLES, matrix_modules, role_users, url_names, world_build

MODULES = matrix_modules()
CASES = [case for module in MODULES for case in module.CASES]


def test_matrix_covers_every_named_url_of_the_portal():
    # The admin's own pages are Django's; the matrix checks that its entry point is guarded.
    portal = {name for name in url_names() if not name.startswith("admin:")} | {"admin:index"}
    assert portal - {case.name for case in CASES} == set()


def test_matrix_rows_are_unique_and_complete():
    ids = [case.id for case in CASES]
    assert [case_id for case_id in ids if ids.count(case_id) > 1] == []
    assert [case.id for case in CASES if set(case.expected) != set(ROLES)] == []


@pytest.fixture
def world(
    reference_data, bali, midwa, bali_secretariat, midwa_secretariat, iom_user, admin_user, indonesia_focal_point
):
    users = role_users(
        focal_point=indonesia_focal_point,
        own_secretariat=bali_secretariat,
        other_secretariat=midwa_secretariat,
        iom=iom_user,
        admin=admin_user,
    )
    return world_build(users, bali=bali, midwa=midwa)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_permission_matrix(client, world, case, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(case.name, kwargs=case.kwargs(world) if case.kwargs else None)
    response = client.post(url, case.data) if case.method == "POST" else client.get(url)
    expected = case.expected[role]
    if expected == LOGIN:
        answer = (response.status_code, response.url.split("?")[0])
        assert answer == (302, reverse("login"))
    elif expected == REDIRECT:
        assert response.status_code == 302
        assert response.url.split("?")[0] != reverse("login")
    else:
        assert response.status_code == expected


def test_matrix_roles_are_distinct_people(world):
    people = [user.pk for user in world.users.values() if user is not None]
    assert (len(ROLES), len(set(people))) == (6, 5)
