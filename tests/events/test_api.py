import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from events import services
from events.enums import MissionPhase
from events.models import Meeting, Mission, Participation
from tests.events.factories import MeetingFactory, MissionFactory, ParticipationFactory, mission_created
from tests.factories import CompanyFactory

MISSION_BODY = {
    "title": "Osaka mission",
    "city": "Osaka",
    "time_zone": "Asia/Tokyo",
    "days": ["2025-11-10"],
    "sessions": [{"start": "09:00", "end": "10:00"}, {"start": "14:00", "end": "15:00"}],
    "meeting_minutes": 30,
    "table_count": 3,
}


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# Missions ----------------------------------------------------------------------------------------


def test_mission_list_anonymous_is_forbidden(mission):
    response = client_for(None).get("/api/v1/missions/")

    assert (response.status_code, response.json()) == (401, {"detail": "Authentication credentials were not provided."})


def test_mission_list_member_sees_open_not_draft(mission, member_a):
    MissionFactory(title="Secret draft", phase=MissionPhase.DRAFT)

    response = client_for(member_a).get("/api/v1/missions/")

    assert response.status_code == 200
    assert [m["title"] for m in response.json()["results"]] == ["Battery supply chain mission to Tokyo"]


def test_mission_retrieve_member_does_not_see_token(mission, member_a):
    response = client_for(member_a).get(f"/api/v1/missions/{mission.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert "invitation_token" not in body
    assert (body["days"], body["sessions"]) == (
        ["2025-10-06", "2025-10-07"], [{"start": "09:00", "end": "10:30"}, {"start": "14:00", "end": "15:00"}],
    )  # fmt: skip


@pytest.mark.parametrize(("role", "sees_token"), [("organiser", True), ("admin", True), ("other_organiser", False)])
def test_mission_retrieve_token_only_for_managers(mission, roles, role, sees_token):
    body = client_for(roles[role]).get(f"/api/v1/missions/{mission.pk}/").json()

    assert ("invitation_token" in body, body.get("invitation_token")) == (
        sees_token, mission.invitation_token if sees_token else None,
    )  # fmt: skip


def test_mission_create_by_organiser_returns_mission(organiser):
    response = client_for(organiser).post("/api/v1/missions/", MISSION_BODY, format="json")

    assert response.status_code == 201
    mission = Mission.objects.get(pk=response.json()["id"])
    assert (mission.slots.count(), list(mission.tables.values_list("name", flat=True))) == (
        4,
        ["Table 1", "Table 2", "Table 3"],
    )
    assert list(mission.organisers.all()) == [organiser]


@pytest.mark.parametrize("role", ["member_a", "anonymous"])
def test_mission_create_by_non_organiser_is_forbidden(roles, role):
    response = client_for(roles[role]).post("/api/v1/missions/", MISSION_BODY, format="json")

    assert response.status_code == (401 if role == "anonymous" else 403)
    assert Mission.objects.filter(title="Osaka mission").count() == 0


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"time_zone": "Asia/Osaka"}, {"time_zone": ["“Asia/Osaka” is not an IANA time zone."]}),
        ({"sessions": [{"start": "09:00", "end": "11:00"}, {"start": "10:00", "end": "12:00"}]},
         {"sessions": ["Sessions 09:00–11:00 and 10:00–12:00 overlap."]}),
        ({"sessions": [{"start": "11:00", "end": "10:00"}]},
         {"sessions": ["Session 11:00–10:00 ends before it starts."]}),
        ({"meeting_minutes": 0}, {"meeting_minutes": ["Ensure this value is greater than or equal to 1."]}),
        ({"days": ["tomorrow"]},
         {"days": {"0": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}}),
        ({"sessions": [{"start": "nine"}]}, {"sessions": {"0": {
            "start": ["Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."],
            "end": ["This field is required."],
        }}}),
    ],
)  # fmt: skip
def test_mission_create_invalid_input_is_400_with_field(organiser, changes, expected):
    response = client_for(organiser).post("/api/v1/missions/", {**MISSION_BODY, **changes}, format="json")

    assert (response.status_code, response.json()) == (400, expected)


@pytest.mark.parametrize(
    ("role", "status"), [("organiser", 200), ("admin", 200), ("other_organiser", 403), ("member_a", 403)]
)
def test_mission_update_permissions(mission, roles, role, status):
    response = client_for(roles[role]).patch(f"/api/v1/missions/{mission.pk}/", {"title": "Renamed"}, format="json")

    mission.refresh_from_db()
    assert (response.status_code, mission.title) == (status, "Renamed" if status == 200 else mission.title)


