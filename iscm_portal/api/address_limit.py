"""The per-address rate limit of the API, as a middleware: it runs before the page cache may answer.

See throttling.py for the limits; the middleware is separate from the throttle classes because REST
framework's views import those (DEFAULT_THROTTLE_CLASSES) while this module imports the problem documents,
which import REST framework's views.
"""

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from iscm_portal import page_cache

from .problems import PROBLEM_CONTENT_TYPE, is_api_request, problem
from .throttling import AddressRateThrottle


def throttled_response(request, wait: float | None) -> JsonResponse:
    """The 429 problem document, with Retry-After in whole seconds, in the caller's language (the locale
    middleware has not run yet)."""
    with translation.override(translation.get_language_from_request(request)):
        return _throttled_response(request, wait)


def _throttled_response(request, wait: float | None) -> JsonResponse:
    seconds = max(1, int(wait + 0.999)) if wait else None
    detail = (
        _("Too many requests from this address; try again in %(seconds)d seconds.") % {"seconds": seconds}
        if seconds
        else _("Too many requests from this address; try again later.")
    )
    extra = {"retry_after": seconds} if seconds else {}
    response = JsonResponse(
        problem(status_code=429, detail=detail, instance=request.get_full_path(), **extra),
        status=429,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


class ApiAddressRateLimitMiddleware:
    """Counts every /api/ request without a token against its address, before any cached answer is given."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_request(request):
            # The page cache's entry is read in the count's round trip (one round trip for a cached answer).
            throttle = AddressRateThrottle(also_get=page_cache.lookup_keys(request))
            if not throttle.allow_request(request, None):
                return throttled_response(request, throttle.wait())
            if throttle.found is not None:
                page_cache.found_before(request, throttle.found)
        return self.get_response(request)
