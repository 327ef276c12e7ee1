"""Writes on company profiles. Callers pass data already cleaned by companies.validation.profile_clean."""

import secrets
from collections.abc import Collection
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import NotificationKind
from accounts.models import User
from accounts.services import email_send_on_commit, notification_send
from companies import limits
from companies.directory import directory_changed
from companies.enums import ChangeAction, CompanyStatus, MemberRole
from companies.models import (
    PROFILE_FIELDS,
    SUBMITTABLE_STATUSES,
    Company,
    CompanyChange,
    ContactPerson,
    Invitation,
    Membership,
    SupplyDependency,
)
from companies.permissions import require_company_editor, require_company_owner, require_moderator
from companies.selectors import company_member_users, company_profile_data


def _diff(before: dict, after: dict) -> dict[str, list]:
    return {key: [before.get(key), after[key]] for key in after if before.get(key) != after[key]}


def _write_children(company: Company, data: dict) -> None:
    if "dependencies" in data:
        company.dependencies.all().delete()
        SupplyDependency.objects.bulk_create(SupplyDependency(company=company, **d) for d in data["dependencies"])
    if "contacts" in data:
        company.contacts.all().delete()
        ContactPerson.objects.bulk_create(ContactPerson(company=company, **c) for c in data["contacts"])


def company_record_change(
    *, company: Company, user: User | None, action: str, changes: dict | None = None, note: str = ""
) -> CompanyChange:
    return CompanyChange.objects.create(company=company, user=user, action=action, changes=changes or {}, note=note)


@transaction.atomic
def company_create(*, user: User | None, data: dict, owner: bool = True, action: str = ChangeAction.CREATED) -> Company:
    """Create a draft profile; when `owner`, the user becomes its owner (a user belongs to one company)."""
    if owner and user is not None and Membership.objects.filter(user=user).exists():
        raise ValidationError({"non_field_errors": [_("You already belong to a company.")]})
    company = Company.objects.create(**{f: data[f] for f in PROFILE_FIELDS if f in data})
    _write_children(company, data)
    if owner and user is not None:
        Membership.objects.create(user=user, company=company, role=MemberRole.OWNER)
    company_record_change(
        company=company, user=user, action=action, changes=_diff({}, company_profile_data(company=company))
    )
    return company


def company_lock(*, company_id: int) -> Company:
    """Lock the company's row until the transaction ends; a company deleted meanwhile is a clear error."""
    company = Company.objects.select_for_update().filter(pk=company_id).first()
    if company is None:
        raise ValidationError({"non_field_errors": [_("This company no longer exists.")]})
    return company


@transaction.atomic
def company_update(*, company: Company, user: User | None, data: dict, action: str = ChangeAction.UPDATED) -> Company:
    """Apply cleaned data. An approved profile stays public; every change is recorded. The firm's members
    and admins only (`user=None`: the system); a member's edit of an approved profile goes through
    companies.moderation.profile_edit, which calls this for what goes live.

    The company row is locked first (as every write on a company does, companies.moderation), so an
    edit that waited for a deletion finds the company gone and says so instead of crashing.
    """
    require_company_editor(user=user, company=company)
    company = company_lock(company_id=company.pk)
    before = company_profile_data(company=company)
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(company, field, data[field])
    company.save()
    _write_children(company, data)
    directory_changed()
    changes = _diff(before, company_profile_data(company=company))
    if changes:
        company_record_change(company=company, user=user, action=action, changes=changes)
        if company.is_public:
            _refresh_matches(company)
    return company


def _refresh_matches(company: Company) -> None:
    """Recompute this firm's suggestions once the profile change commits (a Celery task)."""
    from matchmaking.services import suggestions_refresh_company_on_commit  # matchmaking imports companies

    suggestions_refresh_company_on_commit(company_id=company.pk)


def companies_refresh_matches(*, company_ids: list[int]) -> None:
    """Recompute the suggestions of many changed firms once, after commit (an import; not one task per firm)."""
    from matchmaking.services import suggestions_refresh_companies_on_commit

    suggestions_refresh_companies_on_commit(company_ids=company_ids)


def _transition(company: Company, allowed_from: Collection[str], target: str) -> Company:
    locked = company_lock(company_id=company.pk)
    if locked.status not in allowed_from:
        message = _("Cannot move a %(status)s profile to %(target)s.") % {"status": locked.status, "target": target}
        raise ValidationError({"status": [message]})
    locked.status = target
    directory_changed()  # into or out of the public directory
    return locked


@transaction.atomic
def company_submit(*, company: Company, user: User) -> Company:
    require_company_editor(user=user, company=company)
    company = _transition(company, SUBMITTABLE_STATUSES, CompanyStatus.SUBMITTED)
    company.submitted_at = timezone.now()
    company.save(update_fields=["status", "submitted_at", "updated_at"])
    company_record_change(company=company, user=user, action=ChangeAction.SUBMITTED)
    return company


