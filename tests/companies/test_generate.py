import pytest
from django.core.management import CommandError, call_command

from companies.enums import CompanyStatus
from companies.models import Company
from companies.synthetic import generate_profiles, import_rows
from companies.validation import profile_clean


def test_import_rows_same_seed_same_rows_other_seed_differs():
    assert import_rows(generate_profiles(30, 5), 5) == import_rows(generate_profiles(30, 5), 5)
    assert import_rows(generate_profiles(30, 5), 5) != import_rows(generate_profiles(30, 6), 6)


def test_import_rows_every_row_passes_profile_validation():
    rows = import_rows(generate_profiles(200, 1), 1)
    cleaned = [profile_clean(row) for row in rows]
    assert len(cleaned) == 200
    assert {row["country"] == "JP" for row in rows} == {True, False}


@pytest.mark.django_db
def test_generate_companies_command_creates_approved_then_updates_nothing(admin_user, capsys):
    call_command("generate_companies", "--count", "40", "--seed", "2", "--approve-as", admin_user.email)
    assert Company.objects.filter(ref__startswith="gen-2-", status=CompanyStatus.APPROVED).count() == 40
    call_command("generate_companies", "--count", "40", "--seed", "2", "--approve-as", admin_user.email)
    assert Company.objects.count() == 40
    assert capsys.readouterr().out.splitlines()[-1] == "0 created, 0 updated, 40 unchanged."


@pytest.mark.django_db
def test_generate_companies_approve_as_non_admin_refused(member_a):
    with pytest.raises(CommandError, match=f"No admin with the e-mail address {member_a.email}."):
        call_command("generate_companies", "--count", "4", "--approve-as", member_a.email)
