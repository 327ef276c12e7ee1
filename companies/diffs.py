"""Pending revisions as a person reads them: field labels and value labels (not codes, through
companies.change_display, as the history shows them), in the active language. Used by the revision
review page, the firm's profile page and the API."""

from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User
from companies import change_display, selectors
from companies.models import Company, CompanyRevision
from companies.moderation import EditOutcome


@dataclass(frozen=True)
class DiffRow:
    field: str
    label: str
    before: str
    after: str
    changed_since: bool = False  # the live value changed after the revision was proposed


def field_label(name: str) -> str:
    """The field's label as a heading ("City"), from companies.change_display like the history's."""
    return capfirst(change_display.field_label(name))


def revision_rows(revision: CompanyRevision, live: dict[str, Any]) -> list[DiffRow]:
    """The proposed changes against the live profile, in the order of the profile form."""
    order = [*live]
    fields = sorted(revision.proposed, key=lambda name: order.index(name) if name in order else len(order))
    return [
        DiffRow(
            field=name,
            label=field_label(name),
            before=change_display.value_text(name, live.get(name)),
            after=change_display.value_text(name, revision.proposed[name]),
            changed_since=name in revision.base and revision.base[name] != live.get(name),
        )  # fmt: skip
        for name in fields
    ]


def pending_context(*, company: Company, user: User) -> dict[str, Any]:
    """The pending revision and its diff rows, for the members' and admins' pages (nothing for others)."""
    if not selectors.company_can_edit(user=user, company=company):
        return {"revision": None, "revision_rows": []}
    revision = selectors.company_pending_revision(company=company)
    rows = revision_rows(revision, selectors.company_profile_data(company=company)) if revision else []
    return {"revision": revision, "revision_rows": rows}


def edit_message(outcome: EditOutcome) -> str:
    """What a saved edit did, in words the firm understands."""
    if outcome.waits_for_review and outcome.applied:
        fields = ", ".join(field_label(name) for name in outcome.applied)
        return _(
            "%(fields)s: saved and public at once. The other changes wait for an admin's review; "
            "until then the approved profile stays public."
        ) % {"fields": fields}
    if outcome.waits_for_review:
        return _("Your changes are sent for review. Until an admin approves them, the approved profile stays public.")
    return _("Your profile is saved.")
