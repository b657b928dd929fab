"""What every endpoint of the API shares: problem documents for errors, ETag and 304, pagination."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _problem(response) -> tuple:
    """Status, content type and the problem document."""
    return response.status_code, response["Content-Type"], json.loads(response.content)


def test_unknown_address_under_api_is_a_problem_document(client):
    response = client.get("/api/v1/no-such-thing/?x=1")
    assert _problem(response) == (
        404,
        PROBLEM,
        {
            "type": "/api/docs/#problem-not-found",
            "title": "Not found",
            "status": 404,
            "detail": "There is no API endpoint at this address.",
            "instance": "/api/v1/no-such-thing/?x=1",
        },
    )


def test_unknown_address_outside_api_is_still_the_portal_page(client):
    response = client.get("/no-such-page/")
    assert (response.status_code, response["Content-Type"]) == (404, "text/html; charset=utf-8")


def test_request_django_refuses_under_api_is_a_problem_document(client):
    """An unknown Host is refused (400) before any view: a problem document that does not repeat the Host."""
    response = client.get("/api/v1/mechanisms/?kind=RCP", HTTP_HOST="attacker.example")
    assert _problem(response) == (
        400,
        PROBLEM,
        {
            "type": "/api/docs/#problem-invalid-request",
            "title": "Invalid request",
            "status": 400,
            "detail": "The server could not understand this request.",
            "instance": "/api/v1/mechanisms/?kind=RCP",
        },
    )
    assert ("attacker.example" in response.content.decode(), response["Cache-Control"]) == (False, "no-cache")


def test_request_django_refuses_is_answered_in_the_callers_language(client):
    response = client.get("/api/v1/pledges/", HTTP_HOST="bad host!", HTTP_ACCEPT_LANGUAGE="fr")
    status, content_type, document = _problem(response)
    assert (status, content_type, document["title"], document["detail"]) == (
        400,
        PROBLEM,
        "Requête invalide",
        "Le serveur n’a pas pu comprendre cette requête.",
    )


def test_malformed_request_under_api_is_a_problem_document(client, reference_data):
    """A NUL in the query string is refused (400) before any view (iscm_portal/request_guard.py)."""
    response = client.get("/api/v1/pledges/?status=%00")
    status, content_type, document = _problem(response)
    assert (status, content_type, document["title"], document["instance"]) == (
        400,
        PROBLEM,
        "Invalid request",
        "/api/v1/pledges/?status=%00",
    )


def test_request_django_refuses_outside_api_is_still_djangos_page(client):
    response = client.get("/directory/", HTTP_HOST="attacker.example")
    assert (response.status_code, response["Content-Type"]) == (400, "text/html; charset=utf-8")


def test_address_without_its_slash_is_redirected(client):
    response = client.get("/api/v1/mechanisms?kind=RCP")
    assert (response.status_code, response["Location"]) == (301, "/api/v1/mechanisms/?kind=RCP")


def test_missing_object_is_a_problem_document(client, reference_data):
    response = client.get(reverse("api:mechanism-detail", kwargs={"slug": "no-such"}))
    assert _problem(response) == (
        404,
        PROBLEM,
        {
            "type": "/api/docs/#problem-not-found",
            "title": "Not found",
            "status": 404,
            "detail": "Not found.",
            "instance": "/api/v1/mechanisms/no-such/",
        },
    )


def test_invalid_filter_names_the_field(client, reference_data):
    response = client.get("/api/v1/mechanisms/?kind=NOPE")
    assert _problem(response) == (
        400,
        PROBLEM,
        {
            "type": "/api/docs/#problem-invalid-request",
            "title": "Invalid request",
            "status": 400,
            "detail": "The request has invalid values; see errors.",
            "instance": "/api/v1/mechanisms/?kind=NOPE",
            "errors": {"kind": ["Select a valid choice. NOPE is not one of the available choices."]},
        },
    )


def test_problem_titles_follow_the_callers_language(client, reference_data):
    response = client.get("/api/v1/mechanisms/?page=0", HTTP_ACCEPT_LANGUAGE="fr")
    document = json.loads(response.content)
    assert (document["title"], document["errors"]) == (
        "Requête invalide",
        {"page": ["Indiquez un nombre entier égal ou supérieur à 1."]},
    )


@pytest.mark.parametrize(
    ("query", "status", "errors"),
    [
        ("page=0", 400, {"page": ["Give a whole number of 1 or more."]}),
        ("page=-3", 400, {"page": ["Give a whole number of 1 or more."]}),
        ("page=abc", 400, {"page": ["Give a whole number of 1 or more."]}),
        ("page=" + "9" * 40, 400, {"page": ["Give a whole number of 1 or more."]}),
        ("page=%D9%A3", 400, {"page": ["Give a whole number of 1 or more."]}),
        ("page_size=0", 400, {"page_size": ["Give a whole number of 1 or more."]}),
        ("page_size=101", 400, {"page_size": ["Give at most 100."]}),
        ("page=999", 404, None),
    ],
)
def test_malformed_pages_are_refused_with_a_reason(client, reference_data, query, status, errors):
    response = client.get(f"/api/v1/mechanisms/?{query}")
    code, content_type, document = _problem(response)
    assert (code, content_type, document.get("errors")) == (status, PROBLEM, errors)


def test_pages_link_to_their_neighbours_in_a_stable_order(client, reference_data):
    first = client.get("/api/v1/states/?page_size=50").json()
    second = client.get(first["next"]).json()
    assert (first["count"], first["previous"], second["previous"]) == (
        208,
        None,
        "http://testserver/api/v1/states/?page_size=50",
    )
    codes = [state["iso3"] for state in first["results"] + second["results"]]
    assert codes == sorted(codes) and len(set(codes)) == 100


def test_writing_to_a_reading_endpoint_is_method_not_allowed(client, reference_data):
    response = client.post("/api/v1/mechanisms/", {}, content_type="application/json")
    code, content_type, document = _problem(response)
    assert (code, content_type, document["title"], document["detail"], response["Allow"]) == (
        405,
        PROBLEM,
        "Method not allowed",
        'Method "POST" not allowed.',
        "GET, HEAD, OPTIONS",
    )


def test_a_format_other_than_json_is_not_acceptable(client, reference_data):
    response = client.get("/api/v1/mechanisms/", HTTP_ACCEPT="text/html")
    code, content_type, document = _problem(response)
    assert (code, content_type, document["title"]) == (406, PROBLEM, "Not acceptable")


@pytest.mark.urls("tests.api.urls")
def test_malformed_json_body_is_a_problem_document(client):
    response = client.post("/api/test-echo/", "{not json", content_type="application/json")
    code, content_type, document = _problem(response)
    assert (code, content_type, document["title"], document["detail"].startswith("JSON parse error")) == (
        400,
        PROBLEM,
        "Invalid request",
        True,
    )


@pytest.mark.urls("tests.api.urls")
def test_body_in_another_media_type_is_unsupported(client):
    response = client.post("/api/test-echo/", "a=1", content_type="text/plain")
    assert _problem(response) == (
        415,
        PROBLEM,
        {
            "type": "/api/docs/#problem-unsupported-media-type",
            "title": "Unsupported media type",
            "status": 415,
            "detail": 'Unsupported media type "text/plain" in request.',
            "instance": "/api/test-echo/",
        },
    )


@pytest.mark.urls("tests.api.urls")
def test_valid_json_body_reaches_the_view(client):
    response = client.post("/api/test-echo/", {"a": [1, "é"]}, content_type="application/json")
    assert (response.status_code, response.json()) == (200, {"received": {"a": [1, "é"]}})


def test_every_get_has_an_etag_and_a_matching_one_gets_304(client, reference_data):
    url = "/api/v1/mechanisms/?kind=RCP"
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    other = client.get("/api/v1/mechanisms/?kind=IRF", HTTP_IF_NONE_MATCH=etag)
    assert (first.status_code, again.status_code, again.content, again["ETag"], other.status_code) == (
        200,
        304,
        b"",
        etag,
        200,
    )
    vary = sorted(name.strip() for name in first["Vary"].split(","))
    assert (first["Cache-Control"], vary) == ("no-cache", ["Accept", "Accept-Language", "Authorization", "Cookie"])


def test_answers_from_the_page_cache_carry_their_etag_and_get_304(client, reference_data, settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    url = "/api/v1/mechanisms/?kind=RCP"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(url)
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (len(queries), cached.content, cached["ETag"], not_modified.status_code) == (
        0,
        first.content,
        first["ETag"],
        304,
    )


def test_cached_api_address_follows_the_urlconf_in_force(client, reference_data, settings):
    """The page cache keeps what view an API address is (iscm_portal/page_cache.py) per URLconf: once another
    URLconf gives the address to a view that is no public page, the cached answer is no longer given."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    url = "/api/v1/states/"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(url)
    settings.ROOT_URLCONF = "tests.api.private_urls"
    elsewhere = client.get(url)
    assert (first.status_code, len(queries), cached.content == first.content, elsewhere.content) == (
        200,
        0,
        True,
        b"not from the cache",
    )


