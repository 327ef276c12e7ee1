"""Organisers enrol firms from the company directory: the search, the enrolment (one transaction,
idempotent, refused when closed), the notification of each new firm's members, the page and the API."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.enums import NotificationKind
from companies.enums import CompanyStatus
from events import services
from events.enums import JoinedVia, MissionPhase
from events.models import Mission, Participation
from tests.clients import api, notification_rows, web
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TITLE = "Battery supply chain mission to Tokyo"
CLOSED = "“Enrol firms” is closed in the “Closed” phase."


@pytest.fixture
def gamma(db):
    """A Japanese firm found by its Japanese name; no member account on Kizuna."""
    return CompanyFactory(name="Gamma Materials KK", name_ja="ガンマ素材株式会社", country="JP",
                          sectors=["critical_minerals"])  # fmt: skip


@pytest.fixture
def hidden(db):
    return CompanyFactory(name="Hidden Draft AG", country="DE", status=CompanyStatus.SUBMITTED)


@pytest.fixture
def directory(company_a, company_b, gamma, hidden):
    return {"alpha": company_a, "beta": company_b, "gamma": gamma, "hidden": hidden}


def _participants(mission) -> list[tuple[str, str]]:
    return list(mission.participations.order_by("company__name").values_list("company__name", "joined_via"))


# Services ----------------------------------------------------------------------------------------


def test_enrol_creates_participations_and_notifies_members(mission, organiser, directory, member_a, member_b):
    result = services.participations_enrol(
        mission=mission, user=organiser, companies=[directory["beta"], directory["alpha"], directory["gamma"]]
    )

    assert (result.enrolled, result.already, result.unreachable) == (
        [directory["alpha"], directory["beta"], directory["gamma"]], [], [directory["gamma"]]
    )  # fmt: skip
    assert _participants(mission) == [("Alpha Cathodes GmbH", JoinedVia.ORGANISER),
                                      ("Beta Refining KK", JoinedVia.ORGANISER),
                                      ("Gamma Materials KK", JoinedVia.ORGANISER)]  # fmt: skip
    link = f"/missions/{mission.pk}/me/"
    assert sorted(notification_rows()) == sorted([
        (member_a.email, NotificationKind.MISSION_ENROLLED, {"mission": TITLE, "firm": "Alpha Cathodes GmbH"}, link),
        (member_b.email, NotificationKind.MISSION_ENROLLED, {"mission": TITLE, "firm": "Beta Refining KK"}, link),
    ])  # fmt: skip


def test_enrol_leaves_firms_taking_part_as_they_are(mission, organiser, directory, part_a, member_a, member_b):
    result = services.participations_enrol(mission=mission, user=organiser, companies=[directory["alpha"],
                                                                                       directory["beta"]])  # fmt: skip

    assert (result.enrolled, result.already) == ([directory["beta"]], [directory["alpha"]])
    assert _participants(mission) == [("Alpha Cathodes GmbH", JoinedVia.INVITATION),
                                      ("Beta Refining KK", JoinedVia.ORGANISER)]  # fmt: skip
    assert [row[0] for row in notification_rows()] == [member_b.email]


def test_enrol_twice_does_nothing_the_second_time(mission, organiser, directory, member_b):
    services.participations_enrol(mission=mission, user=organiser, companies=[directory["beta"]])

    again = services.participations_enrol(mission=mission, user=organiser, companies=[directory["beta"]])

    assert (again.enrolled, again.already) == ([], [directory["beta"]])
    assert Participation.objects.filter(mission=mission).count() == 1
    assert len(notification_rows()) == 1


@pytest.mark.parametrize("role", ["member_a", "other_organiser"])
def test_enrol_refused_to_non_managers(mission, directory, roles, role):
    with pytest.raises(PermissionDenied):
        services.participations_enrol(mission=mission, user=roles[role], companies=[directory["beta"]])
    assert _participants(mission) == [("Gamma Recycling SAS", JoinedVia.INVITATION)]  # member_c's firm, from `roles`


def test_admin_enrols_any_mission(mission, admin_user, directory):
    services.participations_enrol(mission=mission, user=admin_user, companies=[directory["gamma"]])

    assert _participants(mission) == [("Gamma Materials KK", JoinedVia.ORGANISER)]


@pytest.mark.parametrize(
    ("change", "companies", "errors"),
    [
        ({"phase": MissionPhase.CLOSED}, ["beta"], {"non_field_errors": [CLOSED]}),
        ({"scheduling_locked": True}, ["beta"],
         {"non_field_errors": ["The schedule is being computed; try again when it has finished."]}),
        ({}, [], {"companies": ["Select at least one firm."]}),
        ({}, ["beta", "hidden"], {"companies": ["Only approved profiles can join a mission: Hidden Draft AG"]}),
    ],
    ids=["closed", "scheduling", "none-selected", "not-approved"],
)  # fmt: skip
def test_enrol_refusals_say_why_and_write_nothing(mission, organiser, directory, change, companies, errors):
    Mission.objects.filter(pk=mission.pk).update(**change)
    mission.refresh_from_db()

    with pytest.raises(ValidationError) as exc:
        services.participations_enrol(mission=mission, user=organiser, companies=[directory[c] for c in companies])

    assert exc.value.message_dict == errors
    assert (_participants(mission), notification_rows()) == ([], [])


def test_enrolled_email_in_each_members_language(mission, organiser, directory, member_b,
                                                 django_capture_on_commit_callbacks):  # fmt: skip
    MembershipFactory(company=directory["beta"], user__email="tanaka@beta.example", user__language="ja")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.participations_enrol(mission=mission, user=organiser, companies=[directory["beta"]])

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("tanaka@beta.example", f"{TITLE}：主催者が貴社を参加企業に追加しました"),
        (member_b.email, f"{TITLE}: the organisers added your firm"),
    ]
    link = f"{settings.SITE_URL}/missions/{mission.pk}/me/"
    bodies = {m.to[0]: m.body.split("\n\n")[1:3] for m in mail.outbox}
    assert bodies[member_b.email] == [
        f"The organisers added Beta Refining KK to the mission {TITLE}.",
        "Please complete your participation (your delegates, your availability and the number of meetings you "
        f"want) on this page:\n{link}",
    ]
    assert bodies["tanaka@beta.example"] == [
        f"{TITLE} の主催者が、Beta Refining KK を参加企業に追加しました。",
        f"次のページで、出席者、参加可能な時間、希望する面談数などの参加情報をご入力ください：\n{link}",
    ]


# Page --------------------------------------------------------------------------------------------


def _rows(response) -> list[tuple[str, bool]]:
    return [(c.name, c.enrolled) for c in response.context["page"]]


@pytest.mark.parametrize(("role", "status"), [("member_a", 403), ("other_organiser", 403), ("organiser", 200),
                                              ("admin", 200)])  # fmt: skip
def test_enrol_page_permission_matrix(mission, roles, role, status):
    assert web(roles[role]).get(f"/missions/{mission.pk}/participants/add/").status_code == status


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", ["Alpha Cathodes GmbH", "Beta Refining KK", "Gamma Materials KK"]),
        ("?q=ガンマ", ["Gamma Materials KK"]),
        ("?q=beta", ["Beta Refining KK"]),
        ("?country=JP", ["Beta Refining KK", "Gamma Materials KK"]),
        ("?sector=batteries", ["Alpha Cathodes GmbH", "Beta Refining KK"]),
        ("?country=JP&sector=batteries", ["Beta Refining KK"]),
        ("?q=hidden", []),
    ],
)
def test_enrol_page_search_results(mission, organiser, directory, query, names):
    response = web(organiser).get(f"/missions/{mission.pk}/participants/add/{query}")

    assert [name for name, _enrolled in _rows(response)] == names


def test_enrol_page_marks_enrolled_firms_without_a_checkbox(mission, organiser, directory, part_a):
    response = web(organiser).get(f"/missions/{mission.pk}/participants/add/")
    html = response.content.decode()

    assert _rows(response) == [("Alpha Cathodes GmbH", True), ("Beta Refining KK", False),
                               ("Gamma Materials KK", False)]  # fmt: skip
    assert f'value="{directory["alpha"].pk}"' not in html
    assert f'name="companies" value="{directory["beta"].pk}"' in html


def test_participants_page_links_to_enrol(mission, organiser):
    html = web(organiser).get(f"/missions/{mission.pk}/participants/").content.decode()

    assert f'href="/missions/{mission.pk}/participants/add/"' in html


def test_enrol_page_post_enrols_and_keeps_the_search(mission, organiser, directory, part_a, member_b):
    url = f"/missions/{mission.pk}/participants/add/?country=JP"
    body = {"companies": [directory["alpha"].pk, directory["beta"].pk, directory["gamma"].pk]}

    response = web(organiser).post(url, body, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [
        ("success", "Enrolled 2 firms; their members are asked to complete their participation: "
                    "Beta Refining KK, Gamma Materials KK"),
        ("info", "Already taking part, left as they were: Alpha Cathodes GmbH"),
        ("warning", "Not notified (no member account on Kizuna yet; send them the invitation link or import "
                    "their delegates): Gamma Materials KK"),
    ]  # fmt: skip
    assert _rows(response) == [("Beta Refining KK", True), ("Gamma Materials KK", True)]
    assert _participants(mission) == [("Alpha Cathodes GmbH", JoinedVia.INVITATION),
                                      ("Beta Refining KK", JoinedVia.ORGANISER),
                                      ("Gamma Materials KK", JoinedVia.ORGANISER)]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"companies": ["Select at least one firm."]}),
        ({"companies": ["999999"]}, {"companies": ["999999 is not an approved firm of the directory."]}),
        ("hidden", "hidden"),
    ],
    ids=["none", "unknown", "not-approved"],
)
def test_enrol_page_errors_are_form_errors(mission, organiser, directory, body, errors):
    if body == "hidden":
        pk = directory["hidden"].pk
        body, errors = {"companies": [pk]}, {"companies": [f"{pk} is not an approved firm of the directory."]}

    response = web(organiser).post(f"/missions/{mission.pk}/participants/add/", body)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert _participants(mission) == []


def test_enrol_page_closed_mission_says_why(mission, organiser, directory):
    Mission.objects.filter(pk=mission.pk).update(phase=MissionPhase.CLOSED)
    client = web(organiser)

    page = client.get(f"/missions/{mission.pk}/participants/add/")
    posted = client.post(f"/missions/{mission.pk}/participants/add/", {"companies": [directory["beta"].pk]})

    assert page.context["can_enrol"] is False
    assert CLOSED in page.content.decode()
    assert "Enrol and invite" not in page.content.decode()
    assert posted.context["form"].errors == {"__all__": [CLOSED]}
    assert posted.context["selected"] == {str(directory["beta"].pk)}
    assert _participants(mission) == []


def test_enrol_page_is_paginated(mission, organiser):
    for n in range(25):
        CompanyFactory(name=f"Firm {n:02d}")
    client = web(organiser)

    first = client.get(f"/missions/{mission.pk}/participants/add/")
    second = client.get(f"/missions/{mission.pk}/participants/add/?page=2")

    assert [name for name, _ in _rows(first)] == [f"Firm {n:02d}" for n in range(20)]
    assert [name for name, _ in _rows(second)] == [f"Firm {n:02d}" for n in range(20, 25)]


def _queries(client, url) -> int:
    """Queries of the page seen a second time (the first counts the unread badge, then cached)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_enrol_page_query_count_does_not_grow(mission, organiser):
    client = web(organiser)
    url = f"/missions/{mission.pk}/participants/add/"
    for _ in range(2):
        Participation.objects.create(mission=mission, company=CompanyFactory())
    CompanyFactory()
    few = _queries(client, url)
    for _ in range(5):
        Participation.objects.create(mission=mission, company=CompanyFactory())
        CompanyFactory()

    assert _queries(client, url) == few


