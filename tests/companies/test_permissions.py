"""The permission vocabulary enforced in companies' write services (issue 12, item 8): called directly
with the wrong user, each service refuses with PermissionDenied and writes nothing; through the API the
same refusal is a 403 with the service's sentence."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from companies import data_rights, moderation, services
from companies.enums import CompanyStatus, MemberRole, RevisionStatus
from companies.models import Company, CompanyChange, CompanyRevision, Invitation
from companies.permissions import (
    require_company_editor,
    require_company_member,
    require_company_owner,
    require_company_owner_or_admin,
)
from companies.selectors import company_profile_data
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NOT_EDITOR = "Only the company's members and admins can change this profile."
NOT_DELETER = "Only the company's owner and admins can delete this profile."
NOT_MODERATOR = "Only admins can moderate profiles."


def _refused(call) -> str:
    with pytest.raises(PermissionDenied) as refused:
        call()
    return str(refused.value)


def _history(company: Company) -> list[str]:
    return list(CompanyChange.objects.filter(company=company).values_list("action", flat=True))


# --- the checks themselves -------------------------------------------------------------------------


def test_checks_answer_each_role_as_the_vocabulary_says(company_a, member_a, member_b, admin_user):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER).user
    checks = {
        "editor": require_company_editor, "member": require_company_member, "owner": require_company_owner,
        "owner_or_admin": require_company_owner_or_admin,
    }  # fmt: skip
    people = {"owner": member_a, "colleague": colleague, "other firm": member_b, "admin": admin_user, "system": None}

    def allowed(check) -> list[str]:
        passed = []
        for name, user in people.items():
            try:
                check(user=user, company=company_a)
            except PermissionDenied:
                continue
            passed.append(name)
        return passed

    assert {name: allowed(check) for name, check in checks.items()} == {
        "editor": ["owner", "colleague", "admin", "system"],
        "member": ["owner", "colleague", "system"],
        "owner": ["owner", "system"],
        "owner_or_admin": ["owner", "admin", "system"],
    }


def test_checks_refuse_an_anonymous_user_without_looking_it_up(company_a, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert _refused(lambda: require_company_editor(user=AnonymousUser(), company=company_a)) == NOT_EDITOR


# --- services called directly with the wrong user ------------------------------------------------


def test_company_update_by_another_firm_is_refused_and_writes_nothing(draft_a, member_b):
    message = _refused(lambda: services.company_update(company=draft_a, user=member_b, data={"city": "Bonn"}))

    draft_a.refresh_from_db()
    assert (message, draft_a.city, _history(draft_a)) == (NOT_EDITOR, "Berlin", [])


def test_company_update_by_its_member_an_admin_and_the_system_is_allowed(draft_a, member_a, admin_user):
    for user, city in ((member_a, "Bonn"), (admin_user, "Köln"), (None, "Essen")):
        services.company_update(company=draft_a, user=user, data={"city": city})

    draft_a.refresh_from_db()
    assert (draft_a.city, len(_history(draft_a))) == ("Essen", 3)


def test_company_submit_by_another_firm_is_refused(draft_a, member_b):
    message = _refused(lambda: services.company_submit(company=draft_a, user=member_b))

    draft_a.refresh_from_db()
    assert (message, draft_a.status, _history(draft_a)) == (NOT_EDITOR, CompanyStatus.DRAFT, [])


def test_profile_edit_by_another_firm_is_refused_before_a_revision_is_proposed(company_a, member_b):
    data = {**company_profile_data(company=company_a), "city": "Bonn"}

    message = _refused(lambda: moderation.profile_edit(company=company_a, user=member_b, data=data))

    assert (message, CompanyRevision.objects.count(), _history(company_a)) == (NOT_EDITOR, 0, [])


def test_company_withdraw_by_another_firm_is_refused(submitted_a, member_b):
    message = _refused(lambda: moderation.company_withdraw(company=submitted_a, user=member_b))

    submitted_a.refresh_from_db()
    assert (message, submitted_a.status) == (NOT_EDITOR, CompanyStatus.SUBMITTED)


def test_revision_withdraw_by_another_firm_is_refused(company_a, member_b, pending):
    message = _refused(lambda: moderation.revision_withdraw(company=company_a, user=member_b))

    pending.refresh_from_db()
    assert (message, pending.status) == (NOT_EDITOR, RevisionStatus.PENDING)


@pytest.mark.parametrize("who", ["member_b", "organiser"])
def test_moderation_by_a_non_admin_is_refused(request, company_b, pending, who):
    """A firm's member (of the submitted firm itself) and an organiser: neither moderates."""
    Company.objects.filter(pk=company_b.pk).update(status=CompanyStatus.SUBMITTED)
    user = request.getfixturevalue(who)
    refusals = [
        _refused(lambda: services.company_approve(company=company_b, admin=user)),
        _refused(lambda: services.company_reject(company=company_b, admin=user, reason="No.")),
        _refused(lambda: services.companies_bulk_moderate(company_ids=[], admin=user, approve=True)),
        _refused(lambda: moderation.revision_approve(revision=pending, admin=user)),
        _refused(lambda: moderation.revision_reject(revision=pending, admin=user, note="No.")),
    ]

    company_b.refresh_from_db()
    pending.refresh_from_db()
    assert (refusals, company_b.status, pending.status) == (
        [NOT_MODERATOR] * 5, CompanyStatus.SUBMITTED, RevisionStatus.PENDING,
    )  # fmt: skip


