"""API token authentication with an expiry (settings.API_TOKEN_DAYS): an old token is refused with a
reason, and the client asks for a new one with the user's e-mail and password."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.services import token_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                _("This token has expired: ask for a new one with your e-mail and password.")
            )
        return user, token