def test_mission_join_with_token_creates_participation(mission, member_a, company_a):
    response = client_for(member_a).post(f"/api/v1/missions/{mission.pk}/join/", {"token": mission.invitation_token})

    assert response.status_code == 201
    assert response.json()["company"]["name"] == "Alpha Cathodes GmbH"
    assert Participation.objects.filter(mission=mission, company=company_a).count() == 1


def test_mission_join_wrong_token_is_forbidden(mission, member_a):
    response = client_for(member_a).post(f"/api/v1/missions/{mission.pk}/join/", {"token": "nope"})

    assert (response.status_code, response.json()) == (403, {"detail": "This invitation link is not valid."})


def test_mission_delegation_import_errors_are_400_with_rows(mission, organiser):
    upload = SimpleUploadedFile("d.csv", b"company_name,delegate_name\nNobody Ltd,Eva\n", content_type="text/csv")

    url = f"/api/v1/missions/{mission.pk}/delegation-import/"
    response = client_for(organiser).post(url, {"file": upload}, format="multipart")

    body = response.json()
    assert (response.status_code, body["created"], body["updated"], body["unchanged"], body["errors"]) == (
        400, [], [], [], [{"row": 2, "field": "company_name", "reason": "No company matches “Nobody Ltd”."}],
    )  # fmt: skip


def test_mission_delegation_import_by_member_is_forbidden(mission, member_a):
    upload = SimpleUploadedFile("d.csv", b"company_name,delegate_name\nX,Eva\n", content_type="text/csv")

    url = f"/api/v1/missions/{mission.pk}/delegation-import/"
    response = client_for(member_a).post(url, {"file": upload}, format="multipart")

    assert response.status_code == 403


# Slots, tables, participations -------------------------------------------------------------------


def test_slot_remove_by_organiser(mission, organiser, slots):
    response = client_for(organiser).patch(f"/api/v1/mission-slots/{slots[0].pk}/", {"removed": True}, format="json")

    assert (response.status_code, response.json()["removed"]) == (200, True)


@pytest.mark.parametrize(("role", "status"), [("member_a", 403), ("other_organiser", 403)])
def test_slot_remove_by_others_is_forbidden(mission, roles, slots, role, status):
    response = client_for(roles[role]).patch(f"/api/v1/mission-slots/{slots[0].pk}/", {"removed": True}, format="json")

    assert response.status_code == status


def test_table_create_duplicate_name_is_400(mission, organiser):
    response = client_for(organiser).post(
        "/api/v1/mission-tables/", {"mission": mission.pk, "name": "T1"}, format="json"
    )

    assert (response.status_code, response.json()) == (400, {"name": ["Another table has this name."]})


def test_participation_list_member_sees_public_profiles_only(mission, part_a, part_b, member_a):
    response = client_for(member_a).get(f"/api/v1/participations/?mission={mission.pk}")

    assert response.status_code == 200
    assert [sorted(p.keys()) for p in response.json()["results"]] == [["company", "id", "mission"]] * 2


def test_participation_list_outsider_sees_nothing(mission, part_a, part_b):
    outsider = CompanyFactory(name="Outsider Oy", country="FI")
    from tests.factories import MembershipFactory

    response = client_for(MembershipFactory(company=outsider).user).get("/api/v1/participations/")

    assert (response.status_code, response.json()["results"]) == (200, [])


def test_participation_availability_put_and_get(part_a, member_a, slots):
    url = f"/api/v1/participations/{part_a.pk}/availability/"
    ids = [s.pk for s in slots[:3]]

    put = client_for(member_a).put(url, {"available_slots": ids}, format="json")
    got = client_for(member_a).get(url)

    assert (put.status_code, put.json(), got.json()) == (200, {"available_slots": ids}, {"available_slots": ids})


def test_participation_availability_of_other_firm_is_404(part_a, part_b, member_b):
    response = client_for(member_b).get(f"/api/v1/participations/{part_a.pk}/availability/")

    assert response.status_code == 404


def test_participation_delegates_invalid_email_is_400(part_a, member_a):
    response = client_for(member_a).put(
        f"/api/v1/participations/{part_a.pk}/delegates/", {"delegates": [{"name": "Anna", "email": "x"}]}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"delegates": {"0": {"email": ["Enter a valid email address."]}}},
    )


