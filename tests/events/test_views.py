import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from events import services
from events.enums import RequestStatus
from events.models import Meeting, MeetingRequest, Mission, Participation
from tests.events.factories import MISSION_DATA, MeetingFactory


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


ORGANISER_PAGES = ["edit", "slots", "participants", "requests", "meeting_create", "schedule"]


@pytest.mark.parametrize("page", ORGANISER_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("member_a", 403), ("other_organiser", 403), ("organiser", 200), ("admin", 200)],
)
def test_organiser_pages_permission_matrix(mission, part_a, roles, page, role, status):
    response = client_for(roles[role]).get(f"/missions/{mission.pk}/{_path(page)}")

    assert response.status_code == status
    if status == 302:
        assert response.url.startswith("/accounts/login/")


def _path(page: str) -> str:
    return {"edit": "edit/", "slots": "slots/", "participants": "participants/", "requests": "requests/",
            "meeting_create": "meetings/new/", "schedule": "schedule/"}[page]  # fmt: skip


@pytest.mark.parametrize("page", ["me/", "me/requests/", "me/requests/new/"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("member_a", 200), ("member_b", 200), ("member_c", 200), ("organiser", 404)],
)
def test_firm_pages_permission_matrix(mission, part_a, part_b, member_c, roles, page, role, status):
    assert client_for(roles[role]).get(f"/missions/{mission.pk}/{page}").status_code == status


def test_firm_page_of_mission_not_joined_is_404(mission, company_a, member_a):
    assert client_for(member_a).get(f"/missions/{mission.pk}/me/").status_code == 404


def test_mission_create_page_creates_mission(organiser):
    response = client_for(organiser).post("/missions/new/", {
        "title": "Lyon mission", "city": "Lyon", "time_zone": "Europe/Paris", "days": "2025-12-01\n2025-12-02",
        "sessions": "09:00-10:00\n14:00–15:00", "meeting_minutes": 30, "break_minutes": 0, "tables": "",
        "table_count": 2, "status": "draft",
    })  # fmt: skip

    mission = Mission.objects.get(title="Lyon mission")
    assert response.status_code == 302
    assert (mission.slots.count(), list(mission.tables.values_list("name", flat=True))) == (8, ["Table 1", "Table 2"])


def test_mission_create_page_shows_field_errors(organiser):
    response = client_for(organiser).post("/missions/new/", {
        "title": "Bad", "city": "Lyon", "time_zone": "Europe/Lyon", "days": "2025-12-01",
        "sessions": "10:00-11:00\n10:30-12:00", "meeting_minutes": 30, "break_minutes": 0, "status": "draft",
    })  # fmt: skip

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "time_zone": ["“Europe/Lyon” is not an IANA time zone."],
        "sessions": ["Sessions 10:00–11:00 and 10:30–12:00 overlap."],
    }


def test_mission_create_page_by_member_is_forbidden(member_a):
    assert client_for(member_a).get("/missions/new/").status_code == 403


def test_mission_edit_page_shows_current_values(mission, organiser):
    form = client_for(organiser).get(f"/missions/{mission.pk}/edit/").context["form"]

    assert (form.initial["days"], form.initial["sessions"], form.initial["tables"]) == (
        "2025-10-06\n2025-10-07", "09:00-10:30\n14:00-15:00", "T1\nT2",
    )  # fmt: skip


def test_slot_toggle_removes_slot(mission, organiser, slots):
    client_for(organiser).post(f"/missions/{mission.pk}/slots/{slots[0].pk}/toggle/")

    slots[0].refresh_from_db()
    assert slots[0].removed is True


def test_join_page_joins_company(mission, member_a, company_a):
    response = client_for(member_a).post(f"/missions/join/{mission.invitation_token}/")

    assert response.status_code == 302
    assert Participation.objects.filter(mission=mission, company=company_a).count() == 1


def test_join_page_unknown_token_is_404(mission, member_a):
    assert client_for(member_a).get("/missions/join/not-a-token/").status_code == 404


def test_participants_page_import_errors_list_rows(mission, organiser):
    upload = SimpleUploadedFile("d.csv", b"company_name,delegate_name,delegate_email\nNobody,Eva,bad\n")

    response = client_for(organiser).post(f"/missions/{mission.pk}/participants/", {"file": upload})

    assert [(e.row, e.field) for e in response.context["result"].errors] == [(2, "company_name")]
    assert "No company matches “Nobody”." in response.content.decode()


