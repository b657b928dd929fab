"""No endpoint, filter or link lets a caller read a review (or its library entries) the pages would not show
them: a draft stays with its secretariat (and administrators); a submitted review is also IOM's and the
focal points' of the mechanism's States; everyone reads approved ones."""

import json

import pytest

from library.services import library_index_review
from reviews.enums import ReviewStatus as S
from reviews.models import Review

pytestmark = pytest.mark.django_db


def _urls(reviews) -> list[str]:
    draft, submitted = reviews[S.DRAFT], reviews[S.SUBMITTED]
    urls = [
        "/api/v1/mechanisms/bali-process/",
        "/api/v1/states/IDN/",
        "/api/v1/states/AUS/",
        "/api/v1/cycles/",
        "/api/v1/reviews/",
        "/api/v1/reviews/?page_size=100",
        "/api/v1/library/practices/",
        "/api/v1/library/reviews/",
        "/api/v1/library/practices/?q=secret",
        "/api/v1/library/reviews/?q=secret+progress",
        "/api/v1/library/practices/?q=draft",
        "/api/v1/library/practices/?q=submitted+code",
        "/api/v1/library/practices/?objective=6&mechanism=bali-process",
        "/api/v1/library/pledges/?q=secret",
    ]
    for review in (draft, submitted):
        urls += [
            f"/api/v1/reviews/{review.pk}/",
            f"/api/v1/reviews/{review.pk}/objectives/6/",
            f"/api/v1/reviews/?cycle={review.cycle.slug}",
            f"/api/v1/reviews/?status={review.status}",
            f"/api/v1/reviews/?mechanism=bali-process&status={review.status}",
            f"/api/v1/library/practices/?cycle={review.cycle.slug}",
            f"/api/v1/library/reviews/?cycle={review.cycle.slug}&q=progress",
        ]
        urls += [f"/api/v1/library/practices/{p.pk}/" for p in review.library_practices.all()]
    return urls


def _leaks(client, reviews, hidden) -> list[str]:
    """Every (address, marker) where an answer shows something of a hidden review: its id, text or status."""
    found = []
    for url in _urls(reviews):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        document = json.loads(response.content)
        if response.status_code == 404:
            document.pop("instance")  # the address asked for, echoed in the problem document
        body = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
        for status in hidden:
            review = reviews[status]
            markers = [f"Secret {status} practice", f"Progress of the {status} review", f'"status":"{status}"']
            markers += [f'"id":{review.pk},', f"/reviews/{review.pk}/", f'"review":{review.pk},']
            found += [f"{url} {marker}" for marker in markers if marker in body]
    return found


@pytest.fixture
def indexed(bali_reviews):
    for review in bali_reviews.values():
        library_index_review(review=review)
    return bali_reviews


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        ("anonymous", [S.DRAFT, S.SUBMITTED]),
        ("midwa_secretariat", [S.DRAFT, S.SUBMITTED]),
        ("indonesia_focal_point", [S.DRAFT]),
        ("iom_user", [S.DRAFT]),
    ],
)
def test_no_endpoint_shows_a_review_the_caller_may_not_read(client, indexed, request, role, hidden):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert _leaks(client, indexed, hidden) == []


@pytest.mark.parametrize("role", ["bali_secretariat", "admin_user"])
def test_the_secretariat_and_administrators_read_the_draft(client, indexed, request, role):
    client.force_login(request.getfixturevalue(role))
    draft = indexed[S.DRAFT]
    body = client.get(f"/api/v1/reviews/{draft.pk}/").json()
    practices = client.get("/api/v1/library/practices/?q=secret+draft").json()
    assert (body["status"], body["objectives"][0]["progress"], [p["review"] for p in practices["results"]]) == (
        "draft",
        "Progress of the draft review.",
        [draft.pk],
    )


def test_anonymous_reads_the_approved_review_everywhere(client, indexed):
    approved = indexed[S.APPROVED]
    mechanism = client.get("/api/v1/mechanisms/bali-process/").json()
    state = client.get("/api/v1/states/IDN/").json()
    listed = client.get("/api/v1/reviews/").json()
    practices = client.get("/api/v1/library/practices/?q=secret").json()
    assert (
        [r["id"] for r in mechanism["reviews"]],
        [r["id"] for r in state["reviews"]],
        [r["id"] for r in listed["results"]],
        [p["review"] for p in practices["results"]],
        practices["counts"],
    ) == ([approved.pk], [approved.pk], [approved.pk], [approved.pk], {"practices": 1, "reviews": 0, "pledges": 0})


def test_visitors_are_answered_from_the_page_cache_but_callers_with_credentials_live(
    client, indexed, bali_secretariat, settings
):
    settings.PAGE_CACHE_ENABLED = True
    url = "/api/v1/reviews/"
    approved, submitted = indexed[S.APPROVED], indexed[S.SUBMITTED]
    assert [r["id"] for r in client.get(url).json()["results"]] == [approved.pk]
    # A change behind the services' back (they would expire the cached answer): visitors keep the cached one.
    Review.objects.filter(pk=submitted.pk).update(status=S.APPROVED)
    cached = [r["id"] for r in client.get(url).json()["results"]]
    with_token = [r["id"] for r in client.get(url, HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==").json()["results"]]
    client.force_login(bali_secretariat)
    signed_in = [r["id"] for r in client.get(url).json()["results"]]
    assert (cached, with_token, len(signed_in)) == ([approved.pk], [submitted.pk, approved.pk], 3)
