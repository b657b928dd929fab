"""Writes to accounts."""

from django.conf import settings


def user_set_language(*, user, language: str) -> None:
    """Remember `language` (a code of settings.LANGUAGES, or "" to follow the browser) on the account."""
    if language not in {code for code, _name in settings.LANGUAGES} | {""}:
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
