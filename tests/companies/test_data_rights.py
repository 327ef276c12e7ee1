"""Data rights (issue 11, item 6): a firm sees and downloads everything held about it and its members, and
deletes its company and accounts with a typed confirmation (docs/privacy.md)."""

import csv
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import NotificationKind
from accounts.models import Notification
from accounts.services import notification_send
from companies import data_rights, moderation
from companies.enums import MemberRole
from companies.models import Company, ContactPerson, Membership
from companies.selectors import company_profile_data
from events.models import Meeting, MeetingRequest, Participation, ScheduleVersion
from tests.events.factories import MeetingFactory, MeetingRequestFactory, ParticipationFactory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
DATA = reverse("companies:data")
DELETE = reverse("companies:delete")


@pytest.fixture
def held(company_a, member_a, company_b, member_b):
    """company_a with a mission, a request from company_b, a meeting with it and a notification."""
    own = ParticipationFactory(company=company_a)
    other = ParticipationFactory(company=company_b, mission=own.mission)
    MeetingRequestFactory(mission=own.mission, requester=other, recipient=own, message="Shall we meet?")
    meeting = MeetingFactory(mission=own.mission, a=own, b=other)
    notification_send(recipients=[member_a], kind=NotificationKind.PROFILE_APPROVED,
                      params={"company": company_a.name}, link="/companies/me/")  # fmt: skip
    return meeting


def test_data_pages_anonymous_redirected_to_login(client):
    for url in (DATA, reverse("companies:data_zip")):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"{reverse('accounts:login')}?next={url}")


def test_data_page_shows_every_section_of_the_own_company_only(client, member_a, held):
    client.force_login(member_a)
    response = client.get(DATA)
    counts = {s["key"]: s["count"] for s in response.context["sections"]}
    assert counts == {
        "profile": 1, "dependencies": 0, "contacts": 1, "members": 1, "invitations": 0, "history": 0,
        "revisions": 0, "participations": 1, "delegates": 0, "suggestions": 0, "requests": 1, "meetings": 1,
        "notifications": 1,
    }  # fmt: skip
    assert "Shall we meet?" in response.text
    assert "Beta Refining KK" in response.text  # the other firm of the request and the meeting, by name
    assert response.context["is_owner"] is True


def test_json_download_holds_members_mission_data_and_notifications(client, company_a, member_a, member_b, held):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER).user
    client.force_login(colleague)
    response = client.get(reverse("companies:download"))
    assert response["Content-Disposition"] == f'attachment; filename="kizuna-company-{company_a.pk}.json"'
    data = json.loads(response.content)
    assert list(data) == list(data_rights.SECTIONS)
    assert [m["email"] for m in data["members"]] == [member_a.email, colleague.email]
    assert [(r["direction"], r["other_firm"], r["message"]) for r in data["requests"]] == [
        ("received", "Beta Refining KK", "Shall we meet?")
    ]
    assert [(m["other_firm"], m["status"]) for m in data["meetings"]] == [("Beta Refining KK", "confirmed")]
    assert [(n["recipient"], n["title"]) for n in data["notifications"]] == [
        (member_a.email, "Your profile is approved")
    ]
    assert member_b.email not in response.content.decode()


