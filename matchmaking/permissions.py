"""The permission vocabulary's roles in matching (docs/architecture.md, "Who may do what"): who reviews
suggestions, who runs matching and on which scope. Each returns nothing or raises Django's
PermissionDenied; `user=None` is the system itself (a command, the nightly beat)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_admin, require_organiser
from events.models import Mission
from matchmaking.selectors import match_run_can_start


def require_reviewer(*, user: User | None) -> None:
    """Admins review proposed matches before firms see them."""
    require_admin(user=user, message=_("Only admins review suggestions."))


def require_runner(*, user: User | None) -> None:
    """Admins and organisers run matching (organisers for their own missions)."""
    require_organiser(user=user, message=_("Only admins and mission organisers run matching."))


def require_run_scope(*, user: User | None, mission: Mission | None) -> None:
    """Start or retry a run of this scope: admins any (the whole directory too), organisers the
    missions they organise."""
    if user is not None and not match_run_can_start(user=user, mission=mission):
        raise PermissionDenied(_("You may not start matching for this scope."))
