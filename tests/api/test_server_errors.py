"""Server errors under /api/: a 500 or a 503 is a problem document in the caller's language, never an HTML page
nor a traceback; the 503 says when to try again. Pages outside /api/ keep their HTML error pages."""

import json

import pytest
from django.test import Client

from tests.api.urls import INTERNAL_DETAIL

PROBLEM = "application/problem+json"


def _answer(response) -> tuple:
    return response.status_code, response["Content-Type"], json.loads(response.content)


# --- 503 while the database is down ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_api_answers_a_503_problem_while_the_database_is_down(database_unreachable):
    response = Client(raise_request_exception=False).get("/api/v1/mechanisms/?kind=RCP")
    assert _answer(response) == (
        503,
        PROBLEM,
        {
            "type": "/api/docs/#problem-service-unavailable",
            "title": "Service unavailable",
            "status": 503,
            "detail": "The portal cannot reach its database just now; try again in a minute.",
            "instance": "/api/v1/mechanisms/?kind=RCP",
            "retry_after": 60,
        },
    )
    assert (response["Retry-After"], "no-cache" in response["Cache-Control"]) == ("60", True)


@pytest.mark.django_db(transaction=True)
def test_api_503_is_in_the_callers_language(database_unreachable):
    response = Client(raise_request_exception=False).get("/api/v1/pledges/", HTTP_ACCEPT_LANGUAGE="fr")
    status, content_type, document = _answer(response)
    assert (status, content_type, document["title"], document["detail"]) == (
        503,
        PROBLEM,
        "Service indisponible",
        "Le portail ne peut pas joindre sa base de données pour le moment ; réessayez dans une minute.",
    )


@pytest.mark.django_db(transaction=True)
def test_api_caller_with_a_token_or_a_session_gets_the_503_problem(database_unreachable):
    """The token and the session are looked up in the database before the view's own queries."""
    token_caller = Client(raise_request_exception=False, HTTP_AUTHORIZATION="Bearer iscm_not-a-real-token")
    session_caller = Client(raise_request_exception=False)
    session_caller.cookies["sessionid"] = "a-session-the-database-would-know"
    answers = [_answer(caller.get("/api/v1/reviews/"))[:2] for caller in (token_caller, session_caller)]
    assert answers == [(503, PROBLEM), (503, PROBLEM)]


@pytest.mark.django_db(transaction=True)
def test_pages_keep_the_html_503_page_while_the_database_is_down(database_unreachable):
    response = Client(raise_request_exception=False).get("/directory/")
    assert (response.status_code, response["Content-Type"], response["Retry-After"]) == (
        503,
        "text/html; charset=utf-8",
        "60",
    )


# --- 500 ------------------------------------------------------------------------------------------------------


@pytest.mark.urls("tests.api.urls")
def test_api_answers_a_500_problem_without_internals(db):
    response = Client(raise_request_exception=False).get("/api/test-crash/?x=1")
    assert _answer(response) == (
        500,
        PROBLEM,
        {
            "type": "/api/docs/#problem-server-error",
            "title": "Server error",
            "status": 500,
            "detail": "The server met an unexpected error and could not answer; it has been logged.",
            "instance": "/api/test-crash/?x=1",
        },
    )
    body = response.content.decode()
    assert (INTERNAL_DETAIL in body, "Traceback" in body, "RuntimeError" in body) == (False, False, False)


@pytest.mark.urls("tests.api.urls")
def test_api_500_is_in_the_callers_language(db):
    response = Client(raise_request_exception=False).get("/api/test-crash/", HTTP_ACCEPT_LANGUAGE="es")
    status, content_type, document = _answer(response)
    assert (status, content_type, document["title"], document["detail"]) == (
        500,
        PROBLEM,
        "Error del servidor",
        "El servidor encontró un error inesperado y no pudo responder; el error ha quedado registrado.",
    )


@pytest.mark.urls("tests.api.urls")
def test_pages_keep_the_html_500_page(db):
    response = Client(raise_request_exception=False).get("/test-crash/")
    body = response.content.decode()
    assert (response.status_code, response["Content-Type"], INTERNAL_DETAIL in body) == (
        500,
        "text/html; charset=utf-8",
        False,
    )