def test_invitation_by_an_admin_is_refused_the_owner_invites(company_a, admin_user):
    message = _refused(
        lambda: services.invitation_create(company=company_a, invited_by=admin_user, email="x@y.example")
    )

    assert (message, Invitation.objects.count()) == ("Only the owner of a company can invite colleagues.", 0)


def test_company_erase_by_a_colleague_is_refused_before_the_name_is_read(company_a, member_a):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER).user

    message = _refused(lambda: data_rights.company_erase(company=company_a, user=colleague, confirm_name="wrong"))

    assert (message, Company.objects.filter(pk=company_a.pk).exists()) == (NOT_DELETER, True)


# --- through the API: the service's refusal is a 403 with its sentence -----------------------------


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_api_submit_of_another_firms_public_profile_is_a_403(company_a, member_b):
    response = _client(member_b).post(f"/api/v1/companies/{company_a.pk}/submit/")

    company_a.refresh_from_db()
    assert (response.status_code, response.json(), company_a.status) == (
        403, {"detail": NOT_EDITOR}, CompanyStatus.APPROVED,
    )  # fmt: skip


def test_api_withdraw_of_another_firms_revision_is_a_403(company_a, member_b, pending):
    response = _client(member_b).delete(f"/api/v1/companies/{company_a.pk}/revision/")

    pending.refresh_from_db()
    assert (response.status_code, response.json(), pending.status) == (
        403, {"detail": NOT_EDITOR}, RevisionStatus.PENDING,
    )  # fmt: skip


def test_api_delete_by_a_colleague_with_the_right_name_is_a_403(company_a, member_a):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER).user

    response = _client(colleague).delete(
        f"/api/v1/companies/{company_a.pk}/", {"confirm_name": company_a.name}, format="json"
    )

    assert (response.status_code, response.json(), Company.objects.filter(pk=company_a.pk).exists()) == (
        403, {"detail": NOT_DELETER}, True,
    )  # fmt: skip


def test_api_revision_of_another_firm_is_a_403_to_read(company_a, member_b, pending):
    response = _client(member_b).get(f"/api/v1/companies/{company_a.pk}/revision/")

    assert (response.status_code, response.json()) == (403, {"detail": NOT_EDITOR})


# --- imports: an admin's edit of many firms ------------------------------------------------------


def test_import_by_a_firm_member_is_refused_and_writes_nothing(company_a, member_a):
    from companies.importing import companies_import

    content = b'[{"name": "New Firm GmbH", "country": "DE", "sectors": ["batteries"]}]'

    message = _refused(lambda: companies_import(content=content, filename="firms.json", user=member_a, approve=False))

    assert (message, Company.objects.filter(name="New Firm GmbH").exists()) == (
        "Only admins can import companies.", False,
    )  # fmt: skip


def test_import_command_as_a_non_admin_is_refused_by_name(tmp_path, member_a):
    from django.core.management import CommandError, call_command

    path = tmp_path / "firms.json"
    path.write_text('[{"name": "New Firm GmbH", "country": "DE", "sectors": ["batteries"]}]')

    with pytest.raises(CommandError) as refused:
        call_command("import_companies", str(path), "--as", member_a.email, "--no-input")

    assert (str(refused.value), Company.objects.filter(name="New Firm GmbH").exists()) == (
        "--as needs the e-mail address of an admin: an import changes firms as an admin would.", False,
    )  # fmt: skip
