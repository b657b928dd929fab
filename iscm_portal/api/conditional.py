"""ETag and If-None-Match for the API: every successful GET carries an ETag, and a client that sends it back
gets 304 Not Modified without the body while the answer is unchanged.

The ETag is the hash of the body (Django's ConditionalGetMiddleware), so it changes exactly when what this
caller would receive changes: another user's view of the same address has its own body and its own ETag. It
saves the client the transfer and the parsing; the server still builds the answer, cheaply for anonymous
callers because public endpoints are answered from the page cache (iscm_portal/page_cache.py).
"""

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers

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
