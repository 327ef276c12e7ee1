"""A profile approved, edited or rejected recomputes only that firm's suggestions (companies services → task)."""

from companies import selectors as company_selectors
from companies import services as company_services
from companies.enums import CompanyStatus
from companies.validation import profile_clean
from tests.factories import CompanyFactory
from tests.matchmaking.helpers import names, run_now


def test_company_approve_adds_its_suggestions(profiles, admin_user, django_capture_on_commit_callbacks):
    run_now()
    newcomer = CompanyFactory(
        name="Zeta Nickel KK", country="JP", status=CompanyStatus.SUBMITTED, sectors=["critical_minerals"],
        stages=["critical_minerals.refining_processing"], partnership_types=["supply"], materials=["nickel"],
        offer="Battery-grade nickel sulphate.", seek="European cathode makers for long-term offtake.",
    )  # fmt: skip
    assert ("Alpha Cathodes GmbH", "Zeta Nickel KK") not in names()
    with django_capture_on_commit_callbacks(execute=True):
        company_services.company_approve(company=newcomer, admin=admin_user)
    assert ("Alpha Cathodes GmbH", "Zeta Nickel KK") in names()


def test_company_reject_removes_its_undecided_suggestions(profiles, admin_user, django_capture_on_commit_callbacks):
    run_now()
    company_b = profiles[1]
    assert ("Alpha Cathodes GmbH", "Beta Refining KK") in names()
    with django_capture_on_commit_callbacks(execute=True):
        company_services.company_reject(company=company_b, admin=admin_user, reason="Misleading claims.")
    assert {pair for pair in names() if "Beta Refining KK" in pair} == set()


def test_company_update_of_public_profile_recomputes_it(profiles, member_b, django_capture_on_commit_callbacks):
    run_now()
    company_b = profiles[1]
    current = company_selectors.company_profile_data(company=company_b)
    data = profile_clean({"sectors": ["biotech"], "stages": ["biotech.diagnostics"], "materials": [],
                          "partnership_types": ["distribution"], "offer": "Diagnostic kits.", "seek": "Distributors.",
                          "description": "Diagnostics maker."}, partial=True, current=current)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        company_services.company_update(company=company_b, user=member_b, data=data)
    assert ("Alpha Cathodes GmbH", "Beta Refining KK") not in names()
