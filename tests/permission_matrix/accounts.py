"""The account's own pages: personal API tokens."""

from accounts.enums import TokenScope
from accounts.services import api_token_create

from . import LOGIN, REDIRECT, Case, expect, logged_in


def arrange(world):
    # A token of the focal point's: only the focal point may revoke it.
    world.focal_point_token, _secret = api_token_create(
        user=world.users["focal_point"], name="Matrix", scope=TokenScope.READ
    )


CASES = [
    Case("accounts:api_tokens", logged_in(200)),
    Case("accounts:api_tokens", logged_in(400), method="POST", label="empty form"),
    Case("accounts:api_token_revoke", expect(405), lambda w: {"pk": w.focal_point_token.pk}),
    Case(
        "accounts:api_token_revoke",
        expect(403, anonymous=LOGIN, focal_point=REDIRECT),
        lambda w: {"pk": w.focal_point_token.pk},
        method="POST",
    ),
]
