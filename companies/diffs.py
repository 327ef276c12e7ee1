"""Field-level differences of a profile as a person reads them: field labels and value labels (not codes),
in the active language. Used by the revision review page and the firm's own profile page."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from companies import selectors
from companies.enums import TextLanguage
from companies.labels import label
from companies.models import Company, CompanyRevision
from companies.moderation import EditOutcome

# Profile fields holding vocabulary codes, and the vocabulary of each.
CODE_KINDS = {"country": "country", "size_band": "size_band", "sectors": "sector", "stages": "stage",
              "partnership_types": "partnership_type", "materials": "material", "languages": "language"}  # fmt: skip


@dataclass(frozen=True)
class DiffRow:
    field: str
    label: str
    before: str
    after: str
    changed_since: bool = False  # the live value changed after the revision was proposed


def field_label(name: str) -> str:
    if name == "dependencies":
        return _("Supply dependencies")
    if name == "contacts":
        return _("Contact persons")
    return str(Company._meta.get_field(name).verbose_name).capitalize()


def value_text(name: str, value: Any) -> str:
    """One value as text; "—" for empty."""
    if value in (None, "", []):
        return "—"
    if name in CODE_KINDS:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(label(CODE_KINDS[name], str(code)) for code in codes)
    if name == "text_language" and value in TextLanguage.values:
        return str(TextLanguage(value).label)
    if name == "dependencies":
        return "; ".join(
            _("%(material)s: %(share)s%% from %(country)s") % {
                "material": label("material", d.get("material", "")), "share": d.get("share_percent", ""),
                "country": label("country", d.get("source_country", "")),
            }
            for d in value
        )  # fmt: skip
    if name == "contacts":
        return "; ".join(", ".join(str(v) for v in (c.get("name"), c.get("role"), c.get("email"), c.get("phone")) if v)
                         for c in value)  # fmt: skip
    return str(value)


def revision_rows(revision: CompanyRevision, live: dict[str, Any]) -> list[DiffRow]:
    """The proposed changes against the live profile, in the order of the profile form."""
    order = [*live]
    fields = sorted(revision.proposed, key=lambda name: order.index(name) if name in order else len(order))
    return [
        DiffRow(
            field=name,
            label=field_label(name),
            before=value_text(name, live.get(name)),
            after=value_text(name, revision.proposed[name]),
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
