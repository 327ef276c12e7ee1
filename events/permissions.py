"""The permission vocabulary's roles on a mission (docs/architecture.md, "Who may do what").

Each write service of events calls one of these first; each returns nothing or raises Django's
PermissionDenied; `user=None` is the system itself (tasks, other apps' services) and may do anything.
Who manages a mission and who belongs to a firm is read from events.selectors.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_organiser
from events.models import Mission, Participation
from events.selectors import mission_can_manage, participation_is_member


def require_mission_creator(*, user: User | None) -> None:
    """Organisers and admins create missions (and become the new mission's organisers)."""
    require_organiser(user=user, message=_("Only organisers can create missions."))


def require_manager(*, user: User | None, mission: Mission) -> None:
    """The mission's organisers and admins."""
    if user is not None and not mission_can_manage(user=user, mission=mission):
        raise PermissionDenied(_("Only the organisers of this mission can do this."))


def require_member_or_manager(*, user: User | None, participation: Participation) -> None:
    """The participating firm's members, the mission's organisers and admins."""
    if user is None or participation_is_member(user=user, participation=participation):
        return
    if mission_can_manage(user=user, mission=participation.mission):
        return
    raise PermissionDenied(_("Only members of this firm or the mission's organisers can do this."))
