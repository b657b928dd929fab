"""No endpoint and no filter lets a caller read what the pages hide from them: a draft (or any review not yet
approved), IOM's comments, an unpublished pledge and its updates, or another mechanism's private fields.

Secret markers are written into each hidden thing; then every GET operation of the published schema
(/api/schema/, so a new endpoint is covered the day it is added) is called with every path value the test data
offers and with each of its query parameters set, one at a time, to each value the schema lists for it, or
else to values aimed at the hidden things (their ids, slugs, years and markers). No answer may contain a
marker, and the hidden things' own addresses answer 404.
"""

import itertools
import re

import pytest
from rest_framework.test import APIClient

from accounts.enums import TokenScope
from accounts.services import api_token_create
from mechanisms.models import Mechanism
from pledges.models import PledgeUpdate
from reviews.enums import ReviewStatus as S
from tests.factories import CommentFactory, PledgeFactory, ReviewCycleFactory, review_in_status

MARKER = "ZQXSECRET"


@pytest.fixture
def hidden(reference_data, bali, bali_secretariat, iom_user):
    """A public world (an approved review, a published pledge) beside hidden things that carry markers."""
    cycle = ReviewCycleFactory(review_year=2031)
    approved = review_in_status(S.APPROVED, mechanism=bali, secretariat=bali_secretariat, iom=iom_user, cycle=cycle)
    unapproved = {}
    for number, status in enumerate([S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.WITHDRAWN]):
        review = review_in_status(
            status,
            mechanism=bali,
            secretariat=bali_secretariat,
            iom=iom_user,
            cycle=ReviewCycleFactory(review_year=2040 + number),
            key_messages=f"{MARKER}-review-{status} key messages",
        )
        review.objective_reports.update(progress=f"{MARKER}-progress-{status}")
        unapproved[status] = review
    CommentFactory(review=approved, author=iom_user, body=f"{MARKER}-comment on the approved review")
    bali.notes = f"{MARKER}-notes IOM's working notes"
    bali.save()
    published = PledgeFactory(title="Public pledge", objectives=[6])
    secret = PledgeFactory(title=f"{MARKER}-pledge", text=f"{MARKER}-pledge-text", is_published=False, objectives=[6])
    PledgeUpdate.objects.create(pledge=secret, date="2024-01-01", text=f"{MARKER}-update", status="in_progress")
    published.matches = secret
    published.save()
    return {"approved": approved, "unapproved": unapproved, "published": published, "secret": secret, "cycle": cycle}


def _schema_operations(client) -> list[tuple[str, list[str], dict[str, list]]]:
    """(path template, path parameter names, query parameters with the values the schema lists) of every GET."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = []
    for template, methods in schema["paths"].items():
        if "get" not in methods:
            continue
        path_names, query = [], {}
        for parameter in methods["get"].get("parameters", []):
            if parameter["in"] == "path":
                path_names.append(parameter["name"])
            elif parameter["in"] == "query":
                described = parameter.get("schema", {})
                items = described.get("items", {})
                query[parameter["name"]] = list(described.get("enum", []) or items.get("enum", []))
        operations.append((template, path_names, query))
    return operations


def _path_values(hidden, bali) -> dict[str, list]:
    reviews = [hidden["approved"], *hidden["unapproved"].values()]
    return {
        "id": [review.pk for review in reviews] + [hidden["published"].pk, hidden["secret"].pk],
        "slug": [bali.slug, hidden["cycle"].slug, *{review.cycle.slug for review in reviews}],
        "iso3": ["IDN", "AUS"],
        "number": [1, 6],
    }


def _query_values(hidden, bali) -> list:
    """Values aimed at the hidden things (the search term finds every marker), for parameters listing none."""
    draft = hidden["unapproved"][S.DRAFT]
    return [
        MARKER,
        draft.pk,
        hidden["secret"].pk,
        draft.cycle.review_year,
        draft.cycle.slug,
        bali.slug,
        "IDN",
        6,
        "true",
    ]


def _callers(midwa_secretariat):
    """Anonymous, and another mechanism's secretariat with a token (Bali's hidden things are not theirs)."""
    anonymous = APIClient()
    _token, secret = api_token_create(user=midwa_secretariat, name="leaks", scope=TokenScope.READ)
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return {"anonymous": anonymous, "other secretariat": other}


def test_no_endpoint_or_filter_shows_hidden_things(hidden, bali, midwa_secretariat):
    operations = _schema_operations(APIClient())
    assert {template for template, _names, _query in operations} >= {
        "/api/v1/mechanisms/{slug}/",
        "/api/v1/reviews/",
        "/api/v1/reviews/{id}/",
        "/api/v1/pledges/",
        "/api/v1/pledges/{id}/",
        "/api/v1/pledges/dashboard/",
    }
    path_values, aimed = _path_values(hidden, bali), _query_values(hidden, bali)
    leaks, answered = [], 0
    for label, client in _callers(midwa_secretariat).items():
        for template, path_names, query in operations:
            for combination in itertools.product(*(path_values.get(name, [1]) for name in path_names)):
                url = template
                for name, value in zip(path_names, combination, strict=True):
                    url = url.replace("{" + name + "}", str(value))
                # A parameter with listed values gets each of them (the statuses of hidden things among them),
                # any other the values aimed at the hidden things.
                requests = [{}] + [
                    {name: value, "page_size": 100} for name, listed in query.items() for value in listed or aimed
                ]
                for params in requests:
                    response = client.get(url, params)
                    answered += response.status_code == 200
                    # Planted text reads MARKER-<what>; the bare MARKER searched for may be echoed in links.
                    found = sorted(set(re.findall(rf"{MARKER}-[a-z_-]+", response.content.decode())))
                    if found:
                        leaks.append(f"{label}: GET {url} {params} -> {response.status_code} {found}")
    assert leaks == []
    assert answered > 100  # the calls reached real answers, not only errors


def test_hidden_things_addresses_answer_404(hidden, midwa_secretariat):
    for label, client in _callers(midwa_secretariat).items():
        answers = [client.get(f"/api/v1/reviews/{review.pk}/").status_code for review in hidden["unapproved"].values()]
        answers.append(client.get(f"/api/v1/pledges/{hidden['secret'].pk}/").status_code)
        assert (label, answers) == (label, [404] * 6)


def test_notes_are_iom_only(hidden, bali, iom_user):
    _token, secret = api_token_create(user=iom_user, name="notes", scope=TokenScope.READ)
    iom = APIClient()
    iom.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert iom.get(f"/api/v1/mechanisms/{bali.slug}/").json()["data_notes"] == f"{MARKER}-notes IOM's working notes"
    assert APIClient().get(f"/api/v1/mechanisms/{bali.slug}/").json()["data_notes"] is None
    assert Mechanism.objects.get(pk=bali.pk).notes.startswith(MARKER)
