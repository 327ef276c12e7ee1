import pytest
from django.contrib.auth.models import AnonymousUser

from companies.enums import ChangeAction, CompanyStatus, MemberRole
from companies.selectors import (
    company_changes,
    company_directory,
    company_export,
    company_moderation_queue,
    company_profile_data,
    contacts_visible_to,
)
from companies.services import company_record_change, invitation_create
from tests.factories import CompanyFactory, MembershipFactory, SupplyDependencyFactory

pytestmark = pytest.mark.django_db


def _names(queryset) -> list[str]:
    return [company.name for company in queryset]


@pytest.fixture
def japanese_cathode(db):
    return CompanyFactory(
        name="Sakura Materials KK",
        country="JP",
        description="リチウムイオン電池用の正極材を製造しています。",
        offer="",
        seek="",
        stages=["batteries.cathode"],
    )


def test_company_directory_japanese_substring_search(japanese_cathode, company_b):
    assert _names(company_directory(query="正極材")) == ["Sakura Materials KK"]


def test_company_directory_search_all_terms_must_match(company_a, company_b):
    # The factory gives both firms a description about cathodes; Osaka is only Beta's city.
    assert _names(company_directory(query="cathode")) == ["Alpha Cathodes GmbH", "Beta Refining KK"]
    assert _names(company_directory(query="cathode osaka")) == ["Beta Refining KK"]
    assert _names(company_directory(query="cathode tokyo")) == []


def test_company_directory_hides_profiles_not_approved(company_a):
    CompanyFactory(name="Draft GmbH", status=CompanyStatus.DRAFT)
    CompanyFactory(name="Waiting GmbH", status=CompanyStatus.SUBMITTED)
    assert _names(company_directory()) == ["Alpha Cathodes GmbH"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"side": "JP"}, ["Beta Refining KK"]),
        ({"side": "EU"}, ["Alpha Cathodes GmbH", "Gamma Bio SAS"]),
        ({"country": "FR"}, ["Gamma Bio SAS"]),
        ({"sector": "critical_minerals"}, ["Beta Refining KK"]),
        ({"sector": "batteries"}, ["Alpha Cathodes GmbH", "Beta Refining KK"]),
        ({"stage": "critical_minerals.refining_processing"}, ["Beta Refining KK"]),
        ({"material": "nickel"}, ["Alpha Cathodes GmbH", "Beta Refining KK"]),
        ({"material": "lithium"}, []),
        ({"partnership_type": "supply"}, ["Beta Refining KK"]),
        ({"partnership_type": "licensing"}, ["Gamma Bio SAS"]),
        ({"side": "EU", "sector": "biotech"}, ["Gamma Bio SAS"]),
    ],
)
def test_company_directory_filters(company_a, company_b, filters, expected):
    CompanyFactory(
        name="Gamma Bio SAS",
        country="FR",
        sectors=["biotech"],
        stages=["biotech.diagnostics"],
        materials=[],
        partnership_types=["licensing"],
    )
    assert _names(company_directory(**filters)) == expected


def test_company_directory_stage_filter_does_not_match_code_prefix(db):
    CompanyFactory(name="Recycler", sectors=["batteries"], stages=["batteries.recycling"])
    assert _names(company_directory(stage="batteries.recycl")) == []


def test_contacts_visible_to_permission_matrix(company_a, member_a, member_b, admin_user, organiser):
    visible = {
        "anonymous": contacts_visible_to(user=AnonymousUser(), company=company_a),
        "member_a": contacts_visible_to(user=member_a, company=company_a),
        "member_b": contacts_visible_to(user=member_b, company=company_a),
        "admin": contacts_visible_to(user=admin_user, company=company_a),
    }
    assert visible == {"anonymous": False, "member_a": True, "member_b": False, "admin": True}


def test_company_moderation_queue_oldest_submission_first(db):
    from django.utils import timezone

    now = timezone.now()
    later = CompanyFactory(name="Later", status=CompanyStatus.SUBMITTED, submitted_at=now)
    earlier = CompanyFactory(name="Earlier", status=CompanyStatus.SUBMITTED, submitted_at=now.replace(year=2020))
    CompanyFactory(name="Public", status=CompanyStatus.APPROVED)
    assert list(company_moderation_queue()) == [earlier, later]


def test_company_profile_data_includes_rows(company_a):
    SupplyDependencyFactory(company=company_a, material="cobalt", source_country="CD", share_percent=60)
    data = company_profile_data(company=company_a)
    assert data["dependencies"] == [{"material": "cobalt", "source_country": "CD", "share_percent": 60}]
    assert data["contacts"] == [
        {
            "name": "Anna Example",
            "role": "Head of procurement",
            "email": "anna@alpha.example",
            "phone": "+49 30 1234567",
        }
    ]
    assert (data["name"], data["sectors"], data["ref"]) == ("Alpha Cathodes GmbH", ["batteries"], None)


def test_company_changes_newest_first_with_user(company_a, member_a):
    first = company_record_change(company=company_a, user=member_a, action=ChangeAction.UPDATED, changes={"a": [1, 2]})
    second = company_record_change(company=company_a, user=None, action=ChangeAction.SUBMITTED)
    assert list(company_changes(company=company_a)) == [second, first]


def test_company_export_content(company_a, member_a):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER, user__email="colleague@alpha.example")
    SupplyDependencyFactory(company=company_a, material="graphite", source_country="CN", share_percent=80)
    invitation_create(company=company_a, invited_by=member_a, email="pending@alpha.example")
    company_record_change(company=company_a, user=member_a, action=ChangeAction.UPDATED, changes={"city": ["A", "B"]})
    data = company_export(company=company_a)
    assert set(data) == {"profile", "dependencies", "contacts", "members", "invitations", "changes"}
    assert data["profile"]["id"] == company_a.pk
    assert data["profile"]["name"] == "Alpha Cathodes GmbH"
    assert data["profile"]["status"] == "approved"
    assert data["dependencies"] == [{"material": "graphite", "source_country": "CN", "share_percent": 80}]
    assert data["contacts"][0]["email"] == "anna@alpha.example"
    assert [(m["email"], m["role"]) for m in data["members"]] == [
        (member_a.email, "owner"),
        (colleague.user.email, "member"),
    ]
    assert [(i["email"], i["accepted_at"]) for i in data["invitations"]] == [("pending@alpha.example", None)]
    assert [(c["user"], c["action"], c["changes"]) for c in data["changes"]] == [
        (member_a.email, "updated", {"city": ["A", "B"]})
    ]
