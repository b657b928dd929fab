"""The request id: one per web request, carried by the tasks it queues, and written on every log line.

`RequestIdMiddleware` takes the id from the proxy's `X-Request-ID` header when it is well formed, else makes one,
and answers it in `X-Request-ID`. A task queued meanwhile carries it in its message headers (the outbox stores it
with the message), and the worker binds it while the task runs (`iscm_portal.celery`'s signal handlers); a task
queued by no request (beat) gets its own task id as request id.
"""

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,64}")
HEADER = "X-Request-ID"


def current_request_id() -> str | None:
    return _request_id.get()


def request_id_bind(request_id: str | None) -> contextvars.Token:
    """Make `request_id` the current one; give the token back to `request_id_reset` when done."""
    return _request_id.set(request_id)


def request_id_reset(token: contextvars.Token) -> None:
    _request_id.reset(token)


def request_id_from_header(value: str | None) -> str:
    """The proxy's id if well formed (it goes into logs: no spaces, quotes or newlines), else a new one."""
    if value and _WELL_FORMED.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from_header(request.headers.get(HEADER))
        token = request_id_bind(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_reset(token)
        response[HEADER] = request.request_id
        return response
