"""Reads on company profiles, and the one place that says who may see what."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import User
from companies import vocabulary as vocab
from companies.enums import CompanyStatus, MemberRole, RevisionStatus
from companies.models import PROFILE_FIELDS, Company, CompanyChange, CompanyRevision, Invitation, Membership


def user_company(user: User) -> Company | None:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.company if membership else None


def company_member_users(*, company_ids: list[int]) -> QuerySet[User]:
    """The users who hear about a firm's business (notifications): its members, owner included."""
    return User.objects.filter(membership__company_id__in=company_ids).order_by("pk")


def company_is_member(*, user: User, company: Company) -> bool:
    return user.is_authenticated and company.memberships.filter(user=user).exists()


def company_is_owner(*, user: User, company: Company) -> bool:
    return user.is_authenticated and company.memberships.filter(user=user, role=MemberRole.OWNER).exists()


def company_can_view(*, user: User, company: Company) -> bool:
    """Approved profiles are public; others only for their members and admins."""
    return company.is_public or user.is_staff or company_is_member(user=user, company=company)


def company_can_edit(*, user: User, company: Company) -> bool:
    return user.is_staff or company_is_member(user=user, company=company)


def _reads_as_member(user: User, company: Company) -> bool:
    return company_is_member(user=user, company=company)


def _reads_as_admin(user: User, company: Company) -> bool:
    return user.is_staff


def _reads_as_organiser(user: User, company: Company) -> bool:
    from events.selectors import organiser_has_participant  # events builds on companies

    return user.is_organiser and organiser_has_participant(organiser=user, company=company)


def _reads_as_meeting_partner(user: User, company: Company) -> bool:
    from events.selectors import company_meets

    own = user_company(user)
    return own is not None and company_meets(company=company, other=own)


# Who sees a firm's contact persons, each with its check. The profile form's help text names the
# readers from these keys (companies.forms.contacts_help_text), so the text follows the rule.
CONTACT_READERS = {
    "members": _reads_as_member,  # the firm's own members (colleagues)
    "admins": _reads_as_admin,
    "organisers": _reads_as_organiser,  # of a mission the firm joined
    "meeting_partners": _reads_as_meeting_partner,  # firms with a confirmed meeting with it
}


def contacts_visible_to(*, user: User, company: Company) -> bool:
    """Contact persons are private: only the readers of CONTACT_READERS see them."""
    return user.is_authenticated and any(check(user, company) for check in CONTACT_READERS.values())


def company_public_list() -> QuerySet[Company]:
    return Company.objects.filter(status=CompanyStatus.APPROVED)


def company_directory(
    *,
    query: str = "",
    side: str = "",
    country: str = "",
    sector: str = "",
    stage: str = "",
    material: str = "",
    partnership_type: str = "",
    queryset: QuerySet[Company] | None = None,
) -> QuerySet[Company]:
    """Search and filter public profiles.

    The text search is a substring match on every text field, so Japanese text (no spaces
    between words) is found as well as European words. List filters match one code exactly:
    the JSON list is searched for the quoted code, which works on SQLite and PostgreSQL alike.
    """
    qs = company_public_list() if queryset is None else queryset
    for term in query.split():
        qs = qs.filter(
            Q(name__icontains=term) | Q(name_ja__icontains=term) | Q(description__icontains=term)
            | Q(offer__icontains=term) | Q(seek__icontains=term) | Q(keywords__icontains=term)
            | Q(city__icontains=term) | Q(region__icontains=term)
        )  # fmt: skip
    if side == "JP":
        qs = qs.filter(country=vocab.JAPAN)
    elif side == "EU":
        qs = qs.exclude(country=vocab.JAPAN)
    if country:
        qs = qs.filter(country=country)
    for field, code in (("sectors", sector), ("stages", stage), ("materials", material),
                        ("partnership_types", partnership_type)):  # fmt: skip
        if code:
            qs = qs.filter(**{f"{field}__icontains": f'"{code}"'})
    return qs.order_by("name", "id")


DIRECTORY_LABELLED = ("sectors", "stages", "partnership_types")
"""The code lists a directory row shows as labels."""
DIRECTORY_COLUMNS = ("name", "name_ja", "country", "city", *DIRECTORY_LABELLED)


def company_directory_ids(**filters: str) -> list[int]:
    """Ids of every profile company_directory lists for these filters, in its order: one query, which
    without a text or list filter reads the (name, id) index alone. Their number is the count, a
    slice of them a page (company_directory_rows), so a page costs the same at page 1 and page 200."""
    return list(company_directory(queryset=None, **filters).values_list("id", flat=True))


