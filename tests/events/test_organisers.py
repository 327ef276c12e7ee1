"""Co-organisers of a mission: adding by e-mail (notified, in their language), removing (never the last,
oneself after confirming), the page and the API."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.enums import NotificationKind
from events import services
from tests.clients import api, notification_rows, web
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TITLE = "Battery supply chain mission to Tokyo"
NO_ACCOUNT = (
    "No organiser account with this e-mail. The person needs a Kizuna account with the organiser role: "
    "ask an administrator to give them the role, then add them here."
)
LAST = "A mission needs at least one organiser: add another organiser before removing this one."


@pytest.fixture
def organiser(db):
    return UserFactory(email="organiser@example.com", full_name="Olivia Organiser", is_organiser=True)


@pytest.fixture
def colleague(db):
    return UserFactory(email="kenji@example.jp", full_name="Kenji Sato", is_organiser=True, language="ja")


def _organisers(mission) -> list[str]:
    return sorted(mission.organisers.values_list("email", flat=True))


# Services ----------------------------------------------------------------------------------------


def test_add_makes_organiser_and_notifies_them(mission, organiser, colleague):
    user, added = services.mission_organiser_add(mission=mission, user=organiser, email="Kenji@Example.jp ")

    assert (user, added) == (colleague, True)
    assert _organisers(mission) == ["kenji@example.jp", "organiser@example.com"]
    assert notification_rows() == [(
        "kenji@example.jp", NotificationKind.ORGANISER_ADDED, {"mission": TITLE, "by": "Olivia Organiser"},
        f"/missions/{mission.pk}/",
    )]  # fmt: skip


def test_add_twice_does_nothing_the_second_time(mission, organiser, colleague):
    services.mission_organiser_add(mission=mission, user=organiser, email=colleague.email)

    assert services.mission_organiser_add(mission=mission, user=organiser, email=colleague.email) == (colleague, False)
    assert _organisers(mission) == ["kenji@example.jp", "organiser@example.com"]
    assert len(notification_rows()) == 1


@pytest.mark.parametrize(
    "who",
    [
        {"email": "nobody@example.com", "is_organiser": False, "exists": False},
        {"email": "member@example.com", "is_organiser": False, "exists": True},
        {"email": "gone@example.com", "is_organiser": True, "exists": True, "is_active": False},
    ],
    ids=["no-account", "not-an-organiser", "inactive"],
)
def test_add_refuses_someone_without_an_organiser_account(mission, organiser, who):
    if who.pop("exists"):
        UserFactory(**who)

    with pytest.raises(ValidationError) as exc:
        services.mission_organiser_add(mission=mission, user=organiser, email=who["email"])

    assert exc.value.message_dict == {"email": [NO_ACCOUNT]}
    assert _organisers(mission) == ["organiser@example.com"]


def test_admin_can_be_added_as_organiser(mission, organiser, admin_user):
    assert services.mission_organiser_add(mission=mission, user=organiser, email=admin_user.email) == (
        admin_user, True
    )  # fmt: skip


@pytest.mark.parametrize("role", ["member_a", "other_organiser"])
def test_add_and_remove_refused_to_non_managers(mission, organiser, colleague, roles, role):
    with pytest.raises(PermissionDenied):
        services.mission_organiser_add(mission=mission, user=roles[role], email=colleague.email)
    with pytest.raises(PermissionDenied):
        services.mission_organiser_remove(mission=mission, user=roles[role], organiser=organiser)
    assert _organisers(mission) == ["organiser@example.com"]


def test_admin_adds_and_removes_without_organising(mission, organiser, colleague, admin_user):
    services.mission_organiser_add(mission=mission, user=admin_user, email=colleague.email)
    services.mission_organiser_remove(mission=mission, user=admin_user, organiser=organiser)

    assert _organisers(mission) == ["kenji@example.jp"]


def test_remove_another_organiser(mission, organiser, colleague):
    mission.organisers.add(colleague)

    assert services.mission_organiser_remove(mission=mission, user=colleague, organiser=organiser) is True
    assert _organisers(mission) == ["kenji@example.jp"]


def test_remove_the_last_organiser_is_refused(mission, organiser, admin_user):
    with pytest.raises(ValidationError) as exc:
        services.mission_organiser_remove(mission=mission, user=admin_user, organiser=organiser)

    assert exc.value.message_dict == {"organiser": [LAST]}
    assert _organisers(mission) == ["organiser@example.com"]


def test_remove_someone_not_organising_does_nothing(mission, organiser, colleague):
    assert services.mission_organiser_remove(mission=mission, user=organiser, organiser=colleague) is False
    assert _organisers(mission) == ["organiser@example.com"]


def test_organiser_added_email_in_the_recipients_language(
    mission, organiser, colleague, django_capture_on_commit_callbacks
):
    english = UserFactory(email="eva@example.eu", full_name="Eva Example", is_organiser=True)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.mission_organiser_add(mission=mission, user=organiser, email=colleague.email)
        services.mission_organiser_add(mission=mission, user=organiser, email=english.email)

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("eva@example.eu", f"{TITLE}: you are now a co-organiser"),
        ("kenji@example.jp", f"{TITLE}：共同主催者に追加されました"),
    ]
    bodies = {m.to[0]: m.body.split("\n\n")[1:3] for m in mail.outbox}
    link = f"{settings.SITE_URL}/missions/{mission.pk}/"
    assert bodies["eva@example.eu"] == [
        f"Olivia Organiser added you as a co-organiser of {TITLE}. You can now manage its participants, meeting "
        "requests and schedule.",
        f"The mission:\n{link}",
    ]
    assert bodies["kenji@example.jp"] == [
        f"Olivia Organiser さんが、あなたを {TITLE} の共同主催者に追加しました。参加企業、面談リクエスト、"
        "スケジュールを管理できるようになりました。",
        f"ミッション：\n{link}",
    ]


# Page --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("member_a", 403), ("other_organiser", 403), ("organiser", 200),
                                              ("admin", 200)])  # fmt: skip
def test_organisers_page_permission_matrix(mission, roles, role, status):
    assert web(roles[role]).get(f"/missions/{mission.pk}/organisers/").status_code == status


def test_organisers_page_lists_organisers_and_last_cannot_be_removed(mission, organiser):
    response = web(organiser).get(f"/missions/{mission.pk}/organisers/")

    assert [u.email for u in response.context["organisers"]] == ["organiser@example.com"]
    assert response.context["removable"] is False
    assert "The last organiser cannot be removed." in response.content.decode()
    assert (
        reverse("events:organisers", args=[mission.pk])
        in web(organiser).get(f"/missions/{mission.pk}/participants/").content.decode()
    )  # the mission's navigation links to the page


def test_organisers_page_adds_by_email(mission, organiser, colleague):
    response = web(organiser).post(f"/missions/{mission.pk}/organisers/", {"email": "kenji@example.jp"}, follow=True)

    assert response.redirect_chain == [(f"/missions/{mission.pk}/organisers/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Kenji Sato now organises this mission and has been notified."
    ]
    assert [u.email for u in response.context["organisers"]] == ["kenji@example.jp", "organiser@example.com"]


def test_organisers_page_unknown_email_is_a_form_error(mission, organiser):
    response = web(organiser).post(f"/missions/{mission.pk}/organisers/", {"email": "nobody@example.com"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": [NO_ACCOUNT]}


def test_organisers_page_invalid_email_is_a_form_error(mission, organiser):
    response = web(organiser).post(f"/missions/{mission.pk}/organisers/", {"email": "not an address"})

    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}


def test_removing_another_organiser_happens_at_once(mission, organiser, colleague):
    mission.organisers.add(colleague)

    response = web(organiser).post(f"/missions/{mission.pk}/organisers/{colleague.pk}/remove/", follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Kenji Sato no longer organises this mission."]
    assert _organisers(mission) == ["organiser@example.com"]


def test_removing_oneself_asks_first_then_leaves_the_mission_pages(mission, organiser, colleague):
    mission.organisers.add(colleague)
    url = f"/missions/{mission.pk}/organisers/{organiser.pk}/remove/"

    asked = web(organiser).post(url)
    assert [t.name for t in asked.templates][0] == "events/organiser_remove_confirm.html"
    assert _organisers(mission) == ["kenji@example.jp", "organiser@example.com"]

    done = web(organiser).post(url, {"confirm": "yes"})
    assert (done.status_code, done.url) == (302, "/missions/")
    assert _organisers(mission) == ["kenji@example.jp"]


def test_removing_the_last_organiser_on_the_page_says_why(mission, organiser, admin_user):
    response = web(admin_user).post(f"/missions/{mission.pk}/organisers/{organiser.pk}/remove/", follow=True)

    assert [str(m) for m in response.context["messages"]] == [LAST]
    assert _organisers(mission) == ["organiser@example.com"]


def test_organisers_page_in_japanese(mission, organiser, colleague):
    client = web(organiser)
    client.cookies["django_language"] = "ja"

    response = client.post(f"/missions/{mission.pk}/organisers/", {"email": "nobody@example.com"})

    assert response.context["form"].errors["email"] == [
        "このメールアドレスの主催者アカウントはありません。主催者権限のある Kizuna アカウントが必要です。"
        "管理者に権限の付与を依頼してから、こちらで追加してください。"
    ]


# API ---------------------------------------------------------------------------------------------


def test_api_lists_organisers(mission, organiser, colleague):
    mission.organisers.add(colleague)

    response = api(organiser).get(f"/api/v1/missions/{mission.pk}/organisers/")

    assert (response.status_code, response.json()["results"]) == (200, [
        {"id": colleague.pk, "full_name": "Kenji Sato", "email": "kenji@example.jp"},
        {"id": organiser.pk, "full_name": "Olivia Organiser", "email": "organiser@example.com"},
    ])  # fmt: skip
    assert response.json()["count"] == 2


@pytest.mark.parametrize("role", ["member_a", "other_organiser"])
def test_api_organisers_forbidden_to_non_managers(mission, organiser, colleague, roles, role):
    client = api(roles[role])

    assert client.get(f"/api/v1/missions/{mission.pk}/organisers/").status_code == 403
    assert client.post(f"/api/v1/missions/{mission.pk}/organisers/", {"email": colleague.email}).status_code == 403
    assert client.delete(f"/api/v1/missions/{mission.pk}/organisers/{organiser.pk}/").status_code == 403


def test_api_add_organiser_201_then_200(mission, organiser, colleague):
    client = api(organiser)
    url = f"/api/v1/missions/{mission.pk}/organisers/"
    expected = {"id": colleague.pk, "full_name": "Kenji Sato", "email": "kenji@example.jp"}

    first, second = client.post(url, {"email": colleague.email}), client.post(url, {"email": colleague.email})

    assert (first.status_code, first.json()) == (201, expected)
    assert (second.status_code, second.json()) == (200, expected)


@pytest.mark.parametrize(
    ("body", "errors"),
    [({}, {"email": ["This field is required."]}), ({"email": "x"}, {"email": ["Enter a valid email address."]}),
     ({"email": "nobody@example.com"}, {"email": [NO_ACCOUNT]})],
)  # fmt: skip
def test_api_add_organiser_field_errors(mission, organiser, body, errors):
    response = api(organiser).post(f"/api/v1/missions/{mission.pk}/organisers/", body)

    assert (response.status_code, response.json()) == (400, errors)


def test_api_remove_organiser(mission, organiser, colleague):
    mission.organisers.add(colleague)
    client = api(organiser)

    response = client.delete(f"/api/v1/missions/{mission.pk}/organisers/{colleague.pk}/")
    last = client.delete(f"/api/v1/missions/{mission.pk}/organisers/{organiser.pk}/")
    unknown = client.delete(f"/api/v1/missions/{mission.pk}/organisers/{colleague.pk}/")

    assert response.status_code == 204
    assert (last.status_code, last.json()) == (400, {"organiser": [LAST]})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Not an organiser of this mission."})
    assert _organisers(mission) == ["organiser@example.com"]
