"""Public pages served from Django's cache, never stale: the one owner of what is cached and when it expires.

An anonymous GET of a page marked with `@public_page(kinds...)` is answered from the cache configured in
`CACHES["default"]` (Redis in production, a file cache on the embedded default so `make run`'s server and
worker see the same entries). The entry's key holds the page's address (path and query string), its
language and the htmx headers the views answer differently to; the entry holds the versions of every kind of
content the page shows, and is used only while they are still current. A service that changes content calls
`content_changed(kind)`; after its transaction commits the kind gets a new random version, so the next request
of every page showing it misses and renders afresh. The versions are read (with the entry, in one round trip)
before the page renders and stored with it, so a page rendered from data older than a write can never be
stored under the versions that write created.

Nothing personal is ever cached: a request carrying a session or messages cookie (or an API token in an
Authorization header) is answered live, and a response is stored only when it is a 200 for a visitor who is
not signed in, sets no cookie, carries no CSRF token (the language switcher posts without one on anonymous
pages: see `accounts.views.set_language`) and shows no message. Signed-in pages are rendered live, their
expensive parts that every user sees alike cached as fragments under the same versions (`fragment()`).
"""

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils.safestring import mark_safe

from accounts.languages import activate_request_language

logger = logging.getLogger(__name__)

MECHANISMS = "mechanisms"  # mechanisms, States, memberships, chairs (and the reference data)
REVIEWS = "reviews"  # reviews visible to the public: their status and approved text, cycles
PLEDGES = "pledges"
LIBRARY = "library"  # the practice library's entries and search documents
PACKAGES = "packages"  # compiled IMRF packages
# Every change of any review (drafts too): saves, comments, workflow steps. Only signed-in fragments show it.
REVIEW_ACTIVITY = "review-activity"
KINDS = (MECHANISMS, REVIEWS, PLEDGES, LIBRARY, PACKAGES, REVIEW_ACTIVITY)

_VERSION_KEY = "page-cache:version:{}"
_PAGE_KEY = "page-cache:page:{}"
_FRAGMENT_KEY = "page-cache:fragment:{}:{}"
# The htmx headers the views read (results only, boosted, history restore) change the answer to one address.
_HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")
_REQUEST_KEY = "_public_page_cache_entry"
_KINDS_KEY = "_public_page_kinds"
_PAGE_KEY_KEY = "_public_page_cache_key"
_FOUND_KEY = "_public_page_cache_found"
# Cookies that make an anonymous page personal: the session (a signed-in user, a kept draft) and messages.
_PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))
_CSRF_MARK = b"csrfmiddlewaretoken"
# Addresses outside the language-prefixed patterns (iscm_portal/urls.py) that the cache may answer: the JSON API.
# They resolve to the same view in every language, so the view's kinds are kept per address (`_kinds_at`).
_ONE_ADDRESS_PREFIXES = ("/api/",)
# A fragment with forms renders this in place of the CSRF token (`"csrf_token": CSRF_PLACEHOLDER` in its
# context) and is stored so; every request then gets its own token put in (`fragment(..., request=request)`).
CSRF_PLACEHOLDER = "page-cache-csrf-token-placeholder"
_CSRF_PLACEHOLDER_INPUT = f'name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}"'


def public_page(*kinds: str):
    """Mark a view whose anonymous GETs may be served from the cache until content of `kinds` changes."""
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ValueError(f"Unknown content kinds: {sorted(unknown) or 'none given'}")

    def decorator(view_func):
        view_func.public_page_kinds = tuple(sorted(kinds))
        return view_func

    return decorator


def content_changed(*kinds: str) -> None:
    """Expire every cached page and fragment showing content of `kinds`, once the current transaction commits."""
    transaction.on_commit(lambda: _bump(kinds), robust=True)


def _bump(kinds: Iterable[str]) -> None:
    try:
        cache.set_many({_VERSION_KEY.format(kind): uuid.uuid4().hex for kind in kinds}, timeout=None)
    except Exception:
        # Pages in a cache that cannot be written to cannot be read either: they are rendered live meanwhile.
        logger.exception("Could not expire the cached pages showing %s", ", ".join(kinds))


