from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.enums import NotificationKind
from accounts.models import Notification
from companies.enums import ChangeAction, CompanyStatus, MemberRole
from companies.models import Company, CompanyChange, Invitation, Membership
from companies.selectors import company_profile_data
from companies.services import (
    companies_bulk_moderate,
    company_approve,
    company_record_admin_edit,
    company_reject,
    company_submit,
    company_update,
    invitation_accept,
    invitation_create,
)
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_company_lifecycle_draft_submitted_approved_emails_members(
    draft_a, member_a, admin_user, django_capture_on_commit_callbacks
):
    company_submit(company=draft_a, user=member_a)
    assert Company.objects.get(pk=draft_a.pk).status == CompanyStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        company_approve(company=draft_a, admin=admin_user)
    company = Company.objects.get(pk=draft_a.pk)
    assert (company.status, company.reviewed_by) == (CompanyStatus.APPROVED, admin_user)
    assert list(Notification.objects.values_list("recipient", "kind", "params", "link")) == [
        (member_a.pk, NotificationKind.PROFILE_APPROVED, {"company": "Alpha Cathodes GmbH"}, "/companies/me/")
    ]
    (message,) = mail.outbox
    assert (message.subject, message.to, message.body.split("\n\n")[1:3]) == (
        "Your profile is approved", [member_a.email],
        ["Alpha Cathodes GmbH is now public on Kizuna.", f"Your company profile:\n{settings.SITE_URL}/companies/me/"],
    )  # fmt: skip
    assert list(company.changes.values_list("action", flat=True)) == [ChangeAction.APPROVED, ChangeAction.SUBMITTED]


