"""Writes on a mission's organisers: add a co-organiser by e-mail, remove one (never the last)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import NotificationKind
from accounts.models import User
from accounts.permissions import is_organiser
from accounts.services import notification_send
from events.models import Mission
from events.services._common import require_manager


def _lock(mission: Mission) -> Mission:
    # Adds and removals on one mission run one after the other, so two organisers removing each
    # other at the same moment cannot leave the mission with none.
    return Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)


def organiser_account(email: str) -> User | None:
    """The active user with this e-mail (any case) who holds the organiser role (admins count)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    return user if user is not None and is_organiser(user) else None


@transaction.atomic
def mission_organiser_add(*, mission: Mission, user: User | None, email: str) -> tuple[User, bool]:
    """Make the organiser with this e-mail a co-organiser of the mission and tell them.

    Returns (organiser, added); adding someone who organises the mission already changes nothing
    and sends nothing (added is False).
    """
    require_manager(user=user, mission=mission)
    organiser = organiser_account(email)
    if organiser is None:
        raise ValidationError({"email": [_(
            "No organiser account with this e-mail. The person needs a Kizuna account with the organiser "
            "role: ask an administrator to give them the role, then add them here."
        )]})  # fmt: skip
    mission = _lock(mission)
    if mission.organisers.filter(pk=organiser.pk).exists():
        return organiser, False
    mission.organisers.add(organiser)
    by = (user.full_name or user.email) if user is not None else "Kizuna"
    notification_send(
        recipients=[organiser], kind=NotificationKind.ORGANISER_ADDED, params={"mission": mission.title, "by": by},
        link=reverse("events:detail", args=[mission.pk]),
    )  # fmt: skip
    return organiser, True


@transaction.atomic
def mission_organiser_remove(*, mission: Mission, user: User | None, organiser: User) -> bool:
    """Take `organiser` off the mission; returns False when they were not an organiser of it.

    The last organiser cannot be removed: a mission without one could only be managed by admins.
    Removing oneself is allowed (the pages ask first).
    """
    require_manager(user=user, mission=mission)
    mission = _lock(mission)
    current = set(mission.organisers.values_list("pk", flat=True))
    if organiser.pk not in current:
        return False
    if current == {organiser.pk}:
        raise ValidationError({"organiser": [_(
            "A mission needs at least one organiser: add another organiser before removing this one."
        )]})  # fmt: skip
    mission.organisers.remove(organiser)
    return True