def test_csv_zip_has_one_file_per_section_and_no_formulas(client, company_a, member_a, held):
    Company.objects.filter(pk=company_a.pk).update(description='=HYPERLINK("http://evil.example")', name_ja="アルファ")
    client.force_login(member_a)
    response = client.get(reverse("companies:data_zip"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"{section}.csv" for section in data_rights.SECTIONS]
    text = archive.read("profile.csv").decode("utf-8")
    assert text.startswith("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert (row["description"], row["name_ja"]) == ('\'=HYPERLINK("http://evil.example")', "アルファ")
    [request] = list(csv.DictReader(io.StringIO(archive.read("requests.csv").decode("utf-8").lstrip("\ufeff"))))
    assert (request["other_firm"], request["message"]) == ("Beta Refining KK", "Shall we meet?")


def test_api_download_json_and_csv_for_members_only(client, company_a, member_a, member_b, held):
    url = f"/api/v1/companies/{company_a.pk}/download/"
    client.force_login(member_b)
    assert client.get(url).status_code == 403
    client.force_login(member_a)
    assert json.loads(client.get(url).content)["profile"]["name"] == "Alpha Cathodes GmbH"
    zipped = client.get(url + "?files=csv")
    assert zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()[0] == "profile.csv"


# --- deletion ------------------------------------------------------------------------------------


def test_delete_with_a_wrong_name_deletes_nothing(client, company_a, member_a):
    client.force_login(member_a)
    response = client.post(DELETE, {"confirm_name": "Alpha"})
    assert response.context["form"].errors == {"confirm_name": ["Type the company's name exactly as shown to confirm."]}
    assert (Company.objects.filter(pk=company_a.pk).exists(), User.objects.filter(pk=member_a.pk).exists()) == (
        True,
        True,
    )


def test_delete_plain_member_forbidden(client, company_a, member_a):
    client.force_login(MembershipFactory(company=company_a, role=MemberRole.MEMBER).user)
    assert client.post(DELETE, {"confirm_name": company_a.name}).status_code == 403
    assert Company.objects.filter(pk=company_a.pk).exists()


def test_delete_erases_company_accounts_and_mission_data_and_keeps_the_rest(
    client, company_a, member_a, company_b, member_b, held, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER).user
    organiser_member = MembershipFactory(company=company_a, role=MemberRole.MEMBER, user__is_organiser=True).user
    ScheduleVersion.objects.create(mission=held.mission, number=1, snapshot={"meetings": [{"a": company_a.name}]})
    client.force_login(member_a)
    assert client.get(DELETE).context["upcoming_meetings"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"confirm_name": "Alpha Cathodes GmbH"})
    assert (response.status_code, response.url) == (302, reverse("home"))
    assert Company.objects.filter(pk=company_a.pk).exists() is False
    assert ContactPerson.objects.filter(email="anna@alpha.example").exists() is False
    assert set(
        User.objects.filter(pk__in=[member_a.pk, colleague.pk, organiser_member.pk]).values_list("email", flat=True)
    ) == {organiser_member.email}
    assert Membership.objects.filter(user=organiser_member).exists() is False
    assert Notification.objects.filter(recipient=member_a.pk).exists() is False
    assert (
        Participation.objects.filter(company=company_a).count(),
        Meeting.objects.count(),
        MeetingRequest.objects.count(),
    ) == (
        0,
        0,
        0,
    )
    told = Notification.objects.get(recipient=member_b)
    assert (told.kind, told.params["firm"], told.params["reason"]) == (
        NotificationKind.MEETING_CANCELLED,
        "Alpha Cathodes GmbH",
        "Alpha Cathodes GmbH has left Kizuna.",
    )
    assert ScheduleVersion.objects.get().snapshot == {"meetings": [{"a": "Alpha Cathodes GmbH"}]}  # kept
    assert Company.objects.filter(pk=company_b.pk).exists()
    assert client.get(reverse("companies:my_profile")).status_code == 302  # logged out: the account is gone


def test_api_delete_needs_the_company_name(client, company_a, member_a):
    client.force_login(member_a)
    url = f"/api/v1/companies/{company_a.pk}/"
    response = client.delete(url, {}, content_type="application/json")
    # The service reads the confirmation after it has checked who asks (companies.permissions).
    assert (response.status_code, response.json()) == (
        400, {"confirm_name": ["Type the company's name exactly as shown to confirm."]},
    )  # fmt: skip
    response = client.delete(url, {"confirm_name": "Alpha Cathodes GmbH"}, content_type="application/json")
    assert response.status_code == 204
    assert Company.objects.filter(pk=company_a.pk).exists() is False


def test_an_edit_after_the_deletion_gets_a_clear_error(company_a, member_a):
    data = {**company_profile_data(company=company_a), "city": "Leipzig"}
    stale = Company.objects.get(pk=company_a.pk)
    data_rights.company_erase(company=company_a, user=member_a, confirm_name=company_a.name)
    with pytest.raises(ValidationError) as error:
        moderation.profile_edit(company=stale, user=UserFactory(is_staff=True), data=data)
    assert error.value.message_dict == {"non_field_errors": ["This company no longer exists."]}
