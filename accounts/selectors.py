"""Reads on accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import User

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
