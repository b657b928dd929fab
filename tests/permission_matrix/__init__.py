"""The portal-wide permission matrix: every named URL, requested by every role, with the answer each gets.

One module per app in this package (site.py, mechanisms.py, reviews.py, pledges.py, ...). Each module has

- `CASES`: a list of `Case` rows, and
- optionally `arrange(world)`: creates the objects its cases need and sets them as attributes of `world`
  (users, `bali`, `midwa` and `reference_data` are there already).

tests/test_permission_matrix.py discovers every module of this package by itself: a new app adds its
own module here and touches no shared file. The coverage test fails while any named URL has no row.
"""

import importlib
import pkgutil
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ["anonymous", "focal_point", "own_secretariat", "other_secretariat", "iom", "admin"]
LOGIN = "login"  # 302 to the login page
REDIRECT = "redirect"  # 302 somewhere else (an action done or refused with a message, a role's landing page)


@dataclass(frozen=True)
class Case:
    """One URL (by name) and the answer per role; `kwargs(world)` builds its arguments from the test data.

    POST-only endpoints get a row with method="POST" (and `data`); a GET row for them expects 405.
    """

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
    """The same answer for every role, except those named."""
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: per_role.get(role, default) for role in ROLES}


def everyone(code):
    return expect(code)


def logged_in(code):
    return expect(code, anonymous=LOGIN)


class World:
    """The test data every case is built from: `users` by role, plus whatever each app's `arrange` sets.

    Users: focal point of Indonesia (a Member State of the Bali Process), the Bali Process secretariat
    ("own"), the MIDWA secretariat ("other"), an IOM staff member, a superuser.
    """

    def __init__(self, users: dict, **objects):
        self.users = users
        for name, value in objects.items():
            setattr(self, name, value)


def matrix_modules():
    """Every module of this package: each app's rows (and its `arrange`)."""
    return [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]


def url_names(resolver=None, namespace=""):
    """Every named URL of the portal, namespaced (`reviews:review_detail`), read from the URL resolver."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def world_build(users: dict, **objects) -> World:
    """The matrix's test data: the users by role and the given objects, then every app's `arrange`."""
    world = World(users, **objects)
    for module in matrix_modules():
        if hasattr(module, "arrange"):
            module.arrange(world)
    return world


def role_users(*, focal_point, own_secretariat, other_secretariat, iom, admin) -> dict:
    """The user playing each of ROLES (None for the anonymous visitor)."""
    users = {
        "anonymous": None,
        "focal_point": focal_point,
        "own_secretariat": own_secretariat,
        "other_secretariat": other_secretariat,
        "iom": iom,
        "admin": admin,
    }
    assert list(users) == ROLES
    return users
