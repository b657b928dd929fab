"""While the database is unreachable: a clean 503 page for visitors, a retry for tasks.

Under /api/ the same answers are problem documents (iscm_portal/api/problems.py): `server_error` and
`database_unavailable_response` choose by the address, so the API never answers an HTML error page.

`CONN_HEALTH_CHECKS` makes every request and task start on a connection that works, so the portal recovers by
itself once PostgreSQL is back; this module covers the time in between. The page is rendered without a
request context, so no context processor (the user, the language links) needs the database to draw it.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.defaults import server_error as default_server_error

from iscm_portal.api import problems

logger = logging.getLogger(__name__)

# What a dropped or refused database connection raises (psycopg's errors reach us wrapped as these).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

RETRY_AFTER_SECONDS = 60
# A task that lost its connection is tried again after 2, 4, 8 … seconds, at most a minute apart: about ten
# minutes in all, longer than a database restart or failover takes.
TASK_RETRIES = 12
TASK_RETRY_MAX_DELAY = 60


def database_unavailable_response(request=None):
    """The 503 page: the service is briefly unavailable, try again in a minute."""
    if request is not None and problems.is_api_request(request):
        return problems.service_unavailable(
            request,
            detail=_("The portal cannot reach its database just now; try again in a minute."),
            retry_after=RETRY_AFTER_SECONDS,
        )
    html = render_to_string("503_database.html", {"language_code": get_language()})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view that lost the database into the 503 page (also with DEBUG on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
            return database_unavailable_response(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: the database page when the error was the database (raised in a middleware, a session
    or the template), Django's 500 page otherwise; problem documents under /api/."""
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return database_unavailable_response(request)
    if problems.is_api_request(request):
        return problems.server_error(request)
    try:
        return default_server_error(request, *args, **kwargs)
    except DATABASE_UNAVAILABLE:
        return database_unavailable_response(request)


def task_retry_delay(retries: int) -> int:
    return min(2 ** (retries + 1), TASK_RETRY_MAX_DELAY)


def task_lost_database(task, exc: BaseException):
    """Retry a task whose database connection dropped, on a fresh connection."""
    close_old_connections()
    logger.warning("task %s lost the database (%s); retrying", task.name, exc)
    return task.retry(exc=exc, countdown=task_retry_delay(task.request.retries), max_retries=TASK_RETRIES)
