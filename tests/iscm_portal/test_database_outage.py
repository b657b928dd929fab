"""While the database cannot be reached, pages answer a clean, translated 503 and tasks try again."""

import pytest
from django.db import connection
from django.test import Client

from reviews.tasks import send_due_reminders
from tests.celery_app import require_postgresql

pytestmark = pytest.mark.django_db(transaction=True)

UNAVAILABLE_EN = "The portal cannot reach its database just now."
UNAVAILABLE_FR = "Le portail ne peut pas joindre sa base de données pour le moment."


def _outage_page(response) -> str:
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-cache" in response["Cache-Control"]
    assert "Traceback" not in html
    return html


def test_page_that_queries_answers_503_while_the_database_is_down(database_unreachable):
    response = Client(raise_request_exception=False).get("/directory/")
    html = _outage_page(response)
    assert UNAVAILABLE_EN in html
    assert '<html lang="en">' in html


def test_outage_page_is_in_the_language_of_the_address(database_unreachable):
    html = _outage_page(Client(raise_request_exception=False).get("/fr/directory/"))
    assert UNAVAILABLE_FR in html
    assert '<html lang="fr">' in html


def test_signed_in_visitor_whose_session_cannot_be_read_gets_the_503_page(iom_user, database_unreachable):
    """The session and the user are read by middleware, before any view: the 500 handler answers there."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-the-database-would-know"
    html = _outage_page(client.get("/reviews/iom/"))
    assert UNAVAILABLE_EN in html


def test_portal_answers_again_once_the_database_is_back(database_unreachable):
    client = Client(raise_request_exception=False)
    assert client.get("/directory/").status_code == 503
    connection.settings_dict.update(database_unreachable)  # the server is back
    assert client.get("/directory/").status_code == 200


def test_task_whose_connection_was_dropped_retries_on_a_new_one():
    """A task on a connection PostgreSQL has closed (a restart, a failover) succeeds on its retry."""
    require_postgresql()
    import psycopg2

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()

    result = send_due_reminders.apply(throw=False)  # as on a worker: a retry is not an error to raise

    assert (result.successful(), result.get()) == (True, 0)
