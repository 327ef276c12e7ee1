"""Writes on accounts: sign-up, e-mail verification, login checks, API tokens, settings, notifications.

Errors are Django ValidationErrors keyed by form field, so the pages and the API show the same messages.
"""

import hashlib
import logging
import math
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import throttle
from accounts.emails import account_exists_email_send, verification_email_send
from accounts.enums import EmailFrequency, NotificationKind
from accounts.models import ApiToken, CalendarFeed, Notification, User
from accounts.notifications import digest_email_render, notification_email_render
from accounts.tokens import calendar_token_hash, calendar_token_make, verification_token_read
from accounts.unread import unread_changed
from config.text_input import name_refusal

logger = logging.getLogger(__name__)


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


def language_supported(language: str) -> str:
    """`language` when the site offers it (a region like "ja-JP" counts as "ja"), else the default."""
    codes = {code for code, _name in settings.LANGUAGES}
    base = (language or "").lower().split("-")[0]
    return base if base in codes else settings.LANGUAGE_CODE


class MailRequestsThrottled(ValidationError):
    """Too many mail-sending requests (sign-up, verification, reset) from one IP address this hour."""

    def __init__(self) -> None:
        super().__init__(_("Too many requests from your network; please try again in an hour."), code="throttled")

    def __reduce__(self):  # copy and pickle rebuild without arguments, not from ValidationError's
        return (self.__class__, ())


def mail_request_allow(*, ip: str | None) -> None:
    """Refuse a mail-sending request past the hourly limit of its IP address (the same answer whether or
    not an account has the address, so the limit tells nothing about accounts)."""
    if not throttle.mail_ip_take(ip=ip):
        raise MailRequestsThrottled()


def user_signup(
    *, email: str, full_name: str, password: str, next_url: str = "", language: str = "", ip: str | None = None
) -> User | None:
    """Create an unverified account and e-mail it a verification link that leads on to `next_url`.

    `language` (the browser's, at sign-up) is the language of the user's e-mails until they change it.
    An address that already has an account gets a mail telling its owner, and the caller gets None:
    the page answers alike either way, so sign-up cannot be used to learn who has an account."""
    email = email_normalize(email)
    candidate = User(email=email, full_name=full_name.strip())
    if refusal := name_refusal(candidate.full_name):
        raise ValidationError({"full_name": [refusal]})
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    mail_request_allow(ip=ip)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        _signup_existing_tell(user=existing)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, full_name=candidate.full_name, language=language_supported(language)
            )
    except IntegrityError:  # the same address signed up concurrently: that sign-up mails the owner
        return None
    if throttle.mail_address_take(address=email):
        verification_email_send(user=user, next_url=next_url)
    return user


def _signup_existing_tell(*, user: User) -> None:
    if throttle.mail_address_take(address=user.email):
        account_exists_email_send(user=user)


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


def user_send_verification(*, email: str, next_url: str = "", ip: str | None = None) -> None:
    """Send a fresh link if an active, unverified account has this address. Silent either way, so
    callers cannot tell whether an address has an account."""
    mail_request_allow(ip=ip)
    user = User.objects.filter(email=email_normalize(email), email_verified=False, is_active=True).first()
    if user is None:
        return
    if throttle.mail_address_take(address=user.email):
        verification_email_send(user=user, next_url=next_url)


def user_authenticate(*, request: HttpRequest | None, email: str, password: str) -> User:
    """Check credentials under the failed-login throttle; the caller logs the user in or issues a token.

    Raises LoginThrottled while this IP address must wait on this account (even with the right password),
    and a ValidationError for wrong credentials (counted as a failure by the backend) or an unverified
    address (not counted).
    """
    email = email_normalize(email)
    wait = throttle.throttle_check(email=email, ip=throttle.client_ip(request))
    if wait:
        raise LoginThrottled(wait)
    user = authenticate(request, email=email, password=password)
    if user is None:
        raise ValidationError(_("Please enter a correct e-mail address and password."), code="invalid_login")
    if not user.email_verified:
        raise ValidationError(
            _("Please verify your e-mail address first: follow the link we sent you."), code="unverified"
        )
    return user


# A user holds at most this many live API tokens; issuing one more retires the oldest.
API_TOKENS_PER_USER = 10


def token_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_expired(token: ApiToken, *, now: datetime | None = None) -> bool:
    """Tokens live settings.API_TOKEN_DAYS days from their issue."""
    return token.expires_at <= (now or timezone.now())


