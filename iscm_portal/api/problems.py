"""Errors as RFC 9457 problem details: the one shape of every error the API answers.

A problem is a JSON object served as `application/problem+json` with `type` (a URI naming the kind of
problem), `title` (short, the same for every occurrence of that kind), `status` (the HTTP status), `detail`
(this occurrence, for a person) and `instance` (the address that was asked). Invalid input adds `errors`:
field name to the list of its messages (`non_field_errors` for the input as a whole). A throttled request
carries `Retry-After` (set by Django REST framework) and `retry_after` in seconds.

`exception_handler` is REST framework's hook; `not_found` answers the addresses under /api/ that no view
claims (Django's handler404 for them), so an unknown endpoint is a problem document too, and `bad_request` the
requests Django itself refuses with a 400 (handler400: an unknown Host, a malformed request). `server_error` and
`service_unavailable` are the 500 and 503 documents that iscm_portal/database_outage.py (the portal's handler500
and outage middleware) answers under /api/: in the caller's language, without a traceback, the 503 with
`Retry-After`.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .parsers import RequestBodyTooLarge

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"
# The `type` of each kind of problem: a stable URI under the API's documentation page (RFC 9457 section 3.1.1
# allows "about:blank" only when the title is the status phrase; ours carry their own).
TYPE_BASE = "/api/docs/#problem-"


def _titles() -> dict[int, str]:
    return {
        status.HTTP_400_BAD_REQUEST: _("Invalid request"),
        status.HTTP_401_UNAUTHORIZED: _("Authentication required"),
        status.HTTP_403_FORBIDDEN: _("Not allowed"),
        status.HTTP_404_NOT_FOUND: _("Not found"),
        status.HTTP_405_METHOD_NOT_ALLOWED: _("Method not allowed"),
        status.HTTP_406_NOT_ACCEPTABLE: _("Not acceptable"),
        status.HTTP_409_CONFLICT: _("Conflict"),
        status.HTTP_411_LENGTH_REQUIRED: _("Length required"),
        status.HTTP_412_PRECONDITION_FAILED: _("Precondition failed"),
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: _("Unsupported media type"),
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: _("Request body too large"),
        status.HTTP_429_TOO_MANY_REQUESTS: _("Too many requests"),
        status.HTTP_500_INTERNAL_SERVER_ERROR: _("Server error"),
        status.HTTP_503_SERVICE_UNAVAILABLE: _("Service unavailable"),
    }


_SLUGS = {
    400: "invalid-request",
    401: "not-authenticated",
    403: "permission-denied",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    411: "length-required",
    412: "precondition-failed",
    413: "request-too-large",
    415: "unsupported-media-type",
    429: "throttled",
    500: "server-error",
    503: "service-unavailable",
}


def problem(*, status_code: int, detail: str, instance: str, errors: dict | None = None, **extra) -> dict:
    """The problem document for `status_code`; `errors` lists invalid fields' messages."""
    document = {
        "type": TYPE_BASE + _SLUGS.get(status_code, "error"),
        "title": str(_titles().get(status_code, _("Error"))),
        "status": status_code,
        "detail": str(detail),
        "instance": instance,
    }
    if errors is not None:
        document["errors"] = errors
    document.update(extra)
    return document


def _messages(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [message for item in value for message in _messages(item)]
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, item in value.items() for message in _messages(item)]
    return [str(value)]


def _field_errors(detail) -> dict[str, list[str]]:
    """ValidationError's detail as field -> messages (nested serializer errors flattened into their messages)."""
    if isinstance(detail, dict):
        return {str(field): _messages(messages) for field, messages in detail.items()}
    return {"non_field_errors": _messages(detail)}


def exception_handler(exc, context):
    """REST framework's handler, answering with a problem document (unexpected errors stay Django's 500)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):  # Django's own check of a body REST framework reads through it
        exc = RequestBodyTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = exceptions.ParseError(_("The form has more fields or files than the API accepts."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context["request"]
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        document = problem(
            status_code=response.status_code,
            detail=_("The request has invalid values; see errors."),
            instance=request.get_full_path(),
            errors=errors,
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        extra = {"retry_after": exc.wait} if isinstance(exc, exceptions.Throttled) and exc.wait else {}
        if isinstance(extra.get("retry_after"), float):
            extra["retry_after"] = int(extra["retry_after"] + 0.999)
        document = problem(
            status_code=response.status_code,
            detail=" ".join(_messages(detail)),
            instance=request.get_full_path(),
            **extra,
        )
    headers = {name: value for name, value in response.headers.items() if name.lower() != "content-type"}
    return Response(document, status=response.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(request, *, status_code: int, detail: str, **extra) -> JsonResponse:
    """A problem document outside REST framework's views (an address no view claims, a server error)."""
    return JsonResponse(
        problem(status_code=status_code, detail=detail, instance=request.get_full_path(), **extra),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def not_found(request, exception=None):
    """handler404 for /api/: no endpoint at this address."""
    return problem_response(request, status_code=404, detail=_("There is no API endpoint at this address."))


def page_not_found(request, exception=None):
    """The portal's handler404: a problem document under /api/, Django's page everywhere else."""
    if is_api_request(request):
        return not_found(request, exception)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """The portal's handler400: what Django refuses before any view (a Host not in ALLOWED_HOSTS, a malformed
    request) is a problem document under /api/, in the caller's language, and Django's page everywhere else.
    Nothing of the request is repeated back but its address (the refused Host is not)."""
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    with translation.override(_callers_language(request)):
        return problem_response(request, status_code=400, detail=_("The server could not understand this request."))


def _callers_language(request) -> str:
    """The language the locale middleware chose, or (an error before it ran) the caller's cookie and
    Accept-Language; neither needs the database."""
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)


def server_error(request) -> JsonResponse:
    """The 500 document: that something failed, nothing of what (the traceback goes to the logs only)."""
    with translation.override(_callers_language(request)):
        response = problem_response(
            request,
            status_code=500,
            detail=_("The server met an unexpected error and could not answer; it has been logged."),
        )
    add_never_cache_headers(response)
    return response


def service_unavailable(request, *, detail: str, retry_after: int) -> JsonResponse:
    """The 503 document, with `Retry-After` (seconds) in its headers and as `retry_after`; `detail` is a lazy
    translation, given in the caller's language."""
    with translation.override(_callers_language(request)):
        response = problem_response(request, status_code=503, detail=str(detail), retry_after=retry_after)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response
