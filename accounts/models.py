from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import EmailFrequency, NotificationKind


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, email_verified=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address.

    Roles: a firm member has a `companies.Membership`; an organiser has `is_organiser`;
    an admin is `is_staff`.
    """

    # No user name: people log in with their e-mail. The stubs type the inherited field as always
    # present (str); removing it is what Django documents for a custom user model.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_organiser = models.BooleanField(_("organiser"), default=False)
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("The language of the e-mails you receive."),
    )  # fmt: skip
    email_frequency = models.CharField(
        _("notification e-mails"), max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs declare AbstractUser.objects as auth's username-based UserManager; this one takes
    # the e-mail instead, which is the point of the model.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.email


class Notification(models.Model):
    """Something that happened which concerns one user: listed in their notification centre and e-mailed.

    `params` are plain JSON values (names, titles, local times) from which the title and the e-mail are
    rendered in the reader's language; `link` is the path of the exact page. `key`, when set, makes a
    notification unique per recipient (a reminder is sent once per firm and mission).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(_("key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_recent"),
            # The header's unread badge counts these on every page.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notification_unsent"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notification_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class CalendarFeed(models.Model):
    """A user's personal calendar feed: /calendar/<token>.ics, read without logging in.

    The token itself is never stored: it is an HMAC of `nonce` under SECRET_KEY (so the settings page
    can show the link again), and `token_hash` (its SHA-256) finds the feed of a request. A copy of
    the database alone opens no feed. A new nonce (regenerating the link) ends the old URL at once.
    See docs/notifications.md.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    nonce = models.CharField(_("nonce"), max_length=64)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"


class ApiToken(models.Model):
    """An API token of a user. The token is shown once, when issued; only its SHA-256 is stored, so a
    copy of the database opens no API access. `prefix` (its first characters) lets the owner tell
    tokens apart in the list. A user may hold several (one per script or device) and revoke each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… of {self.user_id}"
