"""Checks every write on a mission shares."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Mission, Participation
from events.selectors import mission_can_manage, participation_is_member


def require_manager(*, user: User | None, mission: Mission) -> None:
    """`user=None` is the system itself (tasks, other apps' services) and may do anything."""
    if user is not None and not mission_can_manage(user=user, mission=mission):
        raise PermissionDenied(_("Only the organisers of this mission can do this."))


def require_member_or_manager(*, user: User | None, participation: Participation) -> None:
    if user is None or participation_is_member(user=user, participation=participation):
        return
    if mission_can_manage(user=user, mission=participation.mission):
        return
    raise PermissionDenied(_("Only members of this firm or the mission's organisers can do this."))


def require_unlocked(mission: Mission) -> None:
    if mission.scheduling_locked:
        raise ValidationError(
            {"non_field_errors": [_("The schedule is being computed; try again when it has finished.")]}
        )
