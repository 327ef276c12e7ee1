import json
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import User
from companies import vocabulary
from companies.demo_seed import DEMO_FILE, DEMO_LOGINS, DEMO_PASSWORD
from companies.enums import CompanyStatus, MemberRole
from companies.models import Company, CompanyChange, ContactPerson, Membership, SupplyDependency
from companies.validation import profile_clean

ROWS = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
JP_ROWS = sum(1 for row in ROWS if row["country"] == vocabulary.JAPAN)
SIDES = f"({len(ROWS) - JP_ROWS} EU, {JP_ROWS} JP)"
EMAILS = ["admin@demo.kizuna", "organiser@demo.kizuna", "member@demo.kizuna", "member-jp@demo.kizuna"]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run with DEBUG off
    return _seed()


def _table_counts() -> dict[str, int]:
    models = (Company, SupplyDependency, ContactPerson, CompanyChange, User, Membership)
    return {model.__name__: model.objects.count() for model in models}


# The file itself (no database) -------------------------------------------------------------


def test_demo_file_every_row_passes_profile_clean():
    failures = {}
    for row in ROWS:
        try:
            profile_clean(row)
        except ValidationError as exc:  # collect every failing row, not just the first
            failures[row["ref"]] = exc.message_dict
    assert failures == {}


def test_demo_file_refs_and_names_are_unique():
    assert len({row["ref"] for row in ROWS}) == len(ROWS)
    assert len({row["name"] for row in ROWS}) == len(ROWS)


def test_demo_file_japanese_companies_have_a_japanese_name():
    assert [row["ref"] for row in ROWS if row["country"] == "JP" and not row["name_ja"]] == []


def test_demo_file_websites_and_emails_use_example_domains():
    websites = [row["website"] for row in ROWS if not row["website"].endswith(".example")]
    emails = [c["email"] for row in ROWS for c in row["contacts"] if not c["email"].endswith(".example")]
    assert (websites, emails) == ([], [])


# After seed_demo ---------------------------------------------------------------------------


def test_seed_demo_loads_every_company_approved(seeded):
    assert len(ROWS) >= 60
    assert Company.objects.count() == len(ROWS)
    assert set(Company.objects.values_list("status", flat=True)) == {CompanyStatus.APPROVED}
    assert Company.objects.filter(reviewed_by__email="admin@demo.kizuna").count() == len(ROWS)


def test_seed_demo_balances_eu_and_japan(seeded):
    sides = Counter(vocabulary.side_of(country) for country in Company.objects.values_list("country", flat=True))
    total = sides["EU"] + sides["JP"]
    assert total == len(ROWS)
    assert 0.4 <= sides["EU"] / total <= 0.6
    assert 0.4 <= sides["JP"] / total <= 0.6


def test_seed_demo_spans_at_least_ten_eu_member_states(seeded):
    eu_countries = set(Company.objects.exclude(country=vocabulary.JAPAN).values_list("country", flat=True))
    assert eu_countries <= set(vocabulary.EU_COUNTRIES)
    assert len(eu_countries) >= 10


def test_seed_demo_covers_the_three_sectors(seeded):
    sectors = {sector for company in Company.objects.all() for sector in company.sectors}
    assert sectors == set(vocabulary.SECTORS)


def test_seed_demo_has_profiles_written_in_japanese(seeded):
    languages = Counter(Company.objects.values_list("text_language", flat=True))
    assert languages["ja"] >= 8
    assert languages["en_ja"] >= 3
    assert set(Company.objects.filter(text_language="ja").values_list("country", flat=True)) == {"JP"}


def test_seed_demo_keeps_dependencies_and_contacts(seeded):
    assert SupplyDependency.objects.count() == sum(len(row["dependencies"]) for row in ROWS)
    assert ContactPerson.objects.count() == sum(len(row["contacts"]) for row in ROWS)
    magnets = Company.objects.get(ref="demo-jp-001")
    assert list(magnets.dependencies.values_list("material", "source_country", "share_percent")) == [
        ("hree", "CN", 92),
        ("lree", "CN", 85),
    ]


def test_seed_demo_logins_authenticate_with_the_demo_password(seeded):
    for email in EMAILS:
        user = authenticate(email=email, password=DEMO_PASSWORD)
        assert user is not None, email
        assert (user.email, user.email_verified, user.is_active) == (email, True, True)


def test_seed_demo_logins_have_their_roles(seeded):
    roles = {
        user.email: (user.is_staff, user.is_superuser, user.is_organiser)
        for user in User.objects.filter(email__in=EMAILS)
    }
    assert roles == {
        "admin@demo.kizuna": (True, True, False),
        "organiser@demo.kizuna": (False, False, True),
        "member@demo.kizuna": (False, False, False),
        "member-jp@demo.kizuna": (False, False, False),
    }
    # The demo mission adds a member to the firms that answer or send requests there; these cannot log in.
    memberships = set(
        Membership.objects.filter(user__email__in=EMAILS).values_list("user__email", "company__ref", "role")
    )
    others = User.objects.exclude(email__in=EMAILS)
    assert [u.email for u in others if u.has_usable_password() or not u.email.endswith("@demo.kizuna")] == []
    assert memberships == {
        ("member@demo.kizuna", "demo-eu-001", MemberRole.OWNER),
        ("member-jp@demo.kizuna", "demo-jp-001", MemberRole.OWNER),
    }


def test_seed_demo_twice_changes_nothing(seeded):
    before = _table_counts()
    second = _seed()
    assert _table_counts() == before
    assert second.splitlines()[0] == (
        f"Demo data: {len(ROWS)} companies {SIDES}, all approved; "
        f"this run created 0, updated 0, left {len(ROWS)} unchanged."
    )


def test_seed_demo_restores_a_changed_demo_login(seeded):
    user = User.objects.get(email="organiser@demo.kizuna")
    user.set_password("something-else")
    user.is_organiser = False
    user.save()
    _seed()
    assert authenticate(email="organiser@demo.kizuna", password=DEMO_PASSWORD) == user
    assert User.objects.get(pk=user.pk).is_organiser is True


def test_seed_demo_output_lists_the_logins(seeded):
    lines = seeded.splitlines()
    assert lines[0] == (
        f"Demo data: {len(ROWS)} companies {SIDES}, all approved; "
        f"this run created {len(ROWS)}, updated 0, left 0 unchanged."
    )
    assert "Open http://127.0.0.1:8000/ and log in with:" in lines
    password = DEMO_PASSWORD
    assert lines[4:10] == [
        "  Role              E-mail                 Password          Company",
        f"  Admin             admin@demo.kizuna      {password}  -",
        f"  Organiser         organiser@demo.kizuna  {password}  -",
        f"  Firm member (EU)  member@demo.kizuna     {password}  Rheinkathode GmbH (DE)",
        f"  Firm member (JP)  member-jp@demo.kizuna  {password}  Hokushin Magnetics Co., Ltd. (JP)",
        "",
    ]
    assert [login.email for login in DEMO_LOGINS] == EMAILS


def test_seed_demo_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", stdout=StringIO())
    assert str(error.value) == (
        "DEBUG is off: seed_demo creates an admin with a public password, so it refuses to run. "
        "Use --allow-without-debug on a private test server only."
    )
    assert (Company.objects.count(), User.objects.count()) == (0, 0)


def test_seed_demo_runs_without_debug_when_allowed(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", "--allow-without-debug", stdout=StringIO())
    assert Company.objects.count() == len(ROWS)