def test_participation_limits_show_what_is_left(mission, organiser, part_a, part_b, member_a):
    services.mission_update(
        mission=mission, user=organiser, data={"max_requests_per_firm": 5, "max_meetings_per_firm": 4}
    )
    services.meeting_request_create(
        mission=Mission.objects.get(pk=mission.pk), requester=part_a, recipient=part_b, user=member_a
    )

    response = client_for(member_a).get(f"/api/v1/participations/{part_a.pk}/limits/")

    assert response.json() == {
        "requests_sent": 1, "requests_limit": 5, "requests_left": 4,
        "meetings": 0, "meetings_limit": 4, "meetings_left": 4,
    }  # fmt: skip


# Requests ----------------------------------------------------------------------------------------


def test_meeting_request_lifecycle_via_api(mission, part_a, part_b, member_a, member_b):
    created = client_for(member_a).post(
        "/api/v1/meeting-requests/",
        {"mission": mission.pk, "recipient": part_b.pk, "message": "Hello", "priority": "high"},
        format="json",
    )
    accepted = client_for(member_b).post(
        f"/api/v1/meeting-requests/{created.json()['id']}/accept/", {"priority": "low"}
    )

    assert (created.status_code, created.json()["status"]) == (201, "pending")
    assert accepted.status_code == 200
    assert (accepted.json()["weight"], accepted.json()["slot"], accepted.json()["status"]) == (4, None, "confirmed")


def test_meeting_request_create_not_participating_is_400(mission, part_b, member_c):
    other = Mission.objects.create(title="x", city="x", time_zone="UTC", invitation_token="t2", phase="requests")
    recipient = ParticipationFactory(mission=other)

    response = client_for(member_c).post(
        "/api/v1/meeting-requests/", {"mission": other.pk, "recipient": recipient.pk}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"mission": ["Your firm does not take part in this mission."]},
    )


def test_meeting_request_unknown_recipient_is_400(mission, part_a, member_a):
    response = client_for(member_a).post(
        "/api/v1/meeting-requests/", {"mission": mission.pk, "recipient": 999999}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"recipient": ['Invalid pk "999999" - object does not exist.']},
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("member_a", 403), ("member_b", 200), ("member_c", 404), ("other_organiser", 404),
     ("organiser", 403), ("admin", 403)],
)  # fmt: skip
def test_meeting_request_accept_permissions(mission, part_a, part_b, roles, member_a, role, status):
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)

    response = client_for(roles[role]).post(f"/api/v1/meeting-requests/{request.pk}/accept/")

    assert response.status_code == status


def test_meeting_request_list_firm_sees_only_own(mission, part_a, part_b, part_c, member_a, member_b, member_c):
    services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)
    services.meeting_request_create(mission=mission, requester=part_b, recipient=part_c, user=member_b)

    response = client_for(member_a).get("/api/v1/meeting-requests/")

    assert [
        (r["requester"]["company"]["name"], r["recipient"]["company"]["name"]) for r in response.json()["results"]
    ] == [("Alpha Cathodes GmbH", "Beta Refining KK")]


# Meetings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("member_a", 403),
        ("member_c", 404),
        ("other_organiser", 404),
        ("organiser", 200),
        ("admin", 200),
    ],
)
def test_meeting_move_permissions(mission, part_a, part_b, roles, slots, tables, role, status):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)

    response = client_for(roles[role]).post(
        f"/api/v1/meetings/{meeting.pk}/move/", {"slot": slots[0].pk, "table": tables[0].pk}, format="json"
    )

    meeting.refresh_from_db()
    assert (response.status_code, meeting.slot_id) == (status, slots[0].pk if status == 200 else None)


def test_meeting_move_refusal_is_400_with_reason(mission, organiser, part_a, part_b, part_c, slots, tables):
    first = MeetingFactory(mission=mission, a=part_a, b=part_b)
    second = MeetingFactory(mission=mission, a=part_a, b=part_c)
    services.meeting_move(meeting=first, slot=slots[0], table=tables[0], user=organiser)

    response = client_for(organiser).post(
        f"/api/v1/meetings/{second.pk}/move/", {"slot": slots[0].pk, "table": tables[1].pk}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400, {"slot": ["Alpha Cathodes GmbH already has 1 meeting(s) at this time and only 1 delegate(s)."]},
    )  # fmt: skip


