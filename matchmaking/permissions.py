"""The permission vocabulary's roles in matching (docs/architecture.md, "Who may do what"): who reviews
suggestions and who starts runs. Each returns nothing or raises Django's PermissionDenied; `user=None`
is the system itself. A run's scope (which missions an organiser may match) is
matchmaking.selectors.match_run_can_start, checked by the run services."""

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_admin, require_organiser


def require_reviewer(*, user: User | None) -> None:
    """Admins review proposed matches before firms see them."""
    require_admin(user=user, message=_("Only admins review suggestions."))


def require_runner(*, user: User | None) -> None:
    """Admins and organisers run matching (organisers for their own missions)."""
    require_organiser(user=user, message=_("Only admins and mission organisers run matching."))
