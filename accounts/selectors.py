"""Reads on accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import ApiToken, CalendarFeed, Notification, User
from accounts.notifications import notification_title
from accounts.tokens import calendar_token_hash, calendar_token_make
from accounts.unread import unread_count

if TYPE_CHECKING:
    from companies.models import Membership


def user_membership(*, user: User) -> Membership | None:
    """The user's company membership; None for organisers, admins and members yet to join a firm."""
    return getattr(user, "membership", None)


def user_roles(*, user: User) -> dict:
    """What the API and pages need to know about a user's roles."""
    membership = user_membership(user=user)
    return {
        "is_organiser": user.is_organiser,
        "is_staff": user.is_staff,
        "company": membership.company_id if membership else None,
        "company_role": membership.role if membership else None,
    }


def notifications_unread_count(*, user: User) -> int:
    """The header's badge: one COUNT on the partial index of unread rows, kept in the cache until
    the user's notifications change (accounts.unread)."""
    return unread_count(
        user_id=user.pk, count=lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    )


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


@dataclass(frozen=True)
class NotificationView:
    pk: int
    title: str
    link: str
    created_at: datetime
    is_read: bool


def notification_views(*, notifications: list[Notification]) -> list[NotificationView]:
    """Rows of the notification centre, titled in the active language."""
    return [
        NotificationView(pk=n.pk, title=notification_title(n), link=n.link, created_at=n.created_at, is_read=n.is_read)
        for n in notifications
    ]


# --- Calendar feed ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFeedView:
    url: str  # absolute (SITE_URL): calendar apps fetch it from elsewhere
    created_at: datetime


def calendar_feed_of(*, user: User) -> CalendarFeedView | None:
    """The user's feed link as the settings page shows it; None until they asked for one."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return None
    token = calendar_token_make(nonce=feed.nonce)
    url = settings.SITE_URL + reverse("calendar_feed", kwargs={"token": token})
    return CalendarFeedView(url=url, created_at=feed.created_at)


def calendar_feed_user(*, token: str) -> User | None:
    """The active user whose feed `token` opens; None for an unknown, replaced or malformed token."""
    feed = (
        CalendarFeed.objects.filter(token_hash=calendar_token_hash(token), user__is_active=True)
        .select_related("user__membership__company")
        .first()
    )
    return feed.user if feed else None


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first (expired ones included until the next issue clears them)."""
    return ApiToken.objects.filter(user=user)
