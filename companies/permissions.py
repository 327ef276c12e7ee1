"""The permission vocabulary's roles on a firm (docs/architecture.md, "Who may do what").

Each write service of companies (services, moderation, data_rights) calls one of these first, so that
calling it directly with the wrong user is refused as a page or the API would be. Each returns nothing
or raises Django's PermissionDenied; `user=None` is the system itself and passes (accounts.permissions).
Who is what is read from companies.selectors, the one place that says who may see and change a firm.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_admin, require_admin
from companies.models import Company
from companies.selectors import company_is_member, company_is_owner


def _signed_in(user: Any) -> bool:
    # A page or API view may pass an anonymous user: it is refused, not looked up.
    return bool(getattr(user, "is_authenticated", False))


def require_company_editor(*, user: User | None, company: Company) -> None:
    """The firm's members (owner included) and admins: edit, submit, withdraw the profile."""
    if user is None or is_admin(user) or (_signed_in(user) and company_is_member(user=user, company=company)):
        return
    raise PermissionDenied(_("Only the company's members and admins can change this profile."))


def require_company_member(*, user: User | None, company: Company) -> None:
    """The firm's members alone (not admins): download everything held about the firm and its people."""
    if user is None or (_signed_in(user) and company_is_member(user=user, company=company)):
        return
    raise PermissionDenied(_("Only the company's members can download its data."))


def require_company_owner(*, user: User | None, company: Company, message: str | None = None) -> None:
    """The firm's owner alone (not admins): invite colleagues."""
    if user is None or (_signed_in(user) and company_is_owner(user=user, company=company)):
        return
    raise PermissionDenied(message or _("Only the owner of the company can do this."))


def require_company_owner_or_admin(*, user: User | None, company: Company) -> None:
    """The firm's owner and admins: delete the firm and its members' accounts."""
    if user is None or is_admin(user) or (_signed_in(user) and company_is_owner(user=user, company=company)):
        return
    raise PermissionDenied(_("Only the company's owner and admins can delete this profile."))


def require_moderator(*, user: User | None) -> None:
    """Admins decide on submitted profiles and on changes to approved ones."""
    require_admin(user=user, message=_("Only admins can moderate profiles."))


def require_importer(*, user: User | None) -> None:
    """Admins import companies: an import creates and changes many firms' profiles at once, as an
    admin's edit does (no review). The system (a command without --as, the demo seed) may too."""
    require_admin(user=user, message=_("Only admins can import companies."))
