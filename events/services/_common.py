"""Checks every write on a mission shares: who (events.permissions, re-exported here for the services
that import them from this module) and whether the schedule is free to change."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from events.models import Mission
from events.permissions import require_manager, require_member_or_manager

__all__ = ["require_manager", "require_member_or_manager", "require_unlocked"]


def require_unlocked(mission: Mission) -> None:
    if mission.scheduling_locked:
        raise ValidationError(
            {"non_field_errors": [_("The schedule is being computed; try again when it has finished.")]}
        )
