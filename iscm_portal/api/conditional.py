"""ETag and If-None-Match for the API: every successful GET carries an ETag, and a client that sends it back
gets 304 Not Modified without the body while the answer is unchanged.

The ETag is the hash of the body (Django's ConditionalGetMiddleware), so it changes exactly when what this
caller would receive changes: another user's view of the same address has its own body and its own ETag. It
saves the client the transfer and the parsing; the server still builds the answer, cheaply for anonymous
callers because public endpoints are answered from the page cache (iscm_portal/page_cache.py).

Two steps, either side of the page cache: `ApiEtagMiddleware`, inside it, hashes the body once and sets Vary
and Cache-Control, so a cached answer is stored with them; `ApiConditionalGetMiddleware`, outside it, compares
If-None-Match with that ETag for cached and live answers alike (and gives the answers made outside the inner
step, such as a 429 from the rate limit, their headers).
"""

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from .problems import is_api_request

# What else an API answer depends on besides its address: who asks (session cookie or token) and the language
# of its messages.
VARY = ("Accept", "Accept-Language", "Authorization", "Cookie")


def _caching_headers(response) -> None:
    patch_vary_headers(response, VARY)
    # Stored copies must be checked with the server before use: the ETag makes that check cheap.
    patch_cache_control(response, no_cache=True)


# The request headers that make a GET conditional (RFC 9110 section 13.1); without any, Django's comparison
# (get_conditional_response) gives the answer back unchanged.
_CONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """Django's conditional GET handling, for /api/ only (the pages have their own caching).

    Called directly rather than through MiddlewareMixin's hooks, and an answer that has its ETag already (every
    answer made inside ApiEtagMiddleware, cached ones included) to a GET without conditions is given back as
    it is, before Django's parsing of the request's and the answer's headers finds nothing to compare (a
    quarter of the time this step took; some 2% of an answer from the page cache)."""

    async_capable = False  # its own __call__ is synchronous (Django adapts it under ASGI)

    def __call__(self, request):
        return self.process_response(request, self.get_response(request))

    def process_response(self, request, response):
        if not is_api_request(request):
            return response
        if not response.has_header("Cache-Control"):  # an answer made outside ApiEtagMiddleware (a 429, a 503)
            _caching_headers(response)
        if request.method != "GET":  # a HEAD's body is empty: no accurate ETag (Django's skips HEAD too)
            return response
        if response.has_header("ETag") and not any(name in request.META for name in _CONDITIONS):
            return response
        return super().process_response(request, response)


class ApiEtagMiddleware:
    """Gives an answer of the API its caching headers, and a GET answer its ETag, where the page cache stores it
    (placed just inside that cache), so an answer from the cache has them already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api_request(request):
            return response
        _caching_headers(response)
        if request.method == "GET" and not response.has_header("ETag") and "no-store" not in response["Cache-Control"]:
            set_response_etag(response)  # for a non-streaming answer with a body, as the outer step would
        return response
