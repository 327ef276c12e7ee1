"""Reads on accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from accounts.models import Notification, User
from accounts.notifications import notification_title

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
    """The header's badge: one COUNT on the partial index of unread rows."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


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
