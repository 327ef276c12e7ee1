"""Reads on company profiles, and the one place that says who may see what."""

from django.db.models import Q, QuerySet

from accounts.models import User
from companies import vocabulary as vocab
from companies.enums import CompanyStatus, MemberRole
from companies.models import Company


def user_company(user: User) -> Company | None:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.company if membership else None


def company_is_member(*, user: User, company: Company) -> bool:
    return user.is_authenticated and company.memberships.filter(user=user).exists()


def company_is_owner(*, user: User, company: Company) -> bool:
    return user.is_authenticated and company.memberships.filter(user=user, role=MemberRole.OWNER).exists()


def company_can_view(*, user: User, company: Company) -> bool:
    """Approved profiles are public; others only for their members and admins."""
    return company.is_public or user.is_staff or company_is_member(user=user, company=company)


def company_can_edit(*, user: User, company: Company) -> bool:
    return user.is_staff or company_is_member(user=user, company=company)


def contacts_visible_to(*, user: User, company: Company) -> bool:
    """Contact persons are private: the firm's members and admins see them.

    Mission organisers of a mission the firm joined and firms with an accepted meeting are added
    here when missions land (events), so pages and API keep one rule.
    """
    if not user.is_authenticated:
        return False
    return user.is_staff or company_is_member(user=user, company=company)


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