@transaction.atomic
def user_token_issue(*, user: User, name: str = "") -> tuple[str, ApiToken]:
    """A new API token for the user: the key (returned this once; only its hash is kept) and its row.
    Expired tokens of the user go, and so does the oldest beyond API_TOKENS_PER_USER."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one issue at a time per user
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        key_hash=token_key_hash(key),
        prefix=key[:8],
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
    )
    surplus = ApiToken.objects.filter(user=user).values_list("pk", flat=True)[API_TOKENS_PER_USER:]
    ApiToken.objects.filter(pk__in=list(surplus)).delete()
    return key, token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token with this key, its `last_used_at` brought up to date (at most once a minute, so
    busy clients do not write on every request); None for an unknown key. Expiry is the caller's check."""
    token = ApiToken.objects.select_related("user").filter(key_hash=token_key_hash(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def user_tokens_revoke(*, user: User) -> int:
    """End the user's API tokens (after a password change or reset: a stolen token must not outlive it)."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


def user_token_revoke(*, user: User, token_id: int) -> int:
    """End one of the user's own API tokens; 0 when the user holds no token with this id."""
    deleted, _by_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted


def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """Give the user a new calendar feed link; the previous one (if any) stops working at once.

    Firm members only: the feed lists their firm's meetings.
    """
    if getattr(user, "membership", None) is None:
        raise ValidationError(_("The calendar feed lists your firm's meetings: join a firm first."))
    nonce = secrets.token_urlsafe(32)
    token_hash = calendar_token_hash(calendar_token_make(nonce=nonce))
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.update_or_create(
            user=user, defaults={"nonce": nonce, "token_hash": token_hash, "created_at": timezone.now()}
        )
    return feed


def user_settings_update(*, user: User, full_name: str, language: str, email_frequency: str) -> User:
    """The user's own settings: name, the language of their e-mails, immediate e-mails or a daily digest."""
    errors = {}
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = [_("Choose one of the offered languages.")]
    if email_frequency not in EmailFrequency.values:
        errors["email_frequency"] = [_("Choose how often you want e-mails.")]
    if refusal := name_refusal(full_name.strip()):
        errors["full_name"] = [refusal]
    if errors:
        raise ValidationError(errors)
    user.full_name, user.language, user.email_frequency = full_name.strip(), language, email_frequency
    user.save(update_fields=["full_name", "language", "email_frequency"])
    return user


# --- Notifications ------------------------------------------------------------------------------


def notification_send(
    *,
    recipients: Iterable[User],
    kind: str,
    params: dict[str, Any],
    link: str,
    key: str = "",
    coalesce: bool = False,
) -> list[Notification]:
    """Tell `recipients` that something happened: one Notification row each, written in the caller's
    transaction; one Celery task e-mails the rows of users who want e-mails at once, after commit.

    `params` are JSON values the title and e-mail are rendered from, in each reader's language; `link` is
    the path of the page to open. With `coalesce`, a recipient's unread and not yet e-mailed row of the
    same kind and link has its `count` parameter raised instead of getting a second row ("3 new
    suggested partners"). With `key`, a recipient gets at most one row with that key (IntegrityError).
    Inactive users get nothing.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    users = list({user.pk: user for user in recipients if user.is_active}.values())
    if not users:
        return []
    now = timezone.now()
    pending: dict[int, Notification] = {}
    if coalesce:
        pending = {
            n.recipient_id: n
            for n in Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(recipient__in=users, kind=kind, link=link, read_at__isnull=True, emailed_at__isnull=True)
        }
        for n in pending.values():
            n.params = {**n.params, "count": int(n.params.get("count", 1)) + int(params.get("count", 1))}
            n.created_at = now
        Notification.objects.bulk_update(list(pending.values()), ["params", "created_at"])
    created = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, params=params, link=link, key=key, created_at=now)
        for user in users
        if user.pk not in pending
    )
    rows = [*created, *pending.values()]
    immediate = sorted(n.pk for n in rows if n.recipient.email_frequency == EmailFrequency.IMMEDIATE)
    if immediate:
        transaction.on_commit(partial(_email_enqueue, immediate))
    unread_changed(user.pk for user in users)
    return rows


def _email_enqueue(notification_ids: list[int]) -> None:
    """Runs after commit: the action is done whatever happens to the e-mail."""
    from accounts.tasks import notification_email_task  # tasks import the services

    try:
        notification_email_task.delay(notification_ids)
    except Exception:  # broker down, or in-process tasks (no broker) out of retries: never fail the action
        logger.exception("notifications %s: not e-mailed now; the pending sweep retries them", notification_ids)


def notification_mark_read(*, user: User, notification_id: int) -> int:
    """Mark one of the user's notifications read; returns 1, or 0 when it was read already."""
    marked = Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    unread_changed([user.pk])
    return marked


def notifications_mark_all_read(*, user: User) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    unread_changed([user.pk])
    return marked


def notifications_email(*, notification_ids: list[int]) -> int:
    """E-mail each notification that is still unread and not e-mailed, to a user who wants e-mails at once;
    returns how many were sent. Safe to run twice: a row is marked e-mailed in the transaction that sends
    it, under its row lock. An SMTP error (OSError) propagates so the task retries; rows sent before stay
    sent and are skipped next time."""
    sent = 0
    with get_connection() as connection:
        for pk in sorted(set(notification_ids)):
            with transaction.atomic():
                notification = (
                    Notification.objects.select_for_update(of=("self",))
                    .select_related("recipient")
                    .filter(pk=pk, emailed_at__isnull=True, read_at__isnull=True)
                    .first()
                )
                if notification is None or not _wants_email_now(notification.recipient):
                    continue
                subject, body = notification_email_render(notification)
                EmailMessage(subject, body, to=[notification.recipient.email], connection=connection).send()
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
                sent += 1
    return sent


def _wants_email_now(user: User) -> bool:
    return user.is_active and bool(user.email) and user.email_frequency == EmailFrequency.IMMEDIATE


# Rows older than this whose task was lost (broker down, retries spent) are picked up by the sweep;
# rows older than PENDING_MAX_AGE are left to the notification centre.
PENDING_MIN_AGE = timedelta(minutes=10)
PENDING_MAX_AGE = timedelta(days=2)


def notifications_email_pending() -> int:
    """The periodic sweep: e-mail the rows whose immediate e-mail did not go out (see PENDING_MIN_AGE)."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True,
            created_at__lte=now - PENDING_MIN_AGE, created_at__gte=now - PENDING_MAX_AGE,
            recipient__email_frequency=EmailFrequency.IMMEDIATE, recipient__is_active=True,
        ).values_list("pk", flat=True)
    )  # fmt: skip
    return notifications_email(notification_ids=ids) if ids else 0


def notifications_digest_send() -> int:
    """Once a day: each user who chose the digest gets one e-mail listing their unread notifications not
    e-mailed yet; returns how many e-mails were sent. Running it twice sends nothing the second time.
    One user's SMTP error does not stop the others; it is raised at the end so the task retries."""
    users = list(User.objects.filter(
        is_active=True, email_frequency=EmailFrequency.DAILY,
        notifications__emailed_at__isnull=True, notifications__read_at__isnull=True,
    ).distinct().order_by("pk"))  # fmt: skip
    if not users:
        return 0
    sent, failure = 0, None
    with get_connection() as connection:
        for user in users:
            try:
                sent += _digest_send_one(user, connection)
            except OSError as error:
                logger.warning("digest for user %s not sent: %s", user.pk, error)
                failure = error
    if failure is not None:
        raise failure
    return sent


@transaction.atomic
def _digest_send_one(user: User, connection: Any) -> int:
    notifications = list(
        Notification.objects.select_for_update()
        .filter(recipient=user, emailed_at__isnull=True, read_at__isnull=True)
        .order_by("created_at", "pk")
    )
    if not notifications or not user.email:
        return 0
    subject, body = digest_email_render(user, notifications)
    EmailMessage(subject, body, to=[user.email], connection=connection).send()
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
    return 1


def email_send_on_commit(*, to: str, subject: str, body: str) -> None:
    """E-mail an address that may have no account yet (an invitation) by the retrying Celery task,
    once the caller's transaction commits; an SMTP error never fails the caller."""
    transaction.on_commit(partial(_email_send_enqueue, to, subject, body))


def _email_send_enqueue(to: str, subject: str, body: str) -> None:
    from accounts.tasks import email_send_task

    try:
        email_send_task.delay(to, subject, body)
    except Exception:  # as in _email_enqueue: the action is committed; the failure is logged
        logger.exception("e-mail to %s about %r not sent", to, subject)
