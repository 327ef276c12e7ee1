"""API token authentication: `Authorization: Token <key>`, looked up by the key's hash (accounts.ApiToken),
with an expiry (settings.API_TOKEN_DAYS): an old token is refused with a reason, and the client asks for
a new one with the user's e-mail and password."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.services import api_token_authenticate, token_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        token = api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                _("This token has expired: ask for a new one with your e-mail and password.")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
