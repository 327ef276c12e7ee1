"""E-mails sent by the accounts app. Links are absolute, built on SITE_URL."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.tokens import VERIFICATION_MAX_AGE, verification_token_make


def verification_link(*, user: User, next_url: str = "") -> str:
    path = reverse("accounts:verify", kwargs={"token": verification_token_make(user_id=user.pk, email=user.email)})
    if next_url:
        path = f"{path}?{urlencode({'next': next_url})}"
    return f"{settings.SITE_URL}{path}"


def verification_email_send(*, user: User, next_url: str = "") -> None:
    context = {"user": user, "link": verification_link(user=user, next_url=next_url), "days": VERIFICATION_MAX_AGE.days}
    # A subject must be one line, whatever the template's line breaks.
    subject = " ".join(render_to_string("accounts/email/verify_subject.txt", context).split())
    body = render_to_string("accounts/email/verify_body.txt", context)
    send_mail(subject, body, None, [user.email])


def account_exists_email_send(*, user: User) -> None:
    """Someone signed up with an address that has an account: tell its owner (the page says nothing)."""
    context = {
        "user": user,
        "login_link": f"{settings.SITE_URL}{reverse('accounts:login')}",
        "reset_link": f"{settings.SITE_URL}{reverse('accounts:password_reset')}",
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("accounts/email/account_exists_subject.txt", context).split())
        body = render_to_string("accounts/email/account_exists_body.txt", context)
    send_mail(subject, body, None, [user.email])
