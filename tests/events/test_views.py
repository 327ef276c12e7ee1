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
    response = client_for(organiser).post(
        "/missions/new/",
        {
            "title": "Lyon mission",
            "city": "Lyon",
            "time_zone": "Europe/Paris",
            "day_1": "2035-12-03",
            "day_2": "04/12/2035",
            "session_1_start": "09:00-10:00",
            "session_2_start": "14:00",
            "session_2_end": "15:00",
            "meeting_minutes": 30,
            "break_minutes": 0,
            "tables": "",
            "table_count": 2,
            "status": "draft",
        },
    )  # fmt: skip  (a Monday and a Tuesday, day first, and a session typed as a range: no warning)

    mission = Mission.objects.get(title="Lyon mission")
    assert response.status_code == 302
    assert (mission.slots.count(), list(mission.tables.values_list("name", flat=True))) == (8, ["Table 1", "Table 2"])


def test_mission_create_page_shows_field_errors(organiser):
    response = client_for(organiser).post("/missions/new/", {
        "title": "Bad", "city": "Lyon", "time_zone": "Europe/Lyon", "day_1": "2035-12-03",
        "session_1_start": "10:00", "session_1_end": "11:00", "session_2_start": "10:30-12:00",
        "meeting_minutes": 30, "break_minutes": 0, "status": "draft",
    })  # fmt: skip
    overlap = client_for(organiser).post("/missions/new/", {
        "title": "Bad", "city": "Lyon", "time_zone": "Europe/Paris", "day_1": "2035-12-03",
        "session_1_start": "10:00", "session_1_end": "11:00", "session_2_start": "10:30-12:00",
        "meeting_minutes": 30, "break_minutes": 0, "status": "draft",
    })  # fmt: skip

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "time_zone": ["“Europe/Lyon” is not a time zone: pick one from the list, or type a city (Tokyo) or JST."],
    }
    assert overlap.context["form"].errors == {"session_1_start": ["Sessions 10:00–11:00 and 10:30–12:00 overlap."]}


def test_mission_create_page_by_member_is_forbidden(member_a):
    assert client_for(member_a).get("/missions/new/").status_code == 403


def test_mission_edit_page_shows_current_values(mission, organiser):
    form = client_for(organiser).get(f"/missions/{mission.pk}/edit/").context["form"]

    assert [form[f"day_{i}"].value() for i in range(1, form.day_rows + 1)] == [
        "2025-10-06",
        "2025-10-07",
        None,
        None,
        None,
    ]
    assert [(start.value(), end.value()) for start, end in form.session_fields] == [
        ("09:00", "10:30"),
        ("14:00", "15:00"),
        (None, None),
    ]
    assert form.initial["tables"] == "T1\nT2"


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

    response = client_for(organiser).post(f"/missions/{mission.pk}/participants/import/", {"file": upload})

    assert [(e.row, e.field) for e in response.context["errors"]] == [(2, "company_name")]
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

    filled = {cell.key: [m.id for m in cell.meetings] for cell in grid.cells.values() if cell.meetings}
    assert filled == {f"{slots[2].pk}:{tables[1].pk}": [meeting.pk]}


def _publish_page(user, mission):
    return client_for(user).get(f"/missions/{mission.pk}/schedule/publish/")


def _publish(user, mission, fingerprint):
    return client_for(user).post(f"/missions/{mission.pk}/schedule/publish/", {"fingerprint": fingerprint}, follow=True)


def test_schedule_publish_page_first_publication_counts_and_publishes(mission, organiser, part_a, part_b, slots):
    placed = MeetingFactory(mission=mission, a=part_a, b=part_b)
    services.meeting_move(meeting=placed, slot=slots[0], table=mission.tables.first(), user=organiser)

    page = _publish_page(organiser, mission)
    response = _publish(organiser, mission, page.context["form"].initial["fingerprint"])

    pending = page.context["pending"]
    assert (pending.is_first, pending.placed_count, pending.unplaced_count, pending.firm_count) == (True, 1, 0, 2)
    assert "every participating firm is told" in page.content.decode()
    assert _messages(response) == ["Version 1 published; every participating firm is being e-mailed."]
    assert list(mission.versions.values_list("number", flat=True)) == [1]


@pytest.fixture
def published(mission, organiser, part_a, part_b, part_c, slots, tables):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    return meeting