def test_enrol_page_in_japanese(mission, organiser, directory):
    Mission.objects.filter(pk=mission.pk).update(phase=MissionPhase.CLOSED)
    client = web(organiser)
    client.cookies["django_language"] = "ja"

    response = client.post(f"/missions/{mission.pk}/participants/add/", {"companies": [directory["beta"].pk]})

    assert response.context["form"].errors == {"__all__": ["「終了」の段階では「企業を参加登録する」はできません。"]}
    assert "企業ディレクトリから企業を追加" in response.content.decode()


# API ---------------------------------------------------------------------------------------------


def test_api_candidates_list(mission, organiser, directory, part_a):
    response = api(organiser).get(f"/api/v1/missions/{mission.pk}/enrolment-candidates/?country=JP")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": directory["beta"].pk, "name": "Beta Refining KK", "name_ja": "", "country": "JP", "city": "Osaka",
         "sectors": ["critical_minerals", "batteries"], "enrolled": False},
        {"id": directory["gamma"].pk, "name": "Gamma Materials KK", "name_ja": "ガンマ素材株式会社", "country": "JP",
         "city": "Berlin", "sectors": ["critical_minerals"], "enrolled": False},
    ]  # fmt: skip
    alpha = api(organiser).get(f"/api/v1/missions/{mission.pk}/enrolment-candidates/?q=alpha").json()["results"]
    assert [(c["name"], c["enrolled"]) for c in alpha] == [("Alpha Cathodes GmbH", True)]