def _version_keys(kinds: Iterable[str]) -> list[str]:
    return [_VERSION_KEY.format(kind) for kind in kinds]


def _versions_from(found: dict, keys: list[str]) -> str | None:
    """The versions of `keys` in `found`, joined; the missing ones get a new version (first use, or evicted),
    so no entry stored before can match them. None when the cache does not take them."""
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)
        found = {**found, **cache.get_many(missing)}
        if any(key not in found for key in keys):
            return None
    return ".".join(found[key] for key in keys)


def versions(kinds: Iterable[str]) -> str | None:
    """The current versions of `kinds`, joined; None when the cache does not answer (then nothing is cached)."""
    keys = _version_keys(kinds)
    try:
        return _versions_from(cache.get_many(keys), keys)
    except Exception:
        logger.exception("The page cache does not answer; pages are rendered live")
        return None


def fragment(name: str, *, kinds: Iterable[str], vary: Iterable[str], render: Callable[[], str], request=None) -> str:
    """The HTML of a fragment from the cache while the content of `kinds` is unchanged. `vary` names everything
    else it depends on (language, filters, today's date, and the user for a fragment that is the user's own).

    A fragment holding a CSRF token is never stored; one rendered with `CSRF_PLACEHOLDER` as its token is, and
    gets `request`'s own token on the way out.
    """
    html = _fragment_html(name, kinds, vary, render)
    if request is not None and CSRF_PLACEHOLDER in html:
        return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - our own template's output
    return html


def _fragment_html(name, kinds, vary, render) -> str:
    return mark_safe(  # noqa: S308 - our own template's output, stored as rendered
        cached(
            name,
            kinds=kinds,
            vary=vary,
            compute=lambda: str(render()),
            keep=lambda html: _CSRF_MARK.decode() not in html.replace(_CSRF_PLACEHOLDER_INPUT, ""),
        )
    )


def cached[T](name: str, *, kinds: Iterable[str], vary: Iterable[str], compute: Callable[[], T], keep=None) -> T:
    """`compute()`'s value from the cache while the content of `kinds` is unchanged (`vary`: as for `fragment`),
    read with the versions in one round trip; computed afresh, and stored if `keep(value)` allows, otherwise.
    The value must pickle: short reference lists, rendered HTML."""
    if not settings.PAGE_CACHE_ENABLED:
        return compute()
    key = _FRAGMENT_KEY.format(name, hashlib.sha256("\n".join(vary).encode()).hexdigest())
    version_keys = _version_keys(kinds)
    try:
        found = cache.get_many([key, *version_keys])
        current = _versions_from(found, version_keys)
    except Exception:
        logger.exception("The page cache does not answer; fragments are rendered live")
        return compute()
    entry = found.get(key)
    if current is not None and entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    if current is not None and (keep is None or keep(value)):
        try:
            cache.set(key, (current, value), timeout=settings.PAGE_CACHE_TIMEOUT)
        except Exception:
            logger.exception("Could not store a fragment in the page cache")
    return value


def _page_key(request) -> str:
    if not hasattr(request, _PAGE_KEY_KEY):  # worked out once per request (`lookup_keys` may have asked before)
        setattr(request, _PAGE_KEY_KEY, _find_page_key(request))
    return getattr(request, _PAGE_KEY_KEY)


def _find_page_key(request) -> str:
    address = "\n".join(
        [
            request.LANGUAGE_CODE,
            *(request.headers.get(name, "") for name in _HTMX_HEADERS),
            request.get_full_path(),
        ]
    )
    return _PAGE_KEY.format(hashlib.sha256(address.encode()).hexdigest())


def _in_admin(request) -> bool:
    match = request.resolver_match
    return match is not None and match.app_name == "admin"


def _public_page_kinds(request) -> tuple[str, ...] | None:
    """The content kinds of the public page an anonymous GET asks for; None when it may not come from the cache.

    Chooses and activates the request's language first: the language-prefixed addresses resolve in it. Worked
    out once per request (`lookup_keys` may have asked before the middleware does).
    """
    if not hasattr(request, _KINDS_KEY):
        setattr(request, _KINDS_KEY, _find_public_page_kinds(request))
    return getattr(request, _KINDS_KEY)


