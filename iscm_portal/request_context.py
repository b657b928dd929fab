"""The request id: one per web request, carried by the tasks it queues, and written on every log line."""

import contextvars

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def request_id_bind(request_id: str | None) -> contextvars.Token:
    """Make `request_id` the current one; give the token back to `request_id_reset` when done."""
    return _request_id.set(request_id)


def request_id_reset(token: contextvars.Token) -> None:
    _request_id.reset(token)
