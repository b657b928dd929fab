"""The practice library in the API: the search page's results, order, counts, highlights and languages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gcm.models import Objective
from library.models import Practice
from library.services import library_index_review
from mechanisms.models import Mechanism
from reviews.enums import ReviewStatus
from tests.factories import ApprovedReviewFactory, PracticeReportFactory
from tests.library.conftest import make_report  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

MECHANISMS = ["bali-process", "midwa", "rmfm", "colombo-process", "prague-process", "rcm-puebla-process"]
KIND_ENDPOINT = {"practices": "/api/v1/library/practices/", "reviews": "/api/v1/library/reviews/"}


@pytest.fixture
def library(make_report):  # noqa: F811
    for year in (2022, 2024):
        for slug in MECHANISMS:
            for number in (6, 10):
                make_report(slug=slug, number=number, year=year)
    make_report(slug="abu-dhabi-dialogue", status=ReviewStatus.DRAFT)


def _page_results(client, kind, query):
    """What the library's search page lists on its `kind` tab, and its tab counts."""
    response = client.get(reverse("library:search"), {**query, "type": kind})
    tabs = {tab["value"]: tab["count"] for tab in response.context["tabs"]}
    items = response.context["page"].object_list
    return [item.review_id if kind == "reviews" else item.pk for item in items], tabs


@pytest.mark.parametrize("kind", ["practices", "reviews"])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "recruitment"},
        {"q": "ethical recruitment", "region": "Asia"},
        {"q": '"recruitment fees" -corridors'},
        {"objective": "10", "mechanism": "midwa"},
        {"kind": "challenge", "q": "fees"},
        {"language": "fr", "q": "recruitment"},
    ],
)
def test_results_order_and_counts_are_the_search_pages(client, library, kind, query):
    expected, tabs = _page_results(client, kind, query)
    body = client.get(KIND_ENDPOINT[kind], query).json()
    key = "id" if kind == "practices" else "review"
    got = [row[key] for row in body["results"]]
    assert (got, body["counts"]) == (expected, tabs)


def test_practice_result_fields_and_highlights(client, make_report):  # noqa: F811
    report = make_report()
    practice = report.library_practices.filter(kind="good_practice").order_by("position").first()
    body = client.get("/api/v1/library/practices/", {"q": "ethical recruitment", "kind": "good_practice"}).json()
    assert body["results"][0] == {
        "id": practice.pk,
        "kind": "good_practice",
        "title": "Ethical recruitment standards",
        "body": practice.body,
        "title_html": "<mark>Ethical recruitment</mark> standards",
        "snippet_html": body["results"][0]["snippet_html"],
        "language": "en",
        "mechanism": {"slug": "bali-process", "acronym": "Bali Process"},
        "cycle": report.review.cycle.slug,
        "objective": 6,
        "review": report.review_id,
        "status": "approved",
        "url": f"http://testserver/library/practices/{practice.pk}/",
        "api_url": f"http://testserver/api/v1/library/practices/{practice.pk}/",
        "review_api_url": f"http://testserver/api/v1/reviews/{report.review_id}/",
    }
    assert "<mark>ethical recruitment</mark>" in body["results"][0]["snippet_html"]
    detail = client.get(body["results"][0]["api_url"]).json()
    assert (detail["title_html"], detail["id"]) == ("Ethical recruitment standards", practice.pk)


def test_text_is_escaped_in_highlights(client, make_report):  # noqa: F811
    make_report(good_practices="- **<script>alert(1)</script> recruitment.** Fees & <b>costs</b>.")
    row = client.get("/api/v1/library/practices/", {"q": "recruitment", "kind": "good_practice"}).json()["results"][0]
    assert "<script>" not in row["title_html"] + row["snippet_html"]
    assert "&lt;script&gt;" in row["title_html"]


def test_a_french_query_finds_french_entries_by_their_stems(client, reference_data):
    review = ApprovedReviewFactory(mechanism=Mechanism.objects.get(slug="midwa"), language="fr")
    PracticeReportFactory(
        review=review,
        objective=Objective.objects.get(number=6),
        good_practices="- **Guichet unique pour le travailleur migrant.** Ouvert dans chaque agence pour l'emploi.",
        challenges="",
        recommendations="",
    )
    library_index_review(review=review)
    rows = client.get("/api/v1/library/practices/", {"q": "travailleurs migrants", "language": "fr"}).json()["results"]
    assert [(row["title"], row["title_html"], row["language"]) for row in rows] == [
        (
            "Guichet unique pour le travailleur migrant",
            "Guichet unique pour le <mark>travailleur migrant</mark>",
            "fr",
        )
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("objective=24", "objective"),
        ("objective=abc", "objective"),
        ("region=Atlantis", "region"),
        ("mechanism=no-such", "mechanism"),
        ("kind=secret", "kind"),
        ("language=xx", "language"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_invalid_search_parameters_are_refused(client, reference_data, query, field):
    response = client.get(f"/api/v1/library/practices/?{query}")
    assert (response.status_code, list(response.json()["errors"])) == (400, [field])


def test_a_nul_in_a_search_parameter_is_refused_before_the_search(client, reference_data):
    """iscm_portal/request_guard.py refuses it before any view: a problem document, without field errors."""
    response = client.get("/api/v1/library/practices/?cycle=%00")
    assert (response.status_code, response["Content-Type"], "errors" in response.json()) == (
        400,
        "application/problem+json",
        False,
    )


@pytest.mark.parametrize(
    "q", ['"', "-", "or or", "&|!():*", "%F0%9F%98%80", "a" * 200, "'; drop table library_practice; --"]
)
def test_odd_queries_never_fail(client, library, q):
    for endpoint in ("practices", "reviews", "pledges"):
        response = client.get(f"/api/v1/library/{endpoint}/?q={q}")
        assert (response.status_code, response["Content-Type"]) == (200, "application/json")


URLS = [
    "/api/v1/library/practices/?q=recruitment&region=Asia",
    "/api/v1/library/reviews/?q=recruitment",
    "/api/v1/library/pledges/?objective=6",
    "/api/v1/library/practices/?objective=6&kind=good_practice",
    "/api/v1/library/practices/{pk}/",
]
# The search: the four facet lists, the count and page of the kind asked for, the counts of the other kinds (no
# pledges here: their empty page costs no query). An entry: with its three prefetches.
QUERIES = [8, 8, 7, 8, 4]


@pytest.mark.parametrize("size", ["small", "large"])
def test_query_counts(client, make_report, size):  # noqa: F811
    years = (2024,) if size == "small" else (2016, 2018, 2020, 2022, 2024)
    for year in years:
        for slug in MECHANISMS:
            make_report(slug=slug, number=6, year=year)
    practice = Practice.objects.filter(mechanism__slug="bali-process", kind="good_practice").first()
    counts = []
    for url in URLS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(pk=practice.pk)).status_code == 200
        counts.append(len(queries))
    assert counts == QUERIES
