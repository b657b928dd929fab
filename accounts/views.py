from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .forms import ApiTokenForm
from .lockouts import lockout_clear, lockouts_current
from .models import ApiToken
from .permissions import permission_required
from .selectors import api_tokens_of
from .services import api_token_create, api_token_revoke, user_set_language


@login_required
def landing(request):
    """Send each user, after login, to the page their role starts from."""
    user = request.user
    if user.is_iom_staff:
        return redirect("reviews:iom_dashboard")
    if user.secretariat_mechanism_ids:
        return redirect("reviews:my_reviews")
    if user.focal_point_state_id:
        return redirect("mechanisms:state_detail", iso3=user.focal_point_state.iso3)
    return redirect("home")


def login_locked_out(request, original_response=None, credentials=None):
    """The login page again, saying why the login was refused (django-axes's AXES_LOCKOUT_CALLABLE); HTTP 429."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username[:150]})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "locked_out": (
            ngettext(
                "Too many failed logins for this account from your address. Wait %(minutes)s minute and try "
                "again, or ask IOM to unlock it.",
                "Too many failed logins for this account from your address. Wait %(minutes)s minutes and try "
                "again, or ask IOM to unlock it.",
                minutes,
            )
            % {"minutes": minutes}
            if minutes
            else _("Too many failed logins for this account from your address. Ask IOM to unlock it.")
        ),
    }
    return render(request, "registration/login.html", context, status=429)


@permission_required("accounts.unlock_login")
def lockout_list(request):
    """Logins locked after too many failures, for IOM to unlock early."""
    context = {"lockouts": lockouts_current(), "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/lockout_list.html", context)


@require_POST
@permission_required("accounts.unlock_login")
def lockout_unlock(request, pk):
    if lockout_clear(attempt_id=pk, by=request.user):
        messages.success(request, _("Unlocked: that login can be tried again now."))
    else:
        messages.info(request, _("That login was no longer locked."))
    return redirect("accounts:lockout_list")


@csrf_protect
def _set_language_signed_in(request):
    response = django_set_language(request)
    try:
        language = translation.get_supported_language_variant(request.POST.get("language", ""))
    except LookupError:
        return response
    user_set_language(user=request.user, language=language)
    return response


@csrf_exempt
@require_POST
def set_language(request):
    """The header's language switcher: Django's set_language (cookie, then back to `next` in that language),
    and for a signed-in user the choice is kept on the account for the next login.

    Only a signed-in user's post needs the CSRF token, because it changes the account. A visitor's post
    only sets the language cookie, which a link to the page's /fr/ or /es/ address already chooses for
    them; so anonymous pages carry no token and can be served from the public page cache
    (iscm_portal/page_cache.py).
    """
    if request.user.is_authenticated:
        return _set_language_signed_in(request)
    return django_set_language(request)


@never_cache  # the page that shows a new token's secret must not be kept by the browser or a proxy
@permission_required("accounts.manage_api_tokens")
def api_tokens(request):
    """The user's personal API tokens: make one (its secret shown on this answer only), see and revoke them."""
    new_secret = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            token, new_secret = api_token_create(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
            form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    context = {"form": form, "tokens": api_tokens_of(request.user), "new_secret": new_secret}
    return render(request, "accounts/token/list.html", context, status=400 if form.errors else 200)


def _token(request, pk):
    return get_object_or_404(ApiToken, pk=pk)


@require_POST
@permission_required("accounts.revoke_api_token", fn=_token)
def api_token_revoke_view(request, pk):
    token = api_token_revoke(token=request.permission_object, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked: it no longer opens the API.") % {"name": token.name})
    return redirect("accounts:api_tokens")
