"""The API's personal tokens: `Authorization: Bearer <token>` (DRF authentication).

A request carrying a token acts as the token's user, with that user's rules; the token's scope may only narrow
them: a read token cannot make a write (POST, PUT, PATCH, DELETE), whatever its user may do on the web. A
revoked or unknown token, or one whose user is deactivated, is refused with 401 and `WWW-Authenticate: Bearer`,
never served as anonymous, so a script learns at once that its token stopped working.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from .selectors import api_token_for_secret
from .services import api_token_mark_used

SCHEME = "Bearer"


class ReadOnlyToken(exceptions.PermissionDenied):
    default_detail = _("This API token may only read. Make a read-and-write token on your account page to write.")
    default_code = "token_read_only"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = SCHEME

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # no token: another authentication (the session) or anonymous
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer ” with no spaces in it."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked API token.")) from None
        token = api_token_for_secret(secret)
        if token is None or not token.is_active:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked API token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this API token is deactivated."))
        if request.method not in SAFE_METHODS and not token.can_write:
            raise ReadOnlyToken()
        api_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema (/api/schema/) describes the token."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _("A personal API token, made on your account page (API tokens): Authorization: Bearer iscm_…")
            ),
        }