def test_schedule_publish_page_lists_moves_and_firms_told(mission, organiser, published, slots, tables):
    services.meeting_move(meeting=published, slot=slots[1], table=tables[1], user=organiser)

    page = _publish_page(organiser, mission)

    moved = page.context["moved"]
    assert [(r.meeting_id, r.firms, r.before, r.after) for r in moved] == [(
        published.pk, "Alpha Cathodes GmbH – Beta Refining KK", "2025-10-06 09:00 (Asia/Tokyo) at T1",
        "2025-10-06 09:30 (Asia/Tokyo) at T2",
    )]  # fmt: skip
    assert (page.context["firms"], page.context["added"], page.context["removed"]) == (
        ["Alpha Cathodes GmbH", "Beta Refining KK"], [], [],
    )  # fmt: skip
    assert "Publish version 2" in page.content.decode()


def test_schedule_publish_page_without_changes_offers_no_button(mission, organiser, published):
    page = _publish_page(organiser, mission)

    html = page.content.decode()
    assert ("Nothing changed since version 1" in html, "Publish version" in html) == (True, False)


def test_schedule_publish_double_click_publishes_once(mission, organiser, published, slots, tables):
    services.meeting_move(meeting=published, slot=slots[1], table=tables[1], user=organiser)
    fingerprint = _publish_page(organiser, mission).context["form"].initial["fingerprint"]

    first = _publish(organiser, mission, fingerprint)
    second = _publish(organiser, mission, fingerprint)

    assert _messages(first) == ["Version 2 published; the 2 firms affected are being e-mailed."]
    assert _messages(second) == ["Nothing new to publish: version 2 is the current schedule."]
    assert list(mission.versions.values_list("number", flat=True)) == [2, 1]


def test_schedule_publish_stale_page_is_refused_and_shown_again(mission, organiser, published, slots, tables):
    services.meeting_move(meeting=published, slot=slots[1], table=tables[1], user=organiser)
    fingerprint = _publish_page(organiser, mission).context["form"].initial["fingerprint"]
    services.meeting_move(meeting=published, slot=slots[2], table=tables[1], user=organiser)

    response = _publish(organiser, mission, fingerprint)

    assert _messages(response) == ["The schedule changed since you reviewed it; review the changes again."]
    assert (response.redirect_chain[-1][0], list(mission.versions.values_list("number", flat=True))) == (
        f"/missions/{mission.pk}/schedule/publish/", [1],
    )  # fmt: skip


def test_schedule_publish_without_fingerprint_is_refused(mission, organiser):
    response = client_for(organiser).post(f"/missions/{mission.pk}/schedule/publish/", follow=True)

    assert (_messages(response), mission.versions.count()) == (["Review the changes before publishing."], 0)


@pytest.mark.parametrize("method", ["get", "post"])
def test_schedule_publish_page_is_for_organisers_only(mission, member_a, method):
    response = getattr(client_for(member_a), method)(f"/missions/{mission.pk}/schedule/publish/")

    assert (response.status_code, mission.versions.count()) == (403, 0)


def test_my_requests_lists_meetings_where_the_firm_sees_them(mission, organiser, published, member_a, slots, tables):
    services.meeting_move(meeting=published, slot=slots[1], table=tables[1], user=organiser)

    response = client_for(member_a).get(f"/missions/{mission.pk}/me/requests/")

    rows = [(m.meeting, m.other.company.name, m.place.start, m.place.table) for m in response.context["meetings"]]
    assert rows == [(published, "Beta Refining KK", slots[0].start, "T1")]
    assert "Mon 6 Oct 09:00 · T1 — Beta Refining KK" in response.content.decode()


def test_schedule_grid_and_mission_page_show_the_draft(mission, organiser, published, slots, tables):
    services.meeting_move(meeting=published, slot=slots[1], table=tables[1], user=organiser)
    text = "Draft changes not yet published: 1 meeting moved; 2 firms affected."

    grid = client_for(organiser).get(f"/missions/{mission.pk}/schedule/").content.decode()
    detail = client_for(organiser).get(f"/missions/{mission.pk}/").content.decode()

    assert (text in grid, text in detail, f'href="/missions/{mission.pk}/schedule/publish/"' in detail) == (
        True, True, True,
    )  # fmt: skip


def test_mission_list_shows_managed_and_open(mission, organiser, member_a):
    services.mission_create(user=organiser, data={**MISSION_DATA, "title": "Draft one"})

    organiser_titles = [m.title for m in client_for(organiser).get("/missions/").context["managed"]]
    member_titles = [m.title for m in client_for(member_a).get("/missions/").context["visible"]]

    assert (organiser_titles, member_titles) == (["Draft one", MISSION_DATA["title"]], [MISSION_DATA["title"]])