def test_meeting_move_garbage_slot_is_400(mission, organiser, part_a, part_b):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)

    response = client_for(organiser).post(f"/api/v1/meetings/{meeting.pk}/move/", {"slot": "abc"}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"slot": ["Incorrect type. Expected pk value, received str."]},
    )


def test_meeting_swap_cancel_pin_via_api(mission, organiser, part_a, part_b, part_c, slots, tables):
    first = MeetingFactory(mission=mission, a=part_a, b=part_b)
    second = MeetingFactory(mission=mission, a=part_a, b=part_c)
    services.meeting_move(meeting=first, slot=slots[0], table=tables[0], user=organiser)
    services.meeting_move(meeting=second, slot=slots[1], table=tables[1], user=organiser)
    client = client_for(organiser)

    swapped = client.post(f"/api/v1/meetings/{first.pk}/swap/", {"other": second.pk}, format="json")
    pinned = client.post(f"/api/v1/meetings/{first.pk}/pin/", {"pinned": True}, format="json")
    cancelled = client.post(f"/api/v1/meetings/{second.pk}/cancel/", {"reason": "Firm C left."}, format="json")

    assert [(m["id"], m["slot"]) for m in swapped.json()] == [(first.pk, slots[1].pk), (second.pk, slots[0].pk)]
    assert (pinned.status_code, pinned.json()["pinned"]) == (200, True)
    assert (cancelled.json()["status"], cancelled.json()["slot"]) == ("cancelled", None)


def test_meeting_create_must_meet_by_organiser(mission, organiser, part_a, part_b):
    response = client_for(organiser).post(
        "/api/v1/meetings/", {"mission": mission.pk, "a": part_a.pk, "b": part_b.pk, "required": True}, format="json"
    )

    assert (response.status_code, response.json()["required"], response.json()["weight"]) == (201, True, 10)


def test_meeting_create_by_member_is_forbidden(mission, member_a, part_a, part_b):
    response = client_for(member_a).post(
        "/api/v1/meetings/", {"mission": mission.pk, "a": part_a.pk, "b": part_b.pk}, format="json"
    )

    assert (response.status_code, Meeting.objects.count()) == (403, 0)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("member_a", ["A-B", "A-C"]), ("member_b", ["A-B", "B-C"]), ("organiser", ["A-B", "A-C", "B-C"]),
     ("other_organiser", []), ("admin", ["A-B", "A-C", "B-C"])],
)  # fmt: skip
def test_meeting_list_by_role(mission, part_a, part_b, part_c, roles, role, expected):
    names = {part_a.pk: "A", part_b.pk: "B", part_c.pk: "C"}
    for a, b in ((part_a, part_b), (part_a, part_c), (part_b, part_c)):
        MeetingFactory(mission=mission, a=a, b=b)

    response = client_for(roles[role]).get("/api/v1/meetings/")

    assert [f"{names[m['a']['id']]}-{names[m['b']['id']]}" for m in response.json()["results"]] == expected


# Query counts ------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/api/v1/meetings/", "/api/v1/meeting-requests/", "/api/v1/participations/", "/api/v1/missions/",
            "/api/v1/mission-slots/", "/api/v1/mission-tables/"],
)  # fmt: skip
def test_list_endpoint_query_count_does_not_grow(mission, organiser, url):
    client = client_for(organiser)
    parts = [ParticipationFactory(mission=mission) for _ in range(2)]
    services.meeting_request_create(mission=mission, requester=parts[0], recipient=parts[1])
    MeetingFactory(mission=mission, a=parts[0], b=parts[1])
    _queries(client, url)  # warm-up: the user's (missing) company membership is cached after one request
    few = _queries(client, url)
    more = [ParticipationFactory(mission=mission) for _ in range(6)]
    for a, b in zip(more[::2], more[1::2], strict=True):
        services.meeting_request_create(mission=mission, requester=a, recipient=b)
        MeetingFactory(mission=mission, a=a, b=b)
    second = {**MISSION_BODY, "days": [dt.date(2025, 11, 10)], "sessions": [(dt.time(9), dt.time(10))], "title": "2"}
    mission_created(organiser, second)

    assert _queries(client, url) == few


# Publishing --------------------------------------------------------------------------------------


