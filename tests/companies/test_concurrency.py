"""A company deleted and edited at the same moment, on a real PostgreSQL: two requests in two threads,
each with its own connection, released together by a barrier, many times over (the race showed in
most pairs before the services locked the company row first)."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from companies import data_rights, services
from companies.enums import CompanyStatus, MemberRole
from companies.models import Company, CompanyChange, ContactPerson, Membership
from tests.companies.test_admin import _resubmit
from tests.events.threads import run_at_once
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAIRS = 40


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _firm(n: int):
    company = CompanyFactory(name=f"Racing Firm {n}", status=CompanyStatus.DRAFT)
    ContactPersonFactory(company=company, name="Anna Example")
    owner = MembershipFactory(company=company).user
    colleague = MembershipFactory(company=company, role=MemberRole.MEMBER).user
    return company, owner, colleague


def _outcome(result) -> object:
    """A response's status code, or the exception a request raised (a 500 in the test client)."""
    return result.status_code if hasattr(result, "status_code") else type(result).__name__


def _nothing_left(company_id: int, user_ids: list[int]) -> bool:
    return not any((
        Company.objects.filter(pk=company_id).exists(),
        CompanyChange.objects.filter(company_id=company_id).exists(),
        ContactPerson.objects.filter(company_id=company_id).exists(),
        Membership.objects.filter(company_id=company_id).exists(),
        User.objects.filter(pk__in=user_ids).exists(),
    ))  # fmt: skip


def _race(company: Company, owner: User, colleague: User) -> list[object]:
    """The owner deletes the company while a colleague edits it."""
    url = f"/api/v1/companies/{company.pk}/"
    return run_at_once([
        lambda: _client(owner).delete(url, {"confirm_name": company.name}, format="json"),
        lambda: _client(colleague).patch(url, {"city": "Hamburg"}, format="json"),
    ])  # fmt: skip


def test_delete_and_edit_at_once_one_wins_and_nothing_is_half_written():
    outcomes = []
    for n in range(PAIRS):
        company, owner, colleague = _firm(n)
        delete, edit = _race(company, owner, colleague)
        outcomes.append((_outcome(delete), _outcome(edit)))
        if _outcome(edit) == 400:
            assert edit.json() == {"non_field_errors": ["This company no longer exists."]}
        assert _nothing_left(company.pk, [owner.pk, colleague.pk]), f"pair {n}: {outcomes[-1]}"
    connection.close()

    # The deletion always happens; the edit either came first (200), found the company gone (404),
    # or waited for the deletion's lock and was told why (400). Never a 500, never a deadlock.
    assert {delete for delete, _ in outcomes} == {204}
    assert {edit for _, edit in outcomes} <= {200, 400, 404}
    print("edit outcomes:", sorted(Counter(edit for _, edit in outcomes).items()))


def test_admin_edit_and_delete_at_once_never_crash(admin_user):
    """The Django admin and a revision's approval edit through company_update itself."""
    edits = []
    for n in range(PAIRS):
        company, owner, _ = _firm(n)
        erased, edited = run_at_once([
            lambda: data_rights.company_erase(company=company, user=owner, confirm_name=company.name),  # noqa: B023
            lambda: services.company_update(company=company, user=admin_user, data={"city": "Kyoto"}),  # noqa: B023
        ])  # fmt: skip
        assert isinstance(erased, data_rights.Erasure), erased
        if isinstance(edited, ValidationError):
            assert edited.message_dict == {"non_field_errors": ["This company no longer exists."]}
        else:
            assert isinstance(edited, Company), edited
        edits.append(type(edited).__name__)
        assert _nothing_left(company.pk, [owner.pk])
    connection.close()
    print("admin edit outcomes:", sorted(Counter(edits).items()))


def test_admin_change_form_and_delete_at_once_never_crash(admin_client):
    """An admin saves a company's change form while its owner deletes the company."""
    outcomes = []
    for n in range(PAIRS // 2):
        company, owner, _ = _firm(n)
        url = reverse("admin:companies_company_change", args=[company.pk])
        post = _resubmit(admin_client.get(url), city="Kyoto")
        erased, saved = run_at_once([
            lambda: data_rights.company_erase(company=company, user=owner, confirm_name=company.name),  # noqa: B023
            lambda: admin_client.post(url, post),  # noqa: B023
        ])  # fmt: skip
        assert isinstance(erased, data_rights.Erasure), erased
        outcomes.append(_outcome(saved))
        if outcomes[-1] == 200:  # the form shown again: its inline rows were deleted under it
            assert saved.context["errors"]
        assert _nothing_left(company.pk, [owner.pk])
    connection.close()

    # Saved first, told the company is gone (redirected with a message), or the form shown again with
    # its errors: never a 500.
    assert set(outcomes) <= {200, 302}, outcomes
    print("admin form outcomes:", sorted(Counter(outcomes).items()))
