"""The demo: fictional companies from companies/demo/companies.json and a login for each role.

`demo_seed()` can run any number of times: the import upserts by `ref` and skips unchanged rows,
and the demo users and memberships are created once and then only put back as documented
(docs/demo.md) if someone changed them.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from accounts.models import User
from companies import vocabulary
from companies.enums import MemberRole
from companies.importing import RowError, companies_import
from companies.models import Company, Membership

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "companies.json"
# Demo only: printed by the command and written in docs/demo.md, so it is public knowledge.
DEMO_PASSWORD = "kizuna-demo-2026"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    full_name: str
    is_staff: bool = False
    is_organiser: bool = False
    company_ref: str = ""  # the company the user owns, for firm members
    language: str = "en"  # of the user's e-mails


DEMO_ADMIN = DemoLogin("Admin", "admin@demo.kizuna", "Demo Admin", is_staff=True)
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DEMO_ADMIN,
    DemoLogin("Organiser", "organiser@demo.kizuna", "Demo Organiser", is_organiser=True),
    # The EU cathode maker that seeks a nickel refiner, and the Japanese magnet maker that seeks
    # heavy rare earths outside China: both have obvious partners in the demo set.
    DemoLogin("Firm member (EU)", "member@demo.kizuna", "Katrin Vollmer", company_ref="demo-eu-001"),
    DemoLogin(
        "Firm member (JP)",
        "member-jp@demo.kizuna",
        "山本 健 (Takeshi Yamamoto)",
        company_ref="demo-jp-001",
        language="ja",
    ),
)


class DemoSeedError(Exception):
    """The demo file does not import: a bug in companies/demo/companies.json or in its format."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


@dataclass
class DemoSeedResult:
    companies: int  # demo companies in the database after seeding
    eu: int
    jp: int
    created: int  # by this run
    updated: int
    unchanged: int
    logins: tuple[DemoLogin, ...] = DEMO_LOGINS
    password: str = DEMO_PASSWORD
    companies_of: dict[str, Company] = field(default_factory=dict)  # login e-mail -> owned company


@transaction.atomic
def demo_seed() -> DemoSeedResult:
    """Import the demo companies (approved by the demo admin) and set up the demo logins."""
    admin = _user_ensure(DEMO_ADMIN)
    result = companies_import(
        content=DEMO_FILE.read_bytes(), filename=DEMO_FILE.name, user=admin, approve=True, confirm_committed=True
    )
    if not result.ok:
        raise DemoSeedError(result.errors)
    companies_of = {}
    for login in DEMO_LOGINS[1:]:
        user = _user_ensure(login)
        if login.company_ref:
            companies_of[login.email] = _membership_ensure(user=user, company_ref=login.company_ref)
    demo = list(Company.objects.filter(ref__startswith="demo-").values_list("country", flat=True))
    jp = sum(1 for country in demo if vocabulary.side_of(country) == "JP")
    return DemoSeedResult(
        companies=len(demo), eu=len(demo) - jp, jp=jp, created=result.created, updated=result.updated,
        unchanged=result.unchanged, companies_of=companies_of,
    )  # fmt: skip


def _user_ensure(login: DemoLogin) -> User:
    """The login's user as documented: verified, active, the role flags and the demo password."""
    wanted = {
        "full_name": login.full_name,
        "is_staff": login.is_staff,
        "is_superuser": login.is_staff,
        "is_organiser": login.is_organiser,
        "email_verified": True,
        "is_active": True,
        "language": login.language,
    }
    user = User.objects.filter(email=login.email).first()
    if user is None:
        return User.objects.create_user(email=login.email, password=DEMO_PASSWORD, **wanted)
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
    return user


def _membership_ensure(*, user: User, company_ref: str) -> Company:
    """The user owns the company (a user belongs to one company: an older membership is moved)."""
    company = Company.objects.get(ref=company_ref)
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        Membership.objects.create(user=user, company=company, role=MemberRole.OWNER)
    elif (membership.company_id, membership.role) != (company.pk, MemberRole.OWNER):
        membership.company, membership.role = company, MemberRole.OWNER
        membership.save(update_fields=["company", "role"])
    return company
