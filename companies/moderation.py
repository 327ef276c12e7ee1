"""Moderation of profile changes: the one way a firm's edit reaches its profile.

- A draft or rejected profile is not public: edits apply at once (companies.services.company_update).
- A submitted profile is frozen until an admin decides; the firm may withdraw the submission to edit again.
- An approved profile stays public as approved: an edit becomes the company's one pending revision
  (CompanyRevision), which an admin approves (applied through company_update: history, match refresh)
  or rejects with a note. Edits to settings.MODERATION_SKIP_REVIEW_FIELDS (contacts, website) go live
  at once.
- Admins' own edits (API, Django admin) apply at once, through company_update as well.

Lock order, everywhere: the company row first, then its revision, so an edit, a decision and a
deletion (companies.data_rights) wait for one another instead of deadlocking.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import NotificationKind
from accounts.models import User
from accounts.services import notification_send
from companies.enums import ChangeAction, CompanyStatus, RevisionStatus
from companies.models import PROFILE_FIELDS, Company, CompanyRevision
from companies.permissions import require_company_editor, require_moderator
from companies.selectors import company_member_users, company_profile_data
from companies.services import company_lock, company_record_change, company_update

CHILD_FIELDS = ("dependencies", "contacts")


@dataclass
class EditOutcome:
    """What an edit did: the fields that went live, and the pending revision holding the rest (if any)."""

    applied: list[str] = field(default_factory=list)
    revision: CompanyRevision | None = None

    @property
    def waits_for_review(self) -> bool:
        return self.revision is not None and self.revision.is_pending


def skip_review_fields() -> frozenset[str]:
    """The fields whose edits skip review; a name that is not a profile field is a configuration error."""
    names = frozenset(settings.MODERATION_SKIP_REVIEW_FIELDS)
    unknown = sorted(names - set(PROFILE_FIELDS) - set(CHILD_FIELDS))
    if unknown:
        raise ImproperlyConfigured(f"MODERATION_SKIP_REVIEW_FIELDS names unknown fields: {', '.join(unknown)}")
    return names


def _pending(company: Company) -> CompanyRevision | None:
    return company.revisions.select_for_update().filter(status=RevisionStatus.PENDING).first()


def frozen_message() -> str:
    return _(
        "The profile is waiting for review and cannot be changed until an admin decides. "
        "Withdraw the submission to edit it again."
    )


@transaction.atomic
def profile_edit(*, company: Company, user: User, data: dict[str, Any]) -> EditOutcome:
    """A member's (or an admin's) edit of a profile, with data cleaned by profile_clean."""
    require_company_editor(user=user, company=company)
    company = company_lock(company_id=company.pk)
    if user.is_staff or company.status in (CompanyStatus.DRAFT, CompanyStatus.REJECTED):
        return _apply_now(company, user, data)
    if company.is_frozen:
        raise ValidationError({"status": [frozen_message()]})
    live = company_profile_data(company=company)
    skip = skip_review_fields()
    now = {key: value for key, value in data.items() if key in skip and live.get(key) != value}
    if now:
        company_update(company=company, user=user, data=now)
    later = {key: value for key, value in data.items() if key in live and key not in skip}
    revision = _revision_propose(company, user, later, live)
    return EditOutcome(applied=sorted(now), revision=revision)


def _apply_now(company: Company, user: User, data: dict[str, Any]) -> EditOutcome:
    live = company_profile_data(company=company)
    changed = sorted(key for key, value in data.items() if key in live and live[key] != value)
    company_update(company=company, user=user, data=data)
    return EditOutcome(applied=changed)


def _revision_propose(
    company: Company, user: User, values: dict[str, Any], live: dict[str, Any]
) -> CompanyRevision | None:
    """Merge `values` into the pending revision (a value equal to the live one drops out of it)."""
    pending = _pending(company)
    merged = {**(pending.proposed if pending else {}), **values}
    proposed = {key: value for key, value in merged.items() if live.get(key) != value}
    if pending is not None and proposed == pending.proposed:
        return pending
    if not proposed:
        if pending is not None:
            _close(pending, RevisionStatus.WITHDRAWN, user=user)
            company_record_change(company=company, user=user, action=ChangeAction.WITHDRAWN,
                                  note=_("The proposed changes were undone."))  # fmt: skip
        return None
    base = {key: live.get(key) for key in proposed}
    if pending is None:
        pending = CompanyRevision.objects.create(company=company, proposed=proposed, base=base, created_by=user)
    else:
        pending.proposed, pending.base, pending.created_by = proposed, base, user
        pending.save(update_fields=["proposed", "base", "created_by", "updated_at"])
    changes = {key: [live.get(key), value] for key, value in proposed.items()}
    company_record_change(company=company, user=user, action=ChangeAction.PROPOSED, changes=changes)
    return pending


def _close(revision: CompanyRevision, status: str, *, user: User, note: str = "") -> None:
    revision.status, revision.decided_by, revision.decided_at, revision.note = status, user, timezone.now(), note
    revision.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])


def _lock_pending_revision(revision: CompanyRevision) -> tuple[Company, CompanyRevision]:
    company = company_lock(company_id=revision.company_id)
    locked = CompanyRevision.objects.select_for_update().get(pk=revision.pk)
    if not locked.is_pending:
        message = _("These changes were already decided or withdrawn (%(status)s).") % {
            "status": locked.get_status_display()
        }
        raise ValidationError({"status": [message]})
    return company, locked


@transaction.atomic
def revision_approve(*, revision: CompanyRevision, admin: User, note: str = "") -> CompanyRevision:
    """Apply the proposed values through company_update (history, match refresh) and tell the firm."""
    require_moderator(user=admin)
    company, revision = _lock_pending_revision(revision)
    live = company_profile_data(company=company)
    if any(live.get(key) != value for key, value in revision.proposed.items()):
        company_update(company=company, user=admin, data=revision.proposed, action=ChangeAction.ACCEPTED)
    else:  # nothing left to change (an admin made the same edit meanwhile): the decision is still recorded
        company_record_change(company=company, user=admin, action=ChangeAction.ACCEPTED)
    _close(revision, RevisionStatus.APPROVED, user=admin, note=note.strip())
    _notify(company, NotificationKind.REVISION_APPROVED, revision.note)
    return revision


@transaction.atomic
def revision_reject(*, revision: CompanyRevision, admin: User, note: str) -> CompanyRevision:
    """Keep the approved profile as it is; the firm reads the note."""
    require_moderator(user=admin)
    if not note.strip():
        raise ValidationError({"note": [_("Say why the changes are rejected; the firm will read it.")]})
    company, revision = _lock_pending_revision(revision)
    _close(revision, RevisionStatus.REJECTED, user=admin, note=note.strip())
    company_record_change(company=company, user=admin, action=ChangeAction.DECLINED, note=revision.note)
    _notify(company, NotificationKind.REVISION_REJECTED, revision.note)
    return revision


@transaction.atomic
def revision_withdraw(*, company: Company, user: User) -> None:
    """The firm drops its pending changes; the approved profile is unchanged."""
    require_company_editor(user=user, company=company)
    company = company_lock(company_id=company.pk)
    pending = _pending(company)
    if pending is None:
        raise ValidationError({"status": [_("There are no changes waiting for review.")]})
    _close(pending, RevisionStatus.WITHDRAWN, user=user)
    company_record_change(company=company, user=user, action=ChangeAction.WITHDRAWN,
                          note=_("The proposed changes were withdrawn."))  # fmt: skip


@transaction.atomic
def company_withdraw(*, company: Company, user: User) -> Company:
    """Take a submitted profile back to draft, so that the firm can edit it again."""
    require_company_editor(user=user, company=company)
    company = company_lock(company_id=company.pk)
    if not company.is_frozen:
        raise ValidationError({"status": [_("Only a profile waiting for review can be withdrawn.")]})
    company.status, company.submitted_at = CompanyStatus.DRAFT, None
    company.save(update_fields=["status", "submitted_at", "updated_at"])
    company_record_change(company=company, user=user, action=ChangeAction.WITHDRAWN,
                          note=_("The submission was withdrawn."))  # fmt: skip
    return company


def _notify(company: Company, kind: str, note: str) -> None:
    notification_send(
        recipients=company_member_users(company_ids=[company.pk]), kind=kind,
        params={"company": company.name, "note": note}, link=reverse("companies:my_profile"),
    )  # fmt: skip