def _find_public_page_kinds(request) -> tuple[str, ...] | None:
    if not settings.PAGE_CACHE_ENABLED or request.method != "GET":
        return None
    if any(name in request.COOKIES for name in _PERSONAL_COOKIES):
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None  # an API caller presenting a token is answered for that caller, never from a visitor's copy
    request.get_host()  # an unknown Host is refused (400) as the rest of the stack would, cached page or not
    activate_request_language(request)
    resolver = get_resolver(getattr(request, "urlconf", None) or get_urlconf())
    if request.path_info.startswith(_ONE_ADDRESS_PREFIXES):
        return _kept_view_kinds(resolver, request.path_info)
    return _view_kinds(resolver, request.path_info)  # in the request's language, just activated


def _view_kinds(resolver, path: str) -> tuple[str, ...] | None:
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "public_page_kinds", None)


# `_view_kinds` kept per address outside the language-prefixed ones (and per URLconf: Django builds a new resolver
# when it changes, as a test's override does): resolving was about a tenth of the CPU of an API answer from the
# cache.
_kept_view_kinds = lru_cache(maxsize=4096)(_view_kinds)


def storable(request, response) -> bool:
    """Whether `response` may be shown to every anonymous visitor (see the module's docstring)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Set-Cookie") or "private" in response.get("Cache-Control", ""):
        return False
    if request.user.is_authenticated or "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
        return False
    shown_messages = getattr(request, "_messages", None)
    if shown_messages is not None and len(shown_messages):
        return False
    return _CSRF_MARK not in response.content


def lookup_keys(request) -> list[str]:
    """The cache keys the middleware reads to answer `request` from the cache (none when it may not), for a
    middleware before it that makes a round trip to the cache anyway and reads them in it (`found_before`)."""
    kinds = _public_page_kinds(request)
    return [_page_key(request), *_version_keys(kinds)] if kinds else []


def found_before(request, found: dict) -> None:
    """What a middleware before this one read of `lookup_keys(request)`, as `cache.get_many` returns it."""
    setattr(request, _FOUND_KEY, found)


class PublicPageCacheMiddleware:
    """Answers anonymous GETs of public pages from the cache and stores what they rendered.

    Placed before the session middleware: a page from the cache is answered before any session, user,
    messages or CSRF work (it was stored as every later middleware left it, headers included), and the
    response step of a page rendered live sees the final response (every cookie any other middleware set).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kinds = _public_page_kinds(request)
        if kinds:
            cached = self._from_cache(request, kinds)
            if cached is not None:
                return cached
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and _in_admin(request):
            # Django's admin writes past the services (reference data, accounts): any change there expires all.
            _bump(KINDS)
            return response
        key, current = getattr(request, _REQUEST_KEY, (None, None))
        if key and storable(request, response):
            entry = (current, response.status_code, list(response.headers.items()), response.content)
            try:
                cache.set(key, entry, timeout=settings.PAGE_CACHE_TIMEOUT)
            except Exception:
                logger.exception("Could not store a page in the page cache")
        return response

    @staticmethod
    def _from_cache(request, kinds):
        key, version_keys = _page_key(request), _version_keys(kinds)
        try:
            # One round trip: the page and the versions of what it shows (none if read before: `found_before`).
            found = getattr(request, _FOUND_KEY, None)
            if found is None:
                found = cache.get_many([key, *version_keys])
            current = _versions_from(found, version_keys)
        except Exception:
            logger.exception("The page cache does not answer; pages are rendered live")
            return None
        if current is None:
            return None
        # The versions are read before the page renders: a page rendered from data older than a write is
        # stored under the versions from before that write, which the write has already replaced.
        setattr(request, _REQUEST_KEY, (key, current))
        entry = found.get(key)
        if entry is None or entry[0] != current:
            return None
        _versions, status, headers, content = entry
        return HttpResponse(content, status=status, headers=dict(headers))
