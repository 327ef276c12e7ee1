"""company_a in each status the companies tests need (company_a itself is approved: tests/conftest.py)."""

import pytest

from companies import moderation
from companies.enums import CompanyStatus
from companies.models import Company
from companies.selectors import company_profile_data


def _in_status(company: Company, status: str) -> Company:
    Company.objects.filter(pk=company.pk).update(status=status)
    company.refresh_from_db()
    return company


@pytest.fixture
def draft_a(company_a):
    return _in_status(company_a, CompanyStatus.DRAFT)


@pytest.fixture
def submitted_a(company_a):
    return _in_status(company_a, CompanyStatus.SUBMITTED)


@pytest.fixture
def pending(company_a, member_a):
    """company_a (approved) with a pending revision moving it to Leipzig and to the anode stage."""
    data = {**company_profile_data(company=company_a), "city": "Leipzig", "stages": ["batteries.anode"]}
    outcome = moderation.profile_edit(company=company_a, user=member_a, data=data)
    return outcome.revision
