"""Every URL of the portal, requested by every role, with the answer each must get.

To add a page: append a `Case` to CASES (or to the list of your app below it). The coverage test fails
while any named URL of the portal has no case, so the matrix grows with every feature.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reviews.enums import ReviewStatus as S
from tests.factories import CommentFactory, UserFactory, review_in_status

ROLES = ["anonymous", "focal_point", "own_secretariat", "other_secretariat", "iom", "admin"]
LOGIN = "login"  # 302 to the login page
REDIRECT = "redirect"  # 302 somewhere else (an action done or refused with a message, a role's landing page)


@dataclass(frozen=True)
class Case:
    """One URL (by name) and the answer per role; `kwargs(world)` builds its arguments from the test data."""

    name: str
    expected: dict[str, int | str]
    kwargs: object = None  # callable taking the World, or None
    method: str = "GET"
    data: dict = field(default_factory=dict)
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{'[' + self.label + ']' if self.label else ''}"


def expect(default, **per_role):
    return {role: per_role.get(role, default) for role in ROLES}


def everyone(code):
    return expect(code)


def logged_in(code):
    return expect(code, anonymous=LOGIN)


@dataclass
class World:
    users: dict
    bali_submitted: object
    bali_draft: object
    midwa_submitted: object
    comment: object


# Workflow pages of a submitted review: its secretariat, IOM and administrators only.
WORKFLOW_SUBMITTED = expect(403, anonymous=LOGIN, own_secretariat=200, iom=200, admin=200)
# A draft is the secretariat's own, hidden even from IOM.
WORKFLOW_DRAFT = expect(403, anonymous=LOGIN, own_secretariat=200, admin=200)
# POST actions: those who may see the review get a redirect back with a success or refusal message.
WORKFLOW_POST = expect(403, anonymous=LOGIN, own_secretariat=REDIRECT, iom=REDIRECT, admin=REDIRECT)


def _submitted(world):
    return {"pk": world.bali_submitted.pk}


CASES = [
    # Site
    Case("home", everyone(200)),
    Case("healthz", everyone(200)),
    Case("login", expect(REDIRECT, anonymous=200)),
    Case("logout", everyone(405)),
    Case("password_change", logged_in(200)),
    Case("password_change_done", logged_in(200)),
    Case("accounts:landing", logged_in(REDIRECT)),
    Case("admin:index", expect(REDIRECT, admin=200)),
    # Directory
    Case("mechanisms:directory", everyone(200)),
    Case("mechanisms:mechanism_detail", everyone(200), lambda w: {"slug": "bali-process"}),
    Case("mechanisms:mechanism_detail", everyone(404), lambda w: {"slug": "no-such"}, label="unknown"),
    Case("mechanisms:state_detail", everyone(200), lambda w: {"iso3": "IDN"}),
    # Pledges
    Case("pledges:list", everyone(200)),
    # Reviews
    Case("reviews:my_reviews", logged_in(200)),
    Case("reviews:iom_dashboard", expect(403, anonymous=LOGIN, iom=200, admin=200)),
    # Django grants a superuser every permission: administrators open every page (empty for them here).
    Case("reviews:focal_point_dashboard", expect(403, anonymous=LOGIN, focal_point=200, admin=200)),
    Case(
        "reviews:secretariat_dashboard",
        expect(403, anonymous=LOGIN, own_secretariat=200, other_secretariat=200, admin=200),
    ),
    Case("reviews:review_workflow", WORKFLOW_SUBMITTED, _submitted),
    Case("reviews:review_workflow", WORKFLOW_DRAFT, lambda w: {"pk": w.bali_draft.pk}, label="draft"),
    Case("reviews:review_workflow", everyone(404), lambda w: {"pk": 987654}, label="unknown"),
    Case("reviews:review_compare", WORKFLOW_SUBMITTED, _submitted),
    Case("reviews:review_compare", WORKFLOW_DRAFT, lambda w: {"pk": w.bali_draft.pk}, label="draft"),
    Case("reviews:review_transition", everyone(405), lambda w: {"pk": w.bali_submitted.pk, "action": "approve"}),
    Case(
        "reviews:review_transition",
        WORKFLOW_POST,
        lambda w: {"pk": w.bali_submitted.pk, "action": "approve"},
        method="POST",
    ),
    Case(
        "reviews:review_transition",
        expect(403, anonymous=LOGIN, own_secretariat=REDIRECT, admin=REDIRECT),
        lambda w: {"pk": w.bali_draft.pk, "action": "submit"},
        method="POST",
        label="draft",
    ),
    Case("reviews:comment_add", everyone(405), _submitted),
    Case("reviews:comment_add", WORKFLOW_POST, _submitted, method="POST", data={"part": "overview", "body": "Hi"}),
    Case("reviews:comment_reply", WORKFLOW_POST, lambda w: {"comment_pk": w.comment.pk}, "POST", {"body": "Ok"}),
    Case("reviews:comment_resolve", WORKFLOW_POST, lambda w: {"comment_pk": w.comment.pk}, "POST"),
    Case("reviews:comment_resolve", everyone(404), lambda w: {"comment_pk": 987654}, "POST", label="unknown"),
]


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_matrix_covers_every_named_url_of_the_portal():
    # The admin's own pages are Django's; the matrix checks that its entry point is guarded.
    portal = {name for name in _url_names() if not name.startswith("admin:")} | {"admin:index"}
    assert portal - {case.name for case in CASES} == set()


@pytest.fixture
def world(bali, midwa, bali_secretariat, midwa_secretariat, iom_user, admin_user, indonesia_focal_point):
    from tests.factories import ReviewCycleFactory

    bali_submitted = review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user)
    draft_cycle = ReviewCycleFactory(review_year=2028)
    bali_draft = review_in_status(
        S.DRAFT, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=draft_cycle
    )
    midwa_submitted = review_in_status(S.SUBMITTED, mechanism=midwa, secretariat=midwa_secretariat, iom=iom_user)
    users = {
        "anonymous": None,
        "focal_point": indonesia_focal_point,
        "own_secretariat": bali_secretariat,
        "other_secretariat": midwa_secretariat,
        "iom": iom_user,
        "admin": admin_user,
    }
    comment = CommentFactory(review=bali_submitted, author=iom_user)
    return World(users, bali_submitted, bali_draft, midwa_submitted, comment)


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


def test_matrix_roles_are_distinct_people(db):
    assert len(ROLES) == len(set(ROLES)) == 6
    assert UserFactory(username="x").is_iom_staff is False
