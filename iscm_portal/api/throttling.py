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

import logging
import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from accounts.authentication import SCHEME
from accounts.models import ApiToken

logger = logging.getLogger(__name__)


class _SettingRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is read from a setting at each request, so a settings override takes effect.

    It counts in fixed windows (one cache counter per caller and window, one `incr` per request) instead of REST
    framework's sliding history, which reads and writes back the list of every request's time in the window on
    each request: at a high limit that list grows to thousands of entries and the throttle costs more than the
    answer. A caller may therefore make up to twice its limit across the boundary of two windows.
    """

    rate_setting = ""

    def __init__(self, also_get=()):
        self.wait_seconds = None  # the rate is read per request (get_rate), not once at construction
        # Cache keys to read with the count, in its round trip (see window_count), and what was found of them.
        self.also_get, self.found = also_get, None

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
            count, self.found = window_count(key, timeout=self.duration + 1, also_get=self.also_get)
        except Exception:
            # A limit that cannot be counted is not enforced: the answer is still given (the page cache, on the
            # same server, renders live meanwhile), and the outage is logged.
            logger.exception("The rate-limit counts do not answer; %s is not limited meanwhile", self.scope)
            return True
        if count > self.num_requests:
            self.wait_seconds = (window + 1) * self.duration - now
            return False
        return True

    def wait(self):
        return self.wait_seconds


def window_count(key: str, *, timeout: int, also_get=()) -> tuple[int, dict | None]:
    """Adds one to the default cache's counter `key` and returns its new value; the window's first request gives
    the counter `timeout` seconds to live. With `also_get`, also returns those keys of the cache as `get_many`
    would, read in the same round trip, or None where the cache cannot read them with the count.

    On the portal's Redis backend this is one round trip (iscm_portal/redis_cache.py): Django's `cache.incr`
    asks whether the key exists first, and a separate read would be another round trip, which for a visitor's
    API call answered from the page cache cost more than the answer. Other backends (the embedded default's file
    cache, tests' local memory) count through the public API.
    """
    backend = caches["default"]
    if hasattr(backend, "count_and_get_many"):
        return backend.count_and_get_many(key, timeout=timeout, keys=also_get)
    try:
        return backend.incr(key), None
    except ValueError:  # the window's first request (or the counter expired meanwhile)
        return (1 if backend.add(key, 1, timeout=timeout) else backend.incr(key)), None


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