def company_directory_rows(ids: Sequence[int]) -> list[Company]:
    """These profiles in this order, with only the columns a directory row shows (the long texts,
    description, offer and seek, stay in the database)."""
    found = Company.objects.only(*DIRECTORY_COLUMNS).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def company_completeness(company: Company) -> int:
    """Share of the profile filled in, 0-100 (what the edit page shows)."""
    checks = [
        bool(company.name), bool(company.country), bool(company.city), bool(company.website),
        bool(company.size_band), bool(company.year_founded), bool(company.sectors), bool(company.stages),
        bool(company.partnership_types), bool(company.materials) or company.sectors == ["biotech"],
        bool(company.description), bool(company.offer), bool(company.seek), bool(company.keywords),
        bool(company.languages), company.contacts.exists(),
    ]  # fmt: skip
    return round(100 * sum(checks) / len(checks))


# --- Pages: profile, history, members, moderation queue, invitations, data export ---------------


def company_get(*, pk: int) -> Company | None:
    """One company with its dependencies and contacts loaded (the detail and edit pages)."""
    return Company.objects.prefetch_related("dependencies", "contacts").filter(pk=pk).first()


def company_profile_data(*, company: Company) -> dict[str, Any]:
    """The editable values of a profile, in the shape profile_clean takes and returns."""
    values: dict[str, Any] = {field: getattr(company, field) for field in PROFILE_FIELDS}
    values["dependencies"] = [
        {"material": d.material, "source_country": d.source_country, "share_percent": d.share_percent}
        for d in company.dependencies.all()
    ]
    values["contacts"] = [
        {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone} for c in company.contacts.all()
    ]
    return values


def company_changes(*, company: Company) -> QuerySet[CompanyChange]:
    """The audit trail, newest first, with who made each change."""
    return company.changes.select_related("user").order_by("-at", "-id")


def company_members(*, company: Company) -> QuerySet[Membership]:
    return company.memberships.select_related("user").order_by("created_at", "id")


def company_pending_invitations(*, company: Company) -> QuerySet[Invitation]:
    return company.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def company_moderation_queue() -> QuerySet[Company]:
    """Profiles waiting for review, oldest submission first."""
    return Company.objects.filter(status=CompanyStatus.SUBMITTED).order_by("submitted_at", "id")


def invitation_get(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("company", "invited_by").filter(token=token).first()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def company_export(*, company: Company) -> dict[str, Any]:
    """Everything Kizuna holds about a company, as plain JSON-ready data (the data-rights download)."""
    data = company_profile_data(company=company)
    profile = {"id": company.pk, **{k: v for k, v in data.items() if k not in ("dependencies", "contacts")}}
    profile.update(
        status=company.status, rejection_reason=company.rejection_reason, created_at=_iso(company.created_at),
        updated_at=_iso(company.updated_at), submitted_at=_iso(company.submitted_at),
        reviewed_at=_iso(company.reviewed_at),
    )  # fmt: skip
    return {
        "profile": profile,
        "dependencies": data["dependencies"],
        "contacts": data["contacts"],
        "members": [
            {"email": m.user.email, "role": m.role, "joined_at": _iso(m.created_at)}
            for m in company_members(company=company)
        ],
        "invitations": [
            {"email": i.email, "created_at": _iso(i.created_at), "accepted_at": _iso(i.accepted_at)}
            for i in company.invitations.order_by("created_at", "id")
        ],
        "changes": [
            {
                "at": _iso(c.at),
                "user": c.user.email if c.user else None,
                "action": c.action,
                "changes": c.changes,
                "note": c.note,
            }
            for c in company_changes(company=company)
        ],  # fmt: skip
    }


# --- Moderation of changes to approved profiles (companies.moderation) ----------------------------


def company_pending_revision(*, company: Company) -> CompanyRevision | None:
    return company.revisions.filter(status=RevisionStatus.PENDING).select_related("created_by").first()


def revision_queue() -> QuerySet[CompanyRevision]:
    """Pending changes to approved profiles, oldest first."""
    return (
        CompanyRevision.objects.filter(status=RevisionStatus.PENDING)
        .select_related("company", "created_by")
        .order_by("updated_at", "id")
    )


def revision_get(*, pk: int) -> CompanyRevision | None:
    return CompanyRevision.objects.select_related("company", "created_by", "decided_by").filter(pk=pk).first()
