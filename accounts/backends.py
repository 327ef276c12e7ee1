"""The one authentication backend: Django's model backend behind the failed-login throttle.

Every door that checks a password calls `authenticate()` (the login page and the API token endpoint
through `user_authenticate`, the Django admin's login form, anything added later), so putting the
throttle here means no door can skip it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username if username is not None else kwargs.get("email")
        if email is None or password is None:
            return None
        ip = throttle.client_ip(request)
        if throttle.throttle_check(email=email, ip=ip):
            # PermissionDenied stops authenticate() at once: no other backend may try either.
            raise PermissionDenied
        user = super().authenticate(request, username=email, password=password, **kwargs)
        if user is None:
            throttle.throttle_fail(email=email, ip=ip)
        else:
            throttle.throttle_reset(email=email, ip=ip)
        return user

    def get_user(self, user_id):
        """The signed-in user of a request (ModelBackend's), with the relations every page asks for
        (settings.AUTH_USER_RELATED: the firm membership of the menu) read in the same query."""
        manager = get_user_model()._default_manager
        try:
            user = manager.select_related(*settings.AUTH_USER_RELATED).get(pk=user_id)
        except manager.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
