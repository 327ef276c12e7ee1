"""Inviting colleagues and accepting invitations."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.http import urlencode

from companies.enums import MemberRole
from companies.models import Invitation, Membership
from companies.services import invitation_create
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

INVITE = reverse("companies:invite")


@pytest.fixture
def invitation(company_a, member_a):
    return invitation_create(company=company_a, invited_by=member_a, email="newcomer@example.com")


def _accept_url(invitation: Invitation) -> str:
    return reverse("companies:invitation_accept", args=[invitation.token])


def test_invite_anonymous_redirected_to_login(client):
    response = client.get(INVITE)
    assert (response.status_code, response.url) == (302, f"{reverse('accounts:login')}?next={INVITE}")


def test_invite_plain_member_forbidden(client, company_a):
    client.force_login(MembershipFactory(company=company_a, role=MemberRole.MEMBER).user)
    assert client.get(INVITE).status_code == 403
    assert client.post(INVITE, {"email": "x@example.com"}).status_code == 403
    assert Invitation.objects.count() == 0


def test_invite_user_without_company_sent_to_register(client):
    client.force_login(UserFactory())
    response = client.get(INVITE)
    assert (response.status_code, response.url) == (302, reverse("companies:register"))


def test_invite_owner_sends_email_with_link(client, company_a, member_a, django_capture_on_commit_callbacks):
    client.force_login(member_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"email": "newcomer@example.com"})
    assert (response.status_code, response.url) == (302, reverse("companies:my_profile"))
    invitation = Invitation.objects.get()
    assert (invitation.company, invitation.email, invitation.invited_by) == (
        company_a,
        "newcomer@example.com",
        member_a,
    )
    (message,) = mail.outbox
    assert message.to == ["newcomer@example.com"]
    assert _accept_url(invitation) in message.body
    assert "newcomer@example.com" in client.get(reverse("companies:my_profile")).text  # pending invitations


def test_invite_bad_email_shows_message(client, member_a):
    client.force_login(member_a)
    response = client.post(INVITE, {"email": "not-an-email"})
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert Invitation.objects.count() == 0


def test_invite_existing_member_shows_message(client, member_a):
    client.force_login(member_a)
    response = client.post(INVITE, {"email": member_a.email})
    assert response.context["form"].errors == {
        "email": [f"{member_a.email} is already a member of Alpha Cathodes GmbH."]
    }


def test_invitation_accept_anonymous_offered_signup_and_login_with_next(client, invitation):
    url = _accept_url(invitation)
    response = client.get(url)
    assert response.status_code == 200
    query = urlencode({"next": url})
    assert f'href="{reverse("accounts:signup")}?{query}"' in response.text
    assert f'href="{reverse("accounts:login")}?{query}"' in response.text
    assert "Alpha Cathodes GmbH" in response.text


def test_invitation_accept_anonymous_post_changes_nothing(client, invitation):
    client.post(_accept_url(invitation))
    assert Invitation.objects.get().accepted_at is None


def test_invitation_accept_logged_in_user_becomes_member(client, invitation, company_a):
    user = UserFactory(email="newcomer@example.com")
    client.force_login(user)
    assert "Accept the invitation" in client.get(_accept_url(invitation)).text
    response = client.post(_accept_url(invitation))
    assert (response.status_code, response.url) == (302, reverse("companies:my_profile"))
    membership = Membership.objects.get(user=user)
    assert (membership.company, membership.role) == (company_a, MemberRole.MEMBER)
    assert Invitation.objects.get().accepted_at is not None


def test_invitation_accept_user_of_another_company_gets_clear_error(client, invitation, member_b):
    client.force_login(member_b)
    page = client.get(_accept_url(invitation))
    assert "You already belong to a company. Leave it before joining another." in page.text
    assert "Accept the invitation" not in page.text
    response = client.post(_accept_url(invitation))
    assert response.status_code == 400
    assert response.context["error"] == "You already belong to a company. Leave it before joining another."
    assert Membership.objects.get(user=member_b).company.name == "Beta Refining KK"


def test_invitation_accept_used_link_says_so(client, invitation):
    client.force_login(UserFactory())
    client.post(_accept_url(invitation))
    client.force_login(UserFactory())
    response = client.get(_accept_url(invitation))
    assert response.context["error"] == "This invitation has already been used."


def test_invitation_accept_unknown_token_404(client):
    assert client.get(reverse("companies:invitation_accept", args=["nope"])).status_code == 404