@transaction.atomic
def company_approve(*, company: Company, admin: User) -> Company:
    require_moderator(user=admin)
    company = _transition(
        company, {CompanyStatus.SUBMITTED, CompanyStatus.REJECTED, CompanyStatus.DRAFT}, CompanyStatus.APPROVED
    )
    company.reviewed_by, company.reviewed_at, company.rejection_reason = admin, timezone.now(), ""
    company.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason", "updated_at"])
    company_record_change(company=company, user=admin, action=ChangeAction.APPROVED)
    _refresh_matches(company)
    _notify_members(company, NotificationKind.PROFILE_APPROVED, {"company": company.name})
    return company


@transaction.atomic
def company_reject(*, company: Company, admin: User, reason: str) -> Company:
    require_moderator(user=admin)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the profile is rejected; the firm will read it.")]})
    if len(reason.strip()) > limits.COMPANY["rejection_reason"]:
        too_long = _("At most %(limit)d characters.") % {"limit": limits.COMPANY["rejection_reason"]}
        raise ValidationError({"reason": [too_long]})
    company = _transition(company, {CompanyStatus.SUBMITTED, CompanyStatus.APPROVED}, CompanyStatus.REJECTED)
    company.reviewed_by, company.reviewed_at, company.rejection_reason = admin, timezone.now(), reason.strip()
    company.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason", "updated_at"])
    company_record_change(company=company, user=admin, action=ChangeAction.REJECTED, note=company.rejection_reason)
    _refresh_matches(company)  # a profile that is no longer public loses its undecided suggestions
    _notify_members(
        company, NotificationKind.PROFILE_REJECTED, {"company": company.name, "reason": company.rejection_reason}
    )
    return company


def companies_bulk_moderate(*, company_ids: list[int], admin: User, approve: bool, reason: str = "") -> int:
    """Approve or reject many at once, all or nothing; returns how many were changed."""
    require_moderator(user=admin)  # before anything is read, even for an empty selection
    with transaction.atomic():
        companies = list(Company.objects.filter(pk__in=company_ids).order_by("pk"))
        for company in companies:
            if approve:
                company_approve(company=company, admin=admin)
            else:
                company_reject(company=company, admin=admin, reason=reason)
    return len(companies)


def _notify_members(company: Company, kind: str, params: dict) -> None:
    recipients = company_member_users(company_ids=[company.pk])
    notification_send(recipients=recipients, kind=kind, params=params, link=reverse("companies:my_profile"))


# --- Colleagues: invitations ------------------------------------------------------------------

INVITATION_VALID_DAYS = 14


@transaction.atomic
def invitation_create(*, company: Company, invited_by: User, email: str) -> Invitation:
    """The owner invites a colleague; the e-mail with the accept link leaves on commit."""
    require_company_owner(
        user=invited_by, company=company, message=_("Only the owner of a company can invite colleagues.")
    )
    email = email.strip().lower()
    if Membership.objects.filter(company=company, user__email__iexact=email).exists():
        message = _("%(email)s is already a member of %(name)s.") % {"email": email, "name": company.name}
        raise ValidationError({"email": [message]})
    invitation = Invitation.objects.create(
        company=company, email=email, token=secrets.token_urlsafe(32), invited_by=invited_by
    )
    url = settings.SITE_URL + reverse("companies:invitation_accept", kwargs={"token": invitation.token})
    subject = _("Join %(name)s on Kizuna") % {"name": company.name}
    body = _(
        "%(inviter)s invites you to join %(name)s on Kizuna, the EU-Japan partner matching platform.\n\n"
        "Accept the invitation (valid for %(days)s days): %(url)s"
    ) % {"inviter": invited_by.email, "name": company.name, "days": INVITATION_VALID_DAYS, "url": url}
    email_send_on_commit(to=email, subject=subject, body=body)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """The invited user joins the company as a member; a user belongs to one company only."""
    invitation = Invitation.objects.select_for_update().select_related("company").filter(token=token).first()
    if invitation is None:
        raise ValidationError({"token": [_("This invitation link is not valid.")]})
    if invitation.accepted_at is not None:
        raise ValidationError({"token": [_("This invitation has already been used.")]})
    if invitation.created_at < timezone.now() - timedelta(days=INVITATION_VALID_DAYS):
        raise ValidationError({"token": [_("This invitation has expired; ask for a new one.")]})
    if Membership.objects.filter(user=user).exists():
        raise ValidationError({"user": [_("You already belong to a company. Leave it before joining another.")]})
    membership = Membership.objects.create(user=user, company=invitation.company, role=MemberRole.MEMBER)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    company_record_change(
        company=invitation.company, user=user, action=ChangeAction.UPDATED,
        note=_("%(email)s joined as a member.") % {"email": user.email},
    )  # fmt: skip
    return membership


def company_record_admin_edit(*, company: Company, user: User, before: dict[str, Any]) -> CompanyChange | None:
    """Record what an edit in the Django admin changed; `before` is company_profile_data from before the save,
    or {} for a company added in the admin."""
    require_moderator(user=user)
    company = Company.objects.prefetch_related("dependencies", "contacts").get(pk=company.pk)
    changes = _diff(before, company_profile_data(company=company))
    if not changes:
        return None
    action = ChangeAction.UPDATED if before else ChangeAction.CREATED
    return company_record_change(company=company, user=user, action=action, changes=changes)
