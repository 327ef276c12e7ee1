"""The permission vocabulary's site-wide roles (docs/architecture.md, "Who may do what").

Every write service checks its user first with a named check, `require_<role>(*, user, <object>)`,
which returns nothing or raises Django's PermissionDenied with a sentence for a person: pages answer
it with 403, the API with 403 and that sentence (config.api). `user=None` is the system itself (a
task, a management command, another app's service acting on its own rules) and passes every check.

The roles that depend on no object live here: admin (`is_staff`) and organiser (`is_organiser`, or
an admin). The roles of a firm are in companies.permissions, those of a mission in events.permissions.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User


def is_admin(user: Any) -> bool:
    """Anything with `is_staff`; an anonymous user is not an admin."""
    return bool(getattr(user, "is_staff", False))


def is_organiser(user: Any) -> bool:
    """Organisers create and run missions; admins may do whatever organisers do."""
    return is_admin(user) or bool(getattr(user, "is_organiser", False))


def require_admin(*, user: User | None, message: str | None = None) -> None:
    """Admins only. `message` names what was refused (it is what the person reads)."""
    if user is not None and not is_admin(user):
        raise PermissionDenied(message or _("Only admins can do this."))


def require_organiser(*, user: User | None, message: str | None = None) -> None:
    """Organisers and admins."""
    if user is not None and not is_organiser(user):
        raise PermissionDenied(message or _("Only organisers and admins can do this."))