def test_company_approve_mails_each_member_in_own_language(
    draft_a, member_a, admin_user, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(company=draft_a, role=MemberRole.MEMBER, user__language="ja").user
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        company_approve(company=draft_a, admin=admin_user)

    by_address = {m.to[0]: (m.subject, m.body.split("\n\n")[1]) for m in mail.outbox}
    assert by_address == {
        member_a.email: ("Your profile is approved", "Alpha Cathodes GmbH is now public on Kizuna."),
        colleague.email: (
            "プロフィールが承認されました",
            "Alpha Cathodes GmbH のプロフィールがKizunaで公開されました。",
        ),
    }


def test_company_approve_commits_when_smtp_is_down(
    draft_a, member_a, admin_user, failing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        company_approve(company=draft_a, admin=admin_user)

    assert Company.objects.get(pk=draft_a.pk).status == CompanyStatus.APPROVED
    assert list(Notification.objects.values_list("kind", "emailed_at")) == [(NotificationKind.PROFILE_APPROVED, None)]


def test_company_reject_emails_reason_and_keeps_it_on_profile(
    draft_a, member_a, admin_user, django_capture_on_commit_callbacks
):
    company_submit(company=draft_a, user=member_a)
    with django_capture_on_commit_callbacks(execute=True):
        company_reject(company=draft_a, admin=admin_user, reason="Add your value-chain stages.")
    company = Company.objects.get(pk=draft_a.pk)
    assert (company.status, company.rejection_reason) == (CompanyStatus.REJECTED, "Add your value-chain stages.")
    assert list(Notification.objects.values_list("recipient", "kind", "params", "link")) == [(
        member_a.pk, NotificationKind.PROFILE_REJECTED,
        {"company": "Alpha Cathodes GmbH", "reason": "Add your value-chain stages."}, "/companies/me/",
    )]  # fmt: skip
    (message,) = mail.outbox
    assert (message.subject, message.body.split("\n\n")[1:4]) == (
        "Your profile needs changes",
        ["The profile of Alpha Cathodes GmbH was not approved. The reason:", "Add your value-chain stages.",
         f"Edit the profile and submit it again:\n{settings.SITE_URL}/companies/me/"],
    )  # fmt: skip
    assert company.changes.first().note == "Add your value-chain stages."


def test_company_update_approved_stays_approved_and_records_diff(company_a, member_a):
    company_update(company=company_a, user=member_a, data={"city": "München", "materials": ["cobalt", "nickel"]})
    company = Company.objects.get(pk=company_a.pk)
    assert company.status == CompanyStatus.APPROVED
    change = company.changes.get()
    assert (change.user, change.action) == (member_a, ChangeAction.UPDATED)
    assert change.changes == {"city": ["Berlin", "München"], "materials": [["nickel"], ["cobalt", "nickel"]]}


def test_companies_bulk_moderate_all_or_nothing(admin_user, django_capture_on_commit_callbacks):
    waiting = CompanyFactory(status=CompanyStatus.SUBMITTED)
    MembershipFactory(company=waiting)
    draft = CompanyFactory(status=CompanyStatus.DRAFT)  # a draft cannot be rejected
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        companies_bulk_moderate(company_ids=[waiting.pk, draft.pk], admin=admin_user, approve=False, reason="No.")
    assert sorted(Company.objects.values_list("status", flat=True)) == [CompanyStatus.DRAFT, CompanyStatus.SUBMITTED]
    assert CompanyChange.objects.count() == 0
    assert mail.outbox == []


def test_companies_bulk_moderate_approves_many(admin_user, django_capture_on_commit_callbacks):
    first, second = CompanyFactory.create_batch(2, status=CompanyStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        count = companies_bulk_moderate(company_ids=[first.pk, second.pk], admin=admin_user, approve=True)
    assert count == 2
    assert set(Company.objects.values_list("status", flat=True)) == {CompanyStatus.APPROVED}


def test_invitation_create_sends_accept_link_on_commit(
    company_a, member_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kizuna.example"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(company=company_a, invited_by=member_a, email=" Colleague@Alpha.example ")
    assert (invitation.email, invitation.company, invitation.accepted_at) == (
        "colleague@alpha.example",
        company_a,
        None,
    )
    assert len(invitation.token) >= 40
    (message,) = mail.outbox
    assert message.to == ["colleague@alpha.example"]
    assert message.subject == "Join Alpha Cathodes GmbH on Kizuna"
    assert f"https://kizuna.example/companies/invitations/{invitation.token}/" in message.body


def test_invitation_create_commits_when_smtp_is_down(
    company_a, member_a, failing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(company=company_a, invited_by=member_a, email="colleague@alpha.example")

    assert (Invitation.objects.count(), failing_smtp.attempts, mail.outbox) == (1, 1, [])


def test_invitation_create_by_plain_member_denied(company_a):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER).user
    with pytest.raises(PermissionDenied):
        invitation_create(company=company_a, invited_by=colleague, email="x@example.com")
    assert Invitation.objects.count() == 0


def test_invitation_create_for_existing_member_refused(company_a, member_a):
    with pytest.raises(ValidationError) as info:
        invitation_create(company=company_a, invited_by=member_a, email=member_a.email.upper())
    assert info.value.message_dict == {"email": [f"{member_a.email} is already a member of Alpha Cathodes GmbH."]}


def test_invitation_accept_makes_member_and_records_it(company_a, member_a):
    invitation = invitation_create(company=company_a, invited_by=member_a, email="new@example.com")
    newcomer = UserFactory(email="new@example.com")
    membership = invitation_accept(token=invitation.token, user=newcomer)
    assert (membership.company, membership.role) == (company_a, MemberRole.MEMBER)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert company_a.changes.get().note == "new@example.com joined as a member."


def test_invitation_accept_twice_refused(company_a, member_a):
    invitation = invitation_create(company=company_a, invited_by=member_a, email="new@example.com")
    invitation_accept(token=invitation.token, user=UserFactory())
    with pytest.raises(ValidationError) as info:
        invitation_accept(token=invitation.token, user=UserFactory())
    assert info.value.message_dict == {"token": ["This invitation has already been used."]}


def test_invitation_accept_expired_refused(company_a, member_a):
    invitation = invitation_create(company=company_a, invited_by=member_a, email="new@example.com")
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=15))
    with pytest.raises(ValidationError) as info:
        invitation_accept(token=invitation.token, user=UserFactory())
    assert info.value.message_dict == {"token": ["This invitation has expired; ask for a new one."]}


def test_invitation_accept_user_of_another_company_refused(company_a, member_a, member_b):
    invitation = invitation_create(company=company_a, invited_by=member_a, email=member_b.email)
    with pytest.raises(ValidationError) as info:
        invitation_accept(token=invitation.token, user=member_b)
    assert info.value.message_dict == {"user": ["You already belong to a company. Leave it before joining another."]}
    assert Membership.objects.get(user=member_b).company.name == "Beta Refining KK"


def test_invitation_accept_unknown_token_refused(db):
    with pytest.raises(ValidationError) as info:
        invitation_accept(token="nope", user=UserFactory())
    assert info.value.message_dict == {"token": ["This invitation link is not valid."]}


def test_company_record_admin_edit_records_diff(company_a, admin_user):
    before = company_profile_data(company=company_a)
    Company.objects.filter(pk=company_a.pk).update(city="Dresden")
    change = company_record_admin_edit(company=company_a, user=admin_user, before=before)
    assert (change.action, change.user, change.changes) == (
        ChangeAction.UPDATED,
        admin_user,
        {"city": ["Berlin", "Dresden"]},
    )


def test_company_record_admin_edit_without_change_records_nothing(company_a, admin_user):
    before = company_profile_data(company=company_a)
    assert company_record_admin_edit(company=company_a, user=admin_user, before=before) is None
    assert CompanyChange.objects.count() == 0


def test_company_update_of_a_deleted_company_says_so(company_a, admin_user):
    stale = Company.objects.get(pk=company_a.pk)  # a page or an admin form loaded it before the deletion
    Company.objects.filter(pk=company_a.pk).delete()

    with pytest.raises(ValidationError) as refused:
        company_update(company=stale, user=admin_user, data={"city": "Kyoto"})
    with pytest.raises(ValidationError) as approving:
        company_approve(company=stale, admin=admin_user)

    assert (
        refused.value.message_dict
        == approving.value.message_dict
        == {"non_field_errors": ["This company no longer exists."]}
    )
