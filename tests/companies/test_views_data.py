"""Data rights: download everything as JSON, delete the company."""

import json

import pytest
from django.urls import reverse

from companies.enums import MemberRole
from companies.models import Company, ContactPerson, Membership
from companies.selectors import company_directory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("companies:download")
DELETE = reverse("companies:delete")


@pytest.mark.parametrize("url", [DOWNLOAD, DELETE])
def test_data_pages_anonymous_redirected_to_login(client, url):
    response = client.get(url)
    assert (response.status_code, response.url) == (302, f"{reverse('accounts:login')}?next={url}")


def test_download_member_gets_own_company_json(client, company_a, member_a, company_b, member_b):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER).user
    client.force_login(colleague)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="kizuna-company-{company_a.pk}.json"'
    data = json.loads(response.content)
    assert data["profile"]["name"] == "Alpha Cathodes GmbH"
    assert data["contacts"][0]["email"] == "anna@alpha.example"
    assert [m["email"] for m in data["members"]] == [member_a.email, colleague.email]
    assert member_b.email not in response.content.decode()


def test_download_keeps_japanese_readable(client, company_a, member_a):
    Company.objects.filter(pk=company_a.pk).update(name_ja="アルファ正極材")
    client.force_login(member_a)
    assert "アルファ正極材" in client.get(DOWNLOAD).content.decode()


def test_download_user_without_company_sent_to_register(client):
    client.force_login(UserFactory())
    assert client.get(DOWNLOAD).url == reverse("companies:register")


def test_delete_plain_member_forbidden(client, company_a):
    client.force_login(MembershipFactory(company=company_a, role=MemberRole.MEMBER).user)
    assert client.get(DELETE).status_code == 403
    assert client.post(DELETE, {"confirm_name": "Alpha Cathodes GmbH"}).status_code == 403
    assert Company.objects.filter(pk=company_a.pk).exists()


def test_delete_owner_sees_confirmation(client, member_a):
    client.force_login(member_a)
    response = client.get(DELETE)
    assert response.status_code == 200
    assert "Delete Alpha Cathodes GmbH?" in response.text


def test_delete_without_confirmation_keeps_company(client, company_a, member_a):
    client.force_login(member_a)
    response = client.post(DELETE, {})
    assert response.context["form"].errors == {"confirm_name": ["Type the company's name to confirm."]}
    assert Company.objects.filter(pk=company_a.pk).exists()


def test_delete_owner_removes_company_from_directory(client, company_a, member_a, company_b):
    client.force_login(member_a)
    response = client.post(DELETE, {"confirm_name": "Alpha Cathodes GmbH"})
    assert (response.status_code, response.url) == (302, reverse("home"))
    assert Company.objects.filter(pk=company_a.pk).exists() is False
    assert ContactPerson.objects.filter(email="anna@alpha.example").exists() is False
    assert Membership.objects.filter(user=member_a).exists() is False
    assert [c.name for c in company_directory()] == ["Beta Refining KK"]
    assert [c.name for c in client.get(reverse("companies:directory")).context["page"]] == ["Beta Refining KK"]
    assert client.get(reverse("companies:detail", args=[company_a.pk])).status_code == 404
