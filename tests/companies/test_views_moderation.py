import pytest
from django.core import mail
from django.urls import reverse

from companies.enums import ChangeAction, CompanyStatus
from companies.models import Company, CompanyChange
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

MODERATION = reverse("companies:moderation")


@pytest.fixture
def waiting(db):
    first = CompanyFactory(name="Waiting One", status=CompanyStatus.SUBMITTED)
    second = CompanyFactory(name="Waiting Two", status=CompanyStatus.SUBMITTED)
    MembershipFactory(company=first, user__email="one@example.com")
    MembershipFactory(company=second, user__email="two@example.com")
    return first, second


def test_moderation_anonymous_redirected_to_login(client):
    response = client.get(MODERATION)
    assert (response.status_code, response.url) == (302, f"{reverse('accounts:login')}?next={MODERATION}")


@pytest.mark.parametrize("who", ["member_a", "member_b"])
def test_moderation_forbidden_to_firm_members(client, request, who, waiting):
    client.force_login(request.getfixturevalue(who))
    assert client.get(MODERATION).status_code == 403
    response = client.post(MODERATION, {"companies": [waiting[0].pk], "action": "approve"})
    assert response.status_code == 403
    assert Company.objects.get(pk=waiting[0].pk).status == CompanyStatus.SUBMITTED


def test_moderation_queue_lists_submitted_only(client, admin_user, waiting, company_a):
    client.force_login(admin_user)
    response = client.get(MODERATION)
    assert response.status_code == 200
    assert [c.name for c in response.context["page"]] == ["Waiting One", "Waiting Two"]
    assert "Alpha Cathodes GmbH" not in response.text
    assert 'class="js-select-all"' in response.text


def test_moderation_approve_many(client, admin_user, waiting, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(MODERATION, {"companies": [c.pk for c in waiting], "action": "approve"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Approved 2 profile(s)."]
    assert set(Company.objects.filter(pk__in=[c.pk for c in waiting]).values_list("status", flat=True)) == {
        CompanyStatus.APPROVED
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.com", "two@example.com"]


def test_moderation_reject_one_with_reason(client, admin_user, waiting, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(MODERATION, {"companies": [waiting[0].pk], "action": "reject", "reason": "Describe your offer."})
    first, second = (Company.objects.get(pk=c.pk) for c in waiting)
    assert (first.status, first.rejection_reason) == (CompanyStatus.REJECTED, "Describe your offer.")
    assert second.status == CompanyStatus.SUBMITTED
    assert [(m.to, m.subject) for m in mail.outbox] == [(["one@example.com"], "Your profile needs changes")]
    assert first.changes.get().action == ChangeAction.REJECTED


def test_moderation_reject_without_reason_changes_nothing(client, admin_user, waiting):
    client.force_login(admin_user)
    response = client.post(MODERATION, {"companies": [c.pk for c in waiting], "action": "reject", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Say why the profiles are rejected; the firm will read it."]}
    assert response.context["selected"] == {str(c.pk) for c in waiting}
    assert set(Company.objects.values_list("status", flat=True)) == {CompanyStatus.SUBMITTED}


def test_moderation_all_or_nothing_when_one_is_no_longer_waiting(client, admin_user, waiting, company_a):
    client.force_login(admin_user)
    response = client.post(MODERATION, {"companies": [waiting[0].pk, company_a.pk], "action": "approve"})
    assert response.context["form"].errors == {"companies": ["A selected profile is no longer waiting for review."]}
    assert Company.objects.get(pk=waiting[0].pk).status == CompanyStatus.SUBMITTED
    assert CompanyChange.objects.count() == 0


def test_moderation_nothing_selected(client, admin_user, waiting):
    client.force_login(admin_user)
    response = client.post(MODERATION, {"action": "approve"})
    assert response.context["form"].errors == {"companies": ["Select at least one profile."]}


def test_moderation_queue_query_count(client, admin_user, django_assert_max_num_queries):
    CompanyFactory.create_batch(15, status=CompanyStatus.SUBMITTED)
    client.force_login(admin_user)
    with django_assert_max_num_queries(7):  # the header's unread badge and the revision queue are two of them
        response = client.get(MODERATION)
    assert len(response.context["page"]) == 15