def test_etag_differs_between_callers_who_see_different_things(client, bali, iom_user):
    """IOM sees the notes on the data (null for visitors): its answer, and so its ETag, differ."""
    bali.notes = "Membership reconciled with the 2019 ministerial declaration."
    bali.save()
    url = reverse("api:mechanism-detail", kwargs={"slug": "bali-process"})
    anonymous = client.get(url)
    client.force_login(iom_user)
    iom = client.get(url, HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert (iom.status_code, iom.json()["data_notes"], anonymous.json()["data_notes"]) == (
        200,
        "Membership reconciled with the 2019 ministerial declaration.",
        None,
    )


def test_pages_outside_the_api_get_no_etag_from_it(client, reference_data):
    response = client.get(reverse("mechanisms:directory"))
    assert (response.status_code, response.has_header("ETag")) == (200, False)


def test_schema_and_docs_are_served(client, reference_data):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = client.get(reverse("api:docs"))
    document = schema.json()
    assert (schema.status_code, document["openapi"], docs.status_code) == (200, "3.0.3", 200)
    assert sorted(document["components"]["schemas"]["Problem"]["required"]) == [
        "detail",
        "instance",
        "status",
        "title",
        "type",
    ]
    assert b"cdn" not in docs.content.lower() and b"/static/drf_spectacular_sidecar/" in docs.content
