"""Writes on accounts: sign-up, e-mail verification, login checks, API tokens.

Errors are Django ValidationErrors keyed by form field, so the pages and the API show the same messages.
"""

import math

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import Token

from accounts import throttle
from accounts.emails import verification_email_send
from accounts.models import User
from accounts.tokens import verification_token_read

# One resent verification e-mail per account per this many seconds, so the form cannot flood an inbox.
RESEND_INTERVAL_SECONDS = 60


class LoginThrottled(ValidationError):
    """Too many failed logins for the account or the IP address; `wait_seconds` until the next try."""

    def __init__(self, wait_seconds: int) -> None:
        minutes = max(1, math.ceil(wait_seconds / 60))
        message = ngettext(
            "Too many failed attempts; try again in %(minutes)d minute.",
            "Too many failed attempts; try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(message, code="throttled")
        self.wait_seconds = wait_seconds

    def __reduce__(self):  # copy and pickle rebuild from the wait, not from ValidationError's arguments
        return (self.__class__, (self.wait_seconds,))


def email_normalize(email: str) -> str:
    """Addresses are stored lower-case (see UserManager), so lookups compare lower-case too."""
    return email.strip().lower()


def _duplicate_email_error() -> ValidationError:
    return ValidationError(_("An account with this e-mail address already exists."), code="unique")


def user_signup(*, email: str, full_name: str, password: str, next_url: str = "") -> User:
    """Create an unverified account and e-mail it a verification link that leads on to `next_url`."""
    email = email_normalize(email)
    candidate = User(email=email, full_name=full_name.strip())
    errors: dict[str, list[ValidationError]] = {}
    if User.objects.filter(email=email).exists():
        errors["email"] = [_duplicate_email_error()]
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = error.error_list
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, full_name=candidate.full_name)
    except IntegrityError:  # the same address signed up concurrently
        raise ValidationError({"email": [_duplicate_email_error()]}) from None
    verification_email_send(user=user, next_url=next_url)
    return user


def user_verify_email(*, token: str) -> User:
    """Mark the address in a verification link as verified; the link may be followed more than once."""
    invalid = ValidationError(_("This verification link is invalid or has expired."), code="invalid_token")
    found = verification_token_read(token=token)
    if found is None:
        raise invalid
    user_id, email = found
    user = User.objects.filter(pk=user_id, email=email, is_active=True).first()
    if user is None:
        raise invalid
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


def user_send_verification(*, email: str, next_url: str = "") -> None:
    """Send a fresh link if an active, unverified account has this address. Silent either way, so
    callers cannot tell whether an address has an account."""
    user = User.objects.filter(email=email_normalize(email), email_verified=False, is_active=True).first()
    if user is None:
        return
    if not cache.add(f"accounts:verification-sent:{user.pk}", True, RESEND_INTERVAL_SECONDS):
        return
    verification_email_send(user=user, next_url=next_url)


def user_authenticate(*, request: HttpRequest | None, email: str, password: str, ip: str | None) -> User:
    """Check credentials under the failed-login throttle; the caller logs the user in or issues a token.

    Raises LoginThrottled while the account or IP is locked out (even with the right password), and a
    ValidationError for wrong credentials (counted as a failure) or an unverified address (not counted).
    """
    email = email_normalize(email)
    wait = throttle.throttle_check(email=email, ip=ip)
    if wait:
        raise LoginThrottled(wait)
    user = authenticate(request, email=email, password=password)
    if user is None:
        throttle.throttle_fail(email=email, ip=ip)
        raise ValidationError(_("Please enter a correct e-mail address and password."), code="invalid_login")
    if not user.email_verified:
        raise ValidationError(
            _("Please verify your e-mail address first: follow the link we sent you."), code="unverified"
        )
    throttle.throttle_reset(email=email)
    return user


def user_token_issue(*, user: User) -> str:
    """The user's API token, created on first use."""
    token, _created = Token.objects.get_or_create(user=user)
    return token.key