@pytest.fixture
def published_meeting(mission, organiser, part_a, part_b, slots, tables):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_move(meeting=meeting, slot=slots[1], table=tables[1], user=organiser)
    return meeting


def test_publish_get_returns_the_pending_diff(mission, organiser, published_meeting, part_a, part_b, slots):
    response = client_for(organiser).get(f"/api/v1/missions/{mission.pk}/publish/")

    body = response.json()
    assert (response.status_code, body["base_version"], body["next_version"], body["can_publish"]) == (200, 1, 2, True)
    assert body["diff"] == {
        "moved": [{
            "meeting": published_meeting.pk, "a": part_a.pk, "b": part_b.pk, "a_name": "Alpha Cathodes GmbH",
            "b_name": "Beta Refining KK", "told": False,
            "before": {"slot": slots[0].pk, "start": "2025-10-06T00:00:00+00:00", "end": "2025-10-06T00:25:00+00:00",
                       "local_start": "2025-10-06 09:00", "table": "T1"},
            "after": {"slot": slots[1].pk, "start": "2025-10-06T00:30:00+00:00", "end": "2025-10-06T00:55:00+00:00",
                      "local_start": "2025-10-06 09:30", "table": "T2"},
        }],
        "added": [], "removed": [], "firms": [part_a.pk, part_b.pk],
    }  # fmt: skip
    assert len(body["fingerprint"]) == 32


def test_publish_post_with_fingerprint_then_again_is_idempotent(mission, organiser, published_meeting):
    client = client_for(organiser)
    fingerprint = client.get(f"/api/v1/missions/{mission.pk}/publish/").json()["fingerprint"]

    first = client.post(f"/api/v1/missions/{mission.pk}/publish/", {"fingerprint": fingerprint}, format="json")
    second = client.post(f"/api/v1/missions/{mission.pk}/publish/", {"fingerprint": fingerprint}, format="json")

    assert (first.status_code, first.json()["version"], first.json()["created"]) == (201, 2, True)
    assert [c["meeting"] for c in first.json()["diff"]["moved"]] == [published_meeting.pk]
    assert (second.status_code, second.json()["version"], second.json()["created"]) == (200, 2, False)
    assert second.json()["diff"] == {"moved": [], "added": [], "removed": [], "firms": []}


def test_publish_post_with_stale_fingerprint_is_400(mission, organiser, published_meeting, slots, tables):
    client = client_for(organiser)
    fingerprint = client.get(f"/api/v1/missions/{mission.pk}/publish/").json()["fingerprint"]
    services.meeting_move(meeting=published_meeting, slot=slots[2], table=tables[1], user=organiser)

    response = client.post(f"/api/v1/missions/{mission.pk}/publish/", {"fingerprint": fingerprint}, format="json")

    assert (response.status_code, mission.versions.count()) == (400, 1)
    assert response.json()["fingerprint"] == ["The schedule changed since you reviewed it; review the changes again."]


@pytest.mark.parametrize("method", ["get", "post"])
def test_publish_by_a_member_is_forbidden(mission, member_a, published_meeting, method):
    response = getattr(client_for(member_a), method)(f"/api/v1/missions/{mission.pk}/publish/")

    assert (response.status_code, mission.versions.count()) == (403, 1)


def test_publish_get_before_the_first_publication_lists_every_meeting_as_added(
    mission, organiser, part_a, part_b, slots, tables
):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)

    body = client_for(organiser).get(f"/api/v1/missions/{mission.pk}/publish/").json()

    assert (body["base_version"], body["next_version"], body["can_publish"]) == (None, 1, True)
    added = [(c["meeting"], c["before"], c["after"]["slot"]) for c in body["diff"]["added"]]
    assert added == [(meeting.pk, None, None)]


def test_meeting_list_for_a_firm_shows_the_published_place_for_organisers_the_draft(
    mission, organiser, member_a, published_meeting, slots, tables
):
    mine = client_for(member_a).get("/api/v1/meetings/").json()["results"]
    live = client_for(organiser).get(f"/api/v1/meetings/{published_meeting.pk}/").json()

    def place(row):
        return (row["slot"], row["start"], row["table"], row["table_name"], row["status"])

    assert [place(row) for row in mine] == [(slots[0].pk, "2025-10-06T00:00:00Z", tables[0].pk, "T1", "confirmed")]
    assert place(live) == (slots[1].pk, "2025-10-06T00:30:00Z", tables[1].pk, "T2", "confirmed")
