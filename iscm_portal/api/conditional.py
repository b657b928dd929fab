"""ETag and If-None-Match for the API: every successful GET carries an ETag, and a client that sends it back
gets 304 Not Modified without the body while the answer is unchanged.

The ETag is the hash of the body (Django's ConditionalGetMiddleware), so it changes exactly when what this
caller would receive changes: another user's view of the same address has its own body and its own ETag. It
saves the client the transfer and the parsing; the server still builds the answer, cheaply for anonymous
callers because public endpoints are answered from the page cache (iscm_portal/page_cache.py).

Two steps, either side of the page cache: `ApiEtagMiddleware`, inside it, hashes the body once, so a cached
answer is stored with its ETag; `ApiConditionalGetMiddleware`, outside it, compares If-None-Match with that
ETag (hashing only an answer that has none) for cached and live answers alike.
"""

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from .problems import is_api_request

# What else an API answer depends on besides its address: who asks (session cookie or token) and the language
# of its messages.
VARY = ("Accept", "Accept-Language", "Authorization", "Cookie")


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """Django's conditional GET handling, for /api/ only (the pages have their own caching)."""

    def process_response(self, request, response):
        if not is_api_request(request):
            return response
        patch_vary_headers(response, VARY)
        # Stored copies must be checked with the server before use: the ETag makes that check cheap.
        patch_cache_control(response, no_cache=True)
        if request.method == "HEAD":
            return response
        return super().process_response(request, response)


class ApiEtagMiddleware:
    """Gives a GET answer of the API its ETag where the page cache stores it (placed just inside that cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "GET" or not is_api_request(request) or response.has_header("ETag"):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            set_response_etag(response)  # for a non-streaming answer with a body, as the outer step would
        return response
