"""Rate limits of the API: per token for callers presenting one, per address for everyone else.

A caller with a personal API token is counted by its token (`API_RATE_LIMIT_TOKEN`), wherever it calls from;
any other caller (anonymous, or signed in to the documentation page) by its address (`API_RATE_LIMIT_ADDRESS`).
The counts live in the default cache (Redis in production, shared by every worker). Past the limit the answer
is 429 with `Retry-After` (seconds) and a problem document.

The address limit is checked by `address_limit.ApiAddressRateLimitMiddleware`, before the page cache
(iscm_portal/page_cache.py) may answer, so an anonymous caller is limited whether or not its answer was
cached; the token limit is a REST framework throttle (`TokenRateThrottle`), as token callers are never
answered from the page cache. The rates are settings read from the environment (iscm_portal/settings/base.py),
as `<number>/<second|minute|hour|day>`.
"""

import time

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.authentication import SCHEME
from accounts.models import ApiToken


class _SettingRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is read from a setting at each request, so a settings override takes effect.

    It counts in fixed windows (one cache counter per caller and window, one `incr` per request) instead of REST
    framework's sliding history, which reads and writes back the list of every request's time in the window on
    each request: at a high limit that list grows to thousands of entries and the throttle costs more than the
    answer. A caller may therefore make up to twice its limit across the boundary of two windows.
    """

    rate_setting = ""

    def __init__(self):
        self.wait_seconds = None  # the rate is read per request (get_rate), not once at construction

    def get_rate(self):
        return getattr(settings, self.rate_setting)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        key = f"{key}:{window}"
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window's first request (or the counter expired meanwhile)
            count = 1 if self.cache.add(key, 1, timeout=self.duration + 1) else self.cache.incr(key)
        if count > self.num_requests:
            self.wait_seconds = (window + 1) * self.duration - now
            return False
        return True

    def wait(self):
        return self.wait_seconds


class TokenRateThrottle(_SettingRateThrottle):
    scope = "token"
    rate_setting = "API_RATE_LIMIT_TOKEN"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None  # not a token caller: counted by address (address_limit.ApiAddressRateLimitMiddleware)
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AddressRateThrottle(_SettingRateThrottle):
    scope = "address"
    rate_setting = "API_RATE_LIMIT_ADDRESS"

    def get_cache_key(self, request, view):
        if presents_token(request):
            return None  # counted by its token (TokenRateThrottle), or refused (401) if it is no token of ours
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def presents_token(request) -> bool:
    """Whether the request carries `Authorization: Bearer …` (any other scheme is counted by address)."""
    scheme = request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0]
    return scheme.lower() == SCHEME.lower()