def test_api_candidates_query_count_does_not_grow(mission, organiser):
    client = api(organiser)
    url = f"/api/v1/missions/{mission.pk}/enrolment-candidates/"
    Participation.objects.create(mission=mission, company=CompanyFactory())
    CompanyFactory()
    few = _queries(client, url)
    for _ in range(5):
        Participation.objects.create(mission=mission, company=CompanyFactory())
        CompanyFactory()

    assert _queries(client, url) == few


@pytest.mark.parametrize("role", ["member_a", "other_organiser"])
def test_api_enrolment_forbidden_to_non_managers(mission, directory, roles, role):
    client = api(roles[role])

    assert client.get(f"/api/v1/missions/{mission.pk}/enrolment-candidates/").status_code == 403
    response = client.post(f"/api/v1/missions/{mission.pk}/enrol/", {"companies": [directory["beta"].pk]})
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only the organisers of this mission can do this."},
    )
    assert _participants(mission) == [("Gamma Recycling SAS", JoinedVia.INVITATION)]  # member_c's firm, from `roles`


def test_api_enrol(mission, organiser, directory, part_a, member_b):
    body = {"companies": [directory["alpha"].pk, directory["beta"].pk, directory["gamma"].pk]}

    response = api(organiser).post(f"/api/v1/missions/{mission.pk}/enrol/", body, format="json")

    assert (response.status_code, response.json()) == (200, {
        "enrolled": [directory["beta"].pk, directory["gamma"].pk], "already_enrolled": [directory["alpha"].pk],
        "not_notified": [directory["gamma"].pk],
    })  # fmt: skip
    assert [row[0] for row in notification_rows()] == [member_b.email]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"companies": []}, {"companies": ["This list may not be empty."]}),
        ({}, {"companies": ["This field is required."]}),
        ({"companies": [999999]}, {"companies": ['Invalid pk "999999" - object does not exist.']}),
        ({"companies": ["x"]}, {"companies": ["Incorrect type. Expected pk value, received str."]}),
    ],
)
def test_api_enrol_field_errors(mission, organiser, directory, body, errors):
    response = api(organiser).post(f"/api/v1/missions/{mission.pk}/enrol/", body, format="json")

    assert (response.status_code, response.json()) == (400, errors)


def test_api_enrol_closed_mission(mission, organiser, directory):
    Mission.objects.filter(pk=mission.pk).update(phase=MissionPhase.CLOSED)

    response = api(organiser).post(f"/api/v1/missions/{mission.pk}/enrol/", {"companies": [directory["beta"].pk]},
                                   format="json")  # fmt: skip

    assert (response.status_code, response.json()) == (400, {"non_field_errors": [CLOSED]})