def test_my_participation_saves_availability(mission, part_a, member_a, slots):
    response = client_for(member_a).post(
        f"/missions/{mission.pk}/me/", {"section": "availability", "slots": [slots[0].pk, slots[1].pk]}
    )

    assert response.status_code == 302
    assert part_a.unavailabilities.count() == 8


def test_my_participation_saves_delegates(mission, part_a, member_a):
    client_for(member_a).post(f"/missions/{mission.pk}/me/", {
        "section": "delegates", "d-TOTAL_FORMS": "2", "d-INITIAL_FORMS": "0",
        "d-0-name": "Anna Example", "d-0-email": "anna@alpha.example", "d-0-role": "CEO", "d-1-name": "",
    })  # fmt: skip

    assert list(part_a.delegates.values_list("name", "email")) == [("Anna Example", "anna@alpha.example")]


def test_request_create_page_sends_request(mission, part_a, part_b, member_a):
    response = client_for(member_a).post(
        f"/missions/{mission.pk}/me/requests/new/", {"recipient": part_b.pk, "message": "Hi", "priority": "high"}
    )

    assert response.status_code == 302
    assert list(MeetingRequest.objects.values_list("requester", "recipient", "priority")) == [
        (part_a.pk, part_b.pk, "high")
    ]


def test_request_create_page_lists_other_participants(mission, part_a, part_b, part_c, member_a):
    response = client_for(member_a).get(f"/missions/{mission.pk}/me/requests/new/")

    assert [p.company.name for p in response.context["others"]] == ["Beta Refining KK", "Gamma Recycling SAS"]


def test_my_requests_accept_creates_meeting(mission, part_a, part_b, member_a, member_b):
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)

    client_for(member_b).post(f"/missions/{mission.pk}/me/requests/{request.pk}/accept/", {"priority": "low"})

    request.refresh_from_db()
    assert (request.status, Meeting.objects.get().weight) == (RequestStatus.ACCEPTED, 3)


def test_my_requests_accept_by_other_firm_is_refused(mission, part_a, part_b, part_c, member_a, member_c):
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)

    response = client_for(member_c).post(f"/missions/{mission.pk}/me/requests/{request.pk}/accept/")

    assert response.status_code == 404


def test_schedule_move_refusal_shows_reason(mission, organiser, part_a, part_b, part_c, slots, tables):
    first = MeetingFactory(mission=mission, a=part_a, b=part_b)
    second = MeetingFactory(mission=mission, a=part_a, b=part_c)
    services.meeting_move(meeting=first, slot=slots[0], table=tables[0], user=organiser)

    response = client_for(organiser).post(
        f"/missions/{mission.pk}/schedule/move/", {"meeting": second.pk, "slot": slots[0].pk, "table": tables[1].pk},
        follow=True,
    )  # fmt: skip

    assert _messages(response) == ["Alpha Cathodes GmbH already has 1 meeting(s) at this time and only 1 delegate(s)."]


def test_schedule_grid_shows_meeting_in_table_column(mission, organiser, part_a, part_b, slots, tables):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)
    services.meeting_move(meeting=meeting, slot=slots[2], table=tables[1], user=organiser)

    grid = client_for(organiser).get(f"/missions/{mission.pk}/schedule/").context["grid"]

    assert [(row.slot, row.cells) for row in grid.rows if any(row.cells)] == [(slots[2], [None, meeting])]


def test_schedule_publish_page_creates_version(mission, organiser):
    response = client_for(organiser).post(f"/missions/{mission.pk}/schedule/publish/", follow=True)

    assert _messages(response) == ["Version 1 published; the firms are being e-mailed."]


def test_mission_list_shows_managed_and_open(mission, organiser, member_a):
    services.mission_create(user=organiser, data={**MISSION_DATA, "title": "Draft one"})

    organiser_titles = [m.title for m in client_for(organiser).get("/missions/").context["managed"]]
    member_titles = [m.title for m in client_for(member_a).get("/missions/").context["visible"]]

    assert (organiser_titles, member_titles) == (["Draft one", MISSION_DATA["title"]], [MISSION_DATA["title"]])
