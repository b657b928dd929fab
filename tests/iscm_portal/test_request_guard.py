"""A NUL character anywhere in an address is refused before it reaches a view (and PostgreSQL, which cannot
store it): 404 in the path, 400 in the query string, never a server error, for pages and the API alike."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Each path takes a value a view looks up in the database (a State's code, an API object's key, a part name).
NUL_PATHS = [
    "/directory/states/%00/",
    "/directory/states/ID%00N/",
    "/api/v1/states/%00/",
    "/api/v1/mechanisms/bali%00/",
    "/reviews/1/copied/objective%00/checked/",
    "/pledges/export.c%00sv",
]
NUL_QUERIES = [
    "/directory/?kind=%00",
    "/directory/states/IDN/?region=1%00",
    "/pledges/?q=%00",
    "/library/search/?q=mig%00ration",
    "/login/?next=/%00",
    "/api/v1/pledges/?status=%00",
    "/api/v1/mechanisms/?ordering=%00",
]


@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_in_the_path_is_a_page_that_does_not_exist(client, reference_data, path):
    response = client.get(path)
    assert response.status_code == 404


def test_under_the_api_the_404_is_a_problem_document(client, reference_data):
    response = client.get("/api/v1/states/%00/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_page_404_is_the_portal_page(client, reference_data):
    response = client.get("/directory/states/%00/")
    assert "404.html" in [template.name for template in response.templates]


@pytest.mark.parametrize("path", NUL_QUERIES)
def test_a_nul_in_the_query_is_a_bad_request(client, reference_data, path):
    response = client.get(path)
    assert response.status_code == 400


def test_the_bad_request_page_says_what_is_wrong_in_the_callers_language(client, reference_data):
    response = client.get("/directory/?kind=%00", HTTP_ACCEPT_LANGUAGE="fr")
    assert "400.html" in [template.name for template in response.templates]
    assert "Requête incorrecte" in response.content.decode()


def test_a_signed_in_post_with_a_nul_in_the_query_is_refused_too(client, reference_data, iom_user):
    client.force_login(iom_user)
    response = client.post(reverse("reviews:iom_dashboard") + "?filter=%00", {})
    assert response.status_code == 400


def test_addresses_without_a_nul_are_untouched(client, reference_data):
    assert client.get("/directory/states/IDN/").status_code == 200
    assert client.get("/directory/?kind=RCP").status_code == 200
    # An encoded percent sign followed by 00 is text, not a NUL.
    assert client.get("/library/search/?q=100%2500").status_code == 200


@pytest.mark.parametrize("path", ["/directory/", "/api/v1/mechanisms/", "/no-such-page/"])
def test_a_request_for_another_host_is_a_bad_request_not_a_server_error(client, reference_data, settings, path):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    response = client.get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    # The page names no address on the attacker's host (its language links are left out).
    assert b"attacker.example" not in response.content
