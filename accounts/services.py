"""Writes to accounts."""

import datetime
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import TokenScope
from .models import ApiToken, api_token_hash

logger = logging.getLogger(__name__)

API_TOKEN_PREFIX = "iscm_"
# The last-used time is written at most this often, so a busy script does not write on every request.
API_TOKEN_LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ApiTokenError(Exception):
    """A token action the rules refuse."""


class ApiTokenNotYours(ApiTokenError):
    def __init__(self):
        super().__init__(_("You may only revoke your own API tokens."))


class ApiTokenInvalidScope(ApiTokenError):
    def __init__(self):
        super().__init__(_("Choose whether the token may only read or also write."))


def user_set_language(*, user, language: str) -> None:
    """Remember `language` (a code of settings.LANGUAGES, or "" to follow the browser) on the account."""
    if language not in {code for code, _name in settings.LANGUAGES} | {""}:
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def api_token_create(*, user, name: str, scope: str) -> tuple[ApiToken, str]:
    """Make a personal API token for `user`; returns it with its secret, which is stored only as a hash."""
    if scope not in TokenScope.values:
        raise ApiTokenInvalidScope()
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), scope=scope, prefix=secret[:12], secret_hash=api_token_hash(secret))
    token._history_user = user
    token.full_clean()
    token.save()
    logger.info("API token %s (%s, %s) made by %s", token.pk, token.prefix, token.scope, user.get_username())
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke a token for good: from now on a request carrying it is refused (401). Revoking twice is harmless."""
    if token.user_id != by.pk:
        raise ApiTokenNotYours()
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = by
        token.save(update_fields=["revoked_at"])
        logger.info("API token %s (%s) revoked by %s", token.pk, token.prefix, by.get_username())
    return token


def api_token_mark_used(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Note that `token` was used, at most once per API_TOKEN_LAST_USED_RESOLUTION (one UPDATE, no history)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
