"""Reads of accounts."""

from django.db.models import QuerySet

from .models import ApiToken, api_token_hash


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first, revoked ones included (they say when they were revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret this is, with its user, revoked or not; None for a secret no token has."""
    return ApiToken.objects.select_related("user").filter(secret_hash=api_token_hash(secret)).first()
