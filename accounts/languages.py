"""Which language a request is answered in, and the links to the same page in the other languages.

Order of choice: the address's prefix (`/fr/directory/`), then the language cookie (set by the header's
switcher, and at login from the account's saved choice), then the browser's Accept-Language, then English.
"""

from functools import lru_cache

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import DisallowedHost
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.urls import get_script_prefix, get_urlconf, is_valid_path, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

_COOKIE_TO_SET = "_portal_language_cookie"


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that an unprefixed address follows the visitor's choice.

    With `i18n_patterns(prefix_default_language=False)` Django answers every unprefixed address in English,
    ignoring the cookie and Accept-Language; here the unprefixed address negotiates, a prefixed one is fixed.
    """

    def process_request(self, request):
        activate_request_language(request)

    def process_response(self, request, response):
        redirect = self._to_language_address(request, response)
        if redirect is not None:
            return redirect
        response = super().process_response(request, response)
        language = getattr(request, _COOKIE_TO_SET, None)
        if language:
            set_language_cookie(response, language)
        return response

    def _to_language_address(self, request, response):
        """An unprefixed address chosen in French or Spanish (cookie, browser) exists only as /fr/… or /es/…:
        the page there, rather than the 404 Django answers (it redirects only when every language is prefixed).
        """
        language = translation.get_language()
        if (
            response.status_code != 404
            or language == settings.LANGUAGE_CODE
            or translation.get_language_from_path(request.path_info)
        ):
            return None
        if not is_valid_path(f"/{language}{request.path_info}", getattr(request, "urlconf", settings.ROOT_URLCONF)):
            return None
        prefix = get_script_prefix()
        redirect = self.response_redirect_class(request.get_full_path().replace(prefix, f"{prefix}{language}/", 1))
        patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
        return redirect


def activate_request_language(request) -> str:
    """Choose the request's language (see the module's docstring), activate it and note it on the request.

    Needs no session: the public page cache (iscm_portal/page_cache.py) chooses it before the session is read.
    """
    language = (
        translation.get_language_from_path(request.path_info)
        # A page with one address (the login page) reached from a French page (`?next=/fr/…`) stays French.
        or translation.get_language_from_path(request.GET.get("next", "")[:200])
        or translation.get_language_from_request(request, check_path=False)
    )
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    return request.LANGUAGE_CODE


def set_language_cookie(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@receiver(user_logged_in, dispatch_uid="accounts.languages.apply_account_language")
def apply_account_language(sender, request, user, **kwargs):
    """At login, the account's saved language applies at once and is kept in the language cookie."""
    if request is None or not user.language or not translation.check_for_language(user.language):
        return
    translation.activate(user.language)
    request.LANGUAGE_CODE = user.language
    setattr(request, _COOKIE_TO_SET, user.language)


@lru_cache(maxsize=2048)
def _addresses_in_each_language(path: str, *_context) -> tuple[tuple[str, str], ...]:
    """The address of a path in each language, resolved and reversed once per process, not on every page whose
    header lists them. `_context` is everything else the answer depends on (see `language_links`)."""
    languages = settings.LANGUAGES
    return tuple((code, translate_url(path, code)) for code, _name in languages)


def language_links(request):
    """The page in each language (for the `hreflang` alternates); empty where the address has no language."""
    context = (translation.get_language(), get_script_prefix(), get_urlconf(), tuple(settings.LANGUAGES))
    prefixed = dict(_addresses_in_each_language(request.path, *context))
    if len(set(prefixed.values())) < len(prefixed):
        return {"language_alternates": []}
    try:
        alternates = [{"code": code, "url": request.build_absolute_uri(url)} for code, url in prefixed.items()]
    except DisallowedHost:
        # The 400 page answering a request for a host that is not ours names no address on that host.
        return {"language_alternates": []}
    alternates.append({"code": "x-default", "url": request.build_absolute_uri(prefixed[settings.LANGUAGE_CODE])})
    return {"language_alternates": alternates}
