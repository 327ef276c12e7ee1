import pytest
from django.contrib import admin as django_admin
from django.core import mail
from django.urls import reverse

from accounts.models import User
from companies.admin import CompanyChangeInline, MembershipInline
from companies.enums import ChangeAction, CompanyStatus
from companies.models import Company, CompanyChange, Membership
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:companies_company_changelist")


@pytest.fixture
def waiting(db):
    companies = CompanyFactory.create_batch(2, status=CompanyStatus.SUBMITTED)
    for company in companies:
        MembershipFactory(company=company)
    return companies


def test_admin_company_change_page_renders_inlines(admin_client, company_a):
    response = admin_client.get(reverse("admin:companies_company_change", args=[company_a.pk]))
    assert response.status_code == 200
    assert "anna@alpha.example" in response.text
    assert "Company changes" in response.text


def test_admin_approve_action_uses_service(admin_client, waiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [c.pk for c in waiting]})
    assert set(Company.objects.values_list("status", flat=True)) == {CompanyStatus.APPROVED}
    assert len(mail.outbox) == 2
    assert CompanyChange.objects.filter(action=ChangeAction.APPROVED).count() == 2


def test_admin_reject_action_asks_for_reason(admin_client, waiting):
    response = admin_client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": [waiting[0].pk]})
    assert response.status_code == 200
    assert "Reason for rejection" in response.text
    assert Company.objects.get(pk=waiting[0].pk).status == CompanyStatus.SUBMITTED


def test_admin_reject_action_with_reason(admin_client, waiting):
    admin_client.post(CHANGELIST, {
        "action": "reject_selected", "_selected_action": [waiting[0].pk], "apply": "1", "reason": "Too thin.",
    })  # fmt: skip
    company = Company.objects.get(pk=waiting[0].pk)
    assert (company.status, company.rejection_reason) == (CompanyStatus.REJECTED, "Too thin.")


def test_admin_approve_action_all_or_nothing(admin_client, waiting, company_a):
    # An approved profile cannot be approved again: nothing changes.
    admin_client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [waiting[0].pk, company_a.pk]})
    assert Company.objects.get(pk=waiting[0].pk).status == CompanyStatus.SUBMITTED


def test_admin_company_change_list_and_audit_read_only(admin_client, company_a):
    assert admin_client.get(CHANGELIST).status_code == 200
    assert admin_client.get(reverse("admin:companies_companychange_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:companies_companychange_add")).status_code == 403
    assert admin_client.get(reverse("admin:companies_membership_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:companies_invitation_changelist")).status_code == 200


def _resubmit(response, **changes) -> dict:
    """The POST body of an admin change form as rendered, with `changes` applied to the main form."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
        for row in formset.forms:
            for name in row.fields:
                value = row[name].value()
                if value not in (None, False):
                    data[row.add_prefix(name)] = value
    data.update(changes)
    return data


def test_admin_edit_is_recorded_in_history(admin_client, admin_user, company_a):
    url = reverse("admin:companies_company_change", args=[company_a.pk])
    response = admin_client.post(url, _resubmit(admin_client.get(url), city="Hamburg"))
    assert response.status_code == 302
    change = CompanyChange.objects.get(company=company_a)
    assert (change.user, change.action, change.changes) == (
        admin_user,
        ChangeAction.UPDATED,
        {"city": ["Berlin", "Hamburg"]},
    )


def test_admin_edit_checked_by_profile_clean(admin_client, company_a):
    url = reverse("admin:companies_company_change", args=[company_a.pk])
    response = admin_client.post(url, _resubmit(admin_client.get(url), stages='["biotech.diagnostics"]'))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "stages": ["Stage(s) Diagnostics belong to a sector that is not chosen."]
    }
    assert Company.objects.get(pk=company_a.pk).stages == ["batteries.cathode"]


def test_admin_inline_rows_hold_the_people_they_show(rf, admin_user, company_a):
    """The change form's member and history rows show a user each: loaded with the row, so a user
    erased between the query and the page (an owner deleting the company while an admin saves its
    form) cannot make the page fail with DoesNotExist."""
    member = MembershipFactory(company=company_a)
    CompanyChange.objects.create(company=company_a, user=member.user, action=ChangeAction.UPDATED, changes={})
    request = rf.get("/")
    request.user = admin_user
    memberships = list(MembershipInline(Company, django_admin.site).get_queryset(request).filter(user=member.user))
    changes = list(CompanyChangeInline(Company, django_admin.site).get_queryset(request).filter(user=member.user))
    User.objects.filter(pk=member.user.pk).delete()
    assert [str(m.user) for m in memberships] == [str(member.user)]
    assert [str(c.user) for c in changes] == [str(member.user)]
    assert not Membership.objects.filter(pk=member.pk).exists()
