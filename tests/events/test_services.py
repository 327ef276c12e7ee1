import datetime as dt
from datetime import UTC

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from events import services
from events.enums import ChangeKind, JoinedVia, MeetingStatus, MissionPhase, Priority, RequestSource, RequestStatus
from events.models import Meeting, MeetingRequest, MeetingSeat, Participation, ScheduleChange, ScheduleVersion, Slot
from tests.events.conftest import add_delegates
from tests.events.factories import MISSION_DATA, MeetingFactory, ParticipationFactory, mission_created, phase_set
from tests.factories import CompanyFactory, MembershipFactory


def _utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


# Slot generation ---------------------------------------------------------------------------------


def test_mission_create_generates_slots_in_utc(mission):
    starts = list(Slot.objects.filter(mission=mission, day=dt.date(2025, 10, 6)).values_list("start", "end"))

    # Asia/Tokyo is UTC+9: 09:00 local is 00:00 UTC; 25 minutes + 5 minutes break.
    assert starts == [
        (_utc(2025, 10, 6, 0, 0), _utc(2025, 10, 6, 0, 25)),
        (_utc(2025, 10, 6, 0, 30), _utc(2025, 10, 6, 0, 55)),
        (_utc(2025, 10, 6, 1, 0), _utc(2025, 10, 6, 1, 25)),
        (_utc(2025, 10, 6, 5, 0), _utc(2025, 10, 6, 5, 25)),
        (_utc(2025, 10, 6, 5, 30), _utc(2025, 10, 6, 5, 55)),
    ]


def test_mission_create_numbers_slots_per_session(mission):
    rows = list(Slot.objects.filter(mission=mission).values_list("day", "session__start_time", "index"))

    assert rows == [
        (day, start, i)
        for day in (dt.date(2025, 10, 6), dt.date(2025, 10, 7))
        for start, count in ((dt.time(9), 3), (dt.time(14), 2))
        for i in range(count)
    ]


def test_mission_create_makes_creator_organiser(mission, organiser):
    assert list(mission.organisers.all()) == [organiser]


def test_slot_times_spring_forward_day_has_fewer_slots():
    zone = services.missions.ZoneInfo("Europe/Berlin")
    kwargs = {"sessions": [(dt.time(1), dt.time(5))], "zone": zone, "meeting_minutes": 60, "break_minutes": 0}

    normal = services.slot_times(days=[dt.date(2025, 3, 29)], **kwargs)
    dst = services.slot_times(days=[dt.date(2025, 3, 30)], **kwargs)

    assert [s.start for s in normal] == [_utc(2025, 3, 29, h) for h in (0, 1, 2, 3)]
    # 02:00 CET jumps to 03:00 CEST: the session lasts three real hours; every meeting lasts 60 minutes.
    assert [(s.start, s.end) for s in dst] == [(_utc(2025, 3, 30, h), _utc(2025, 3, 30, h + 1)) for h in (0, 1, 2)]
    assert [s.start.astimezone(zone).strftime("%H:%M") for s in dst] == ["01:00", "03:00", "04:00"]


def test_slot_times_fall_back_day_has_more_slots():
    zone = services.missions.ZoneInfo("Europe/Berlin")

    slots = services.slot_times(
        days=[dt.date(2025, 10, 26)],
        sessions=[(dt.time(1), dt.time(4))],
        zone=zone,
        meeting_minutes=60,
        break_minutes=0,
    )

    # 03:00 CEST becomes 02:00 CET: four real hours between 01:00 and 04:00 local.
    assert [s.start for s in slots] == [
        _utc(2025, 10, 25, 23),
        _utc(2025, 10, 26, 0),
        _utc(2025, 10, 26, 1),
        _utc(2025, 10, 26, 2),
    ]


def test_slots_generate_keeps_removed_flags(mission, organiser, slots):
    services.slot_set_removed(slot=slots[1], user=organiser, removed=True)

    services.mission_update(
        mission=mission, user=organiser, data={"days": [*MISSION_DATA["days"], dt.date(2025, 10, 8)]}
    )

    assert Slot.objects.filter(mission=mission).count() == 15
    assert list(Slot.objects.filter(mission=mission, removed=True).values_list("start", flat=True)) == [slots[1].start]


def test_slots_generate_refused_once_meetings_placed(mission, organiser, part_a, part_b, slots, tables):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)

    with pytest.raises(ValidationError) as exc:
        services.mission_update(mission=mission, user=organiser, data={"meeting_minutes": 20})

    assert _errors(exc) == {"non_field_errors": ["Times cannot change once meetings are placed; unplace them first."]}
    assert Slot.objects.filter(mission=mission).count() == 10


def test_mission_update_without_timing_change_keeps_slots(mission, organiser, slots):
    services.mission_update(mission=mission, user=organiser, data={"title": "New title", "days": MISSION_DATA["days"]})

    assert list(Slot.objects.filter(mission=mission).order_by("start").values_list("pk", flat=True)) == [
        s.pk for s in slots
    ]


def test_slot_set_removed_refused_with_meeting(mission, organiser, part_a, part_b, slots, tables):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)

    with pytest.raises(ValidationError) as exc:
        services.slot_set_removed(slot=slots[0], user=organiser, removed=True)

    assert _errors(exc) == {"removed": ["Meetings are placed in this slot; move them first."]}


# Validation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"time_zone": "Mars/Olympus"}, {"time_zone": ["“Mars/Olympus” is not an IANA time zone."]}),
        ({"time_zone": "zone.tab"}, {"time_zone": ["“zone.tab” is not an IANA time zone."]}),
        ({"meeting_minutes": 0}, {"meeting_minutes": ["A meeting must last at least one minute."]}),
        ({"sessions": [(dt.time(12), dt.time(11))]}, {"sessions": ["Session 12:00–11:00 ends before it starts."]}),
        (
            {"sessions": [(dt.time(9), dt.time(12)), (dt.time(11), dt.time(13))]},
            {"sessions": ["Sessions 09:00–12:00 and 11:00–13:00 overlap."]},
        ),
        ({"days": []}, {"days": ["Give at least one day."]}),
    ],
)
def test_mission_create_invalid_data_raises(organiser, changes, expected):
    with pytest.raises(ValidationError) as exc:
        services.mission_create(user=organiser, data={**MISSION_DATA, **changes})

    assert _errors(exc) == expected


def test_mission_create_by_firm_member_is_denied(member_a):
    with pytest.raises(PermissionDenied):
        services.mission_create(user=member_a, data=dict(MISSION_DATA))


def test_mission_update_by_other_organiser_is_denied(mission, other_organiser):
    with pytest.raises(PermissionDenied):
        services.mission_update(mission=mission, user=other_organiser, data={"title": "Hijacked"})


def test_mission_update_by_admin_is_allowed(mission, admin_user):
    services.mission_update(mission=mission, user=admin_user, data={"title": "Renamed"})

    mission.refresh_from_db()
    assert mission.title == "Renamed"


# Joining and participation -----------------------------------------------------------------------


def test_participation_join_with_token_creates_participation(mission, member_a, company_a):
    participation = services.participation_join(mission=mission, user=member_a, token=mission.invitation_token)

    assert (participation.company, participation.joined_via) == (company_a, JoinedVia.INVITATION)


def test_participation_join_twice_returns_same(mission, member_a):
    first = services.participation_join(mission=mission, user=member_a, token=mission.invitation_token)
    second = services.participation_join(mission=mission, user=member_a, token=mission.invitation_token)

    assert first.pk == second.pk


def test_participation_join_wrong_token_is_denied(mission, member_a):
    with pytest.raises(PermissionDenied):
        services.participation_join(mission=mission, user=member_a, token="guess")


def test_participation_join_unapproved_company_refused(mission):
    user = MembershipFactory(company=CompanyFactory(status="submitted")).user

    with pytest.raises(ValidationError) as exc:
        services.participation_join(mission=mission, user=user, token=mission.invitation_token)

    assert _errors(exc) == {"non_field_errors": ["Only approved company profiles can join a mission."]}


def test_participation_join_draft_mission_refused(mission, organiser, member_a):
    phase_set(mission, MissionPhase.DRAFT)

    with pytest.raises(ValidationError) as exc:
        services.participation_join(mission=mission, user=member_a, token=mission.invitation_token)

    assert _errors(exc) == {
        "non_field_errors": [
            "“Join the mission” is not open yet: it opens with the “Registration” phase; "
            "the organisers will announce the date."
        ]
    }


def test_delegates_set_replaces_list(part_a, member_a):
    add_delegates(part_a, 1)

    services.delegates_set(participation=part_a, user=member_a, delegates=[
        {"name": "Anna Example", "email": "anna@alpha.example", "role": "CEO"}, {"name": "Bernd Beispiel"},
    ])  # fmt: skip

    assert list(part_a.delegates.values_list("name", "email", "role")) == [
        ("Anna Example", "anna@alpha.example", "CEO"), ("Bernd Beispiel", "", ""),
    ]  # fmt: skip


def test_delegates_set_by_other_firm_is_denied(part_a, member_b):
    with pytest.raises(PermissionDenied):
        services.delegates_set(participation=part_a, user=member_b, delegates=[{"name": "Intruder"}])


def test_delegates_set_below_meetings_in_use_refused(
    mission, organiser, part_a, part_b, part_c, member_a, slots, tables
):
    add_delegates(part_a, 2)
    for other, table in ((part_b, tables[0]), (part_c, tables[1])):
        services.meeting_move(
            meeting=MeetingFactory(mission=mission, a=part_a, b=other), slot=slots[0], table=table, user=organiser
        )

    with pytest.raises(ValidationError) as exc:
        services.delegates_set(participation=part_a, user=member_a, delegates=[{"name": "Only one"}])

    assert _errors(exc) == {"delegates": ["2 meetings are placed at the same time; keep at least 2 delegates."]}


def test_availability_set_stores_unavailable_slots(part_a, member_a, slots):
    available = {s.pk for s in slots[2:]}

    result = services.availability_set(participation=part_a, user=member_a, available_slot_ids=available)

    assert result == available
    assert sorted(part_a.unavailabilities.values_list("slot_id", flat=True)) == [slots[0].pk, slots[1].pk]


def test_availability_set_unknown_slot_refused(part_a, member_a):
    with pytest.raises(ValidationError) as exc:
        services.availability_set(participation=part_a, user=member_a, available_slot_ids={999999})

    assert _errors(exc) == {"slots": ["Unknown slots: 999999."]}


# Delegation list import --------------------------------------------------------------------------

CSV_OK = (
    "company_ref,company_name,company_website,delegate_name,delegate_email,delegate_role,max_meetings\n"
    "ALPHA,,,Anna Example,anna@alpha.example,CEO,6\n"
    "ALPHA,,,Bernd Beispiel,bernd@alpha.example,Engineer,6\n"
    ",Beta Refining KK,,Sato Hanako,sato@beta.example,Sales,\n"
    ",,https://www.gamma.example/,Claire Exemple,,,\n"
)


@pytest.fixture
def import_companies(company_a, company_b):
    company_a.ref = "ALPHA"
    company_a.save()
    return CompanyFactory(name="Gamma SAS", website="http://gamma.example")


def test_delegation_import_creates_participations_and_delegates(mission, organiser, import_companies, company_a):
    result = services.delegation_import(mission=mission, user=organiser, content=CSV_OK.encode("utf-8-sig"))

    assert (result.errors, result.participations_created, result.delegates) == ([], 3, 4)
    alpha = Participation.objects.get(mission=mission, company=company_a)
    assert (alpha.joined_via, alpha.max_meetings) == (JoinedVia.IMPORT, 6)
    assert list(alpha.delegates.values_list("name", flat=True)) == ["Anna Example", "Bernd Beispiel"]
    assert sorted(Participation.objects.filter(mission=mission).values_list("company__name", flat=True)) == [
        "Alpha Cathodes GmbH", "Beta Refining KK", "Gamma SAS",
    ]  # fmt: skip


def test_delegation_import_again_replaces_delegates(mission, organiser, import_companies, company_a):
    services.delegation_import(mission=mission, user=organiser, content=CSV_OK)
    services.delegation_import(mission=mission, user=organiser, content=CSV_OK)

    assert Participation.objects.get(mission=mission, company=company_a).delegates.count() == 2


def test_delegation_import_errors_list_rows_and_write_nothing(mission, organiser, import_companies):
    content = (
        "company_ref,company_name,delegate_name,delegate_email,max_meetings\n"
        "ALPHA,,Anna Example,anna@alpha.example,6\n"
        "NOPE,,Ghost,ghost@example.com,\n"
        ",Beta Refining KK,,not-an-email,many\n"
        "ALPHA,,Bernd,anna@alpha.example,5\n"
    )

    result = services.delegation_import(mission=mission, user=organiser, content=content)

    assert [(e.row, e.field, e.reason) for e in result.errors] == [
        (3, "company_ref", "No company matches “NOPE”."),
        (4, "delegate_name", "A delegate needs a name."),
        (4, "delegate_email", "“not-an-email” is not an e-mail address."),
        (4, "max_meetings", "Give a whole number of 0 or more."),
        (5, "delegate_email", "This delegate is listed twice for the company."),
        (5, "max_meetings", "Differs from row 2 for the same company."),
    ]
    assert (result.participations_created, result.delegates) == (0, 0)
    assert Participation.objects.filter(mission=mission).count() == 0


def test_delegation_import_unapproved_company_refused(mission, organiser):
    CompanyFactory(name="Pending GmbH", status="submitted")

    result = services.delegation_import(
        mission=mission, user=organiser, content="company_name,delegate_name\nPending GmbH,Eva\n"
    )

    assert [(e.row, e.field, e.reason) for e in result.errors] == [
        (2, "company_name", "Pending GmbH is not an approved profile.")
    ]


def test_delegation_import_missing_columns_refused(mission, organiser):
    result = services.delegation_import(mission=mission, user=organiser, content="name,email\nEva,eva@example.com\n")

    assert [(e.row, e.field) for e in result.errors] == [(1, "header")]


def test_delegation_import_by_other_organiser_is_denied(mission, other_organiser):
    with pytest.raises(PermissionDenied):
        services.delegation_import(mission=mission, user=other_organiser, content=CSV_OK)


# Meeting requests --------------------------------------------------------------------------------


def _request(mission, requester, recipient, user, **kwargs) -> MeetingRequest:
    return services.meeting_request_create(
        mission=mission, requester=requester, recipient=recipient, user=user, **kwargs
    )


def test_meeting_request_create_stores_message_and_priority(mission, part_a, part_b, member_a):
    request = _request(mission, part_a, part_b, member_a, message="Nickel supply?", priority=Priority.HIGH)

    assert (request.status, request.message, request.priority, request.source) == (
        RequestStatus.PENDING, "Nickel supply?", Priority.HIGH, RequestSource.PARTICIPANT,
    )  # fmt: skip


def test_meeting_request_create_same_pair_is_idempotent(mission, part_a, part_b, member_a, member_b):
    first = _request(mission, part_a, part_b, member_a)
    again = _request(mission, part_a, part_b, member_a)
    reverse = _request(mission, part_b, part_a, member_b)

    assert first.pk == again.pk == reverse.pk
    assert MeetingRequest.objects.count() == 1


def test_meeting_request_create_from_suggestion_without_user(mission, part_a, part_b):
    first = _request(mission, part_a, part_b, None, source=RequestSource.SUGGESTION)
    second = _request(mission, part_a, part_b, None, source=RequestSource.SUGGESTION)

    assert (first.pk, first.source) == (second.pk, RequestSource.SUGGESTION)


def test_meeting_request_create_for_other_firm_is_denied(mission, part_a, part_b, member_b):
    with pytest.raises(PermissionDenied):
        _request(mission, part_a, part_b, member_b)


def test_meeting_request_create_to_itself_refused(mission, part_a, member_a):
    with pytest.raises(ValidationError) as exc:
        _request(mission, part_a, part_a, member_a)

    assert _errors(exc) == {"recipient": ["A firm cannot request a meeting with itself."]}


def test_meeting_request_create_outside_request_phase_refused(mission, organiser, part_a, part_b, member_a):
    phase_set(mission, MissionPhase.REGISTRATION)

    with pytest.raises(ValidationError) as exc:
        _request(mission, part_a, part_b, member_a)

    assert _errors(exc) == {
        "non_field_errors": [
            "“Send meeting requests” is not open yet: it opens with the “Meeting requests” phase; "
            "the organisers will announce the date."
        ]
    }


def test_meeting_request_create_over_limit_refused(mission, organiser, part_a, part_b, part_c, member_a):
    services.mission_update(mission=mission, user=organiser, data={"max_requests_per_firm": 1})
    mission.refresh_from_db()
    _request(mission, part_a, part_b, member_a)

    with pytest.raises(ValidationError) as exc:
        _request(mission, part_a, part_c, member_a)

    assert _errors(exc) == {"non_field_errors": ["You have sent all 1 requests this mission allows."]}


def test_meeting_request_withdrawn_frees_limit(mission, organiser, part_a, part_b, part_c, member_a):
    services.mission_update(mission=mission, user=organiser, data={"max_requests_per_firm": 1})
    mission.refresh_from_db()
    services.meeting_request_withdraw(request=_request(mission, part_a, part_b, member_a), user=member_a)

    assert _request(mission, part_a, part_c, member_a).recipient == part_c


def test_meeting_request_accept_creates_unscheduled_meeting(mission, part_a, part_b, member_a, member_b):
    request = _request(mission, part_a, part_b, member_a, priority=Priority.HIGH)

    meeting = services.meeting_request_accept(request=request, user=member_b, priority=Priority.LOW)

    request.refresh_from_db()
    assert (request.status, request.response_priority) == (RequestStatus.ACCEPTED, Priority.LOW)
    assert (meeting.a, meeting.b, meeting.weight, meeting.required, meeting.slot, meeting.status) == (
        part_a, part_b, 4, False, None, MeetingStatus.CONFIRMED,
    )  # fmt: skip


def test_meeting_request_accept_by_requester_is_denied(mission, part_a, part_b, member_a):
    request = _request(mission, part_a, part_b, member_a)

    with pytest.raises(PermissionDenied):
        services.meeting_request_accept(request=request, user=member_a)


def test_meeting_request_accept_twice_returns_the_meeting(mission, part_a, part_b, member_a, member_b):
    request = _request(mission, part_a, part_b, member_a)
    first = services.meeting_request_accept(request=request, user=member_b)

    again = services.meeting_request_accept(request=request, user=member_b)

    assert (again.pk, Meeting.objects.count()) == (first.pk, 1)


def test_meeting_request_accept_over_meeting_limit_refused(
    mission, part_a, part_b, part_c, member_a, member_b, member_c
):
    part_b.max_meetings = 1
    part_b.save()
    services.meeting_request_accept(request=_request(mission, part_c, part_b, member_c), user=member_b)
    request = _request(mission, part_a, part_b, member_a)

    with pytest.raises(ValidationError) as exc:
        services.meeting_request_accept(request=request, user=member_b)

    assert _errors(exc) == {"non_field_errors": ["You have reached your limit of 1 meetings."]}


def test_meeting_request_accept_requester_over_mission_limit_refused(
    mission, organiser, part_a, part_b, part_c, member_a, member_b, member_c
):
    services.mission_update(mission=mission, user=organiser, data={"max_meetings_per_firm": 1})
    services.meeting_request_accept(request=_request(mission, part_a, part_c, member_a), user=member_c)
    request = _request(mission, part_a, part_b, member_a)

    with pytest.raises(ValidationError) as exc:
        services.meeting_request_accept(request=request, user=member_b)

    assert _errors(exc) == {"non_field_errors": ["Alpha Cathodes GmbH has reached its limit of 1 meetings."]}


def test_meeting_request_decline_sets_status(mission, part_a, part_b, member_a, member_b):
    request = services.meeting_request_decline(request=_request(mission, part_a, part_b, member_a), user=member_b)

    assert request.status == RequestStatus.DECLINED
    assert Meeting.objects.count() == 0


def test_meeting_request_withdraw_accepted_refused_keeps_meeting(mission, part_a, part_b, member_a, member_b):
    request = _request(mission, part_a, part_b, member_a)
    meeting = services.meeting_request_accept(request=request, user=member_b)

    with pytest.raises(ValidationError) as exc:
        services.meeting_request_withdraw(request=request, user=member_a)

    meeting.refresh_from_db()
    request.refresh_from_db()
    assert _errors(exc) == {
        "non_field_errors": ["This request is accepted: to call the meeting off, cancel the meeting."]
    }
    assert (request.status, meeting.status) == (RequestStatus.ACCEPTED, MeetingStatus.CONFIRMED)


def test_meeting_request_withdraw_by_third_firm_is_denied(mission, part_a, part_b, member_a, member_c):
    with pytest.raises(PermissionDenied):
        services.meeting_request_withdraw(request=_request(mission, part_a, part_b, member_a), user=member_c)


# Meetings: create, move, swap, cancel, pin -------------------------------------------------------


@pytest.fixture
def meeting_ab(mission, part_a, part_b):
    return MeetingFactory(mission=mission, a=part_a, b=part_b)


@pytest.fixture
def meeting_ac(mission, part_a, part_c):
    return MeetingFactory(mission=mission, a=part_a, b=part_c)


def test_meeting_create_must_meet(mission, organiser, part_a, part_b):
    meeting = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser, required=True)

    assert (meeting.required, meeting.weight, meeting.slot) == (True, 10, None)


def test_meeting_create_existing_pair_marks_required(mission, organiser, meeting_ab, part_a, part_b):
    meeting = services.meeting_create(mission=mission, a=part_b, b=part_a, user=organiser, required=True)

    meeting_ab.refresh_from_db()
    assert (meeting.pk, meeting_ab.required, meeting_ab.weight) == (meeting_ab.pk, True, 10)


def test_meeting_create_by_firm_is_denied(mission, member_a, part_a, part_b):
    with pytest.raises(PermissionDenied):
        services.meeting_create(mission=mission, a=part_a, b=part_b, user=member_a)


def test_meeting_move_places_meeting_and_seats(mission, organiser, meeting_ab, part_a, part_b, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[3], table=tables[1], user=organiser)

    meeting_ab.refresh_from_db()
    assert (meeting_ab.slot, meeting_ab.table) == (slots[3], tables[1])
    assert sorted(MeetingSeat.objects.values_list("participation_id", "slot_id", "seat")) == sorted(
        [(part_a.pk, slots[3].pk, 1), (part_b.pk, slots[3].pk, 1)]
    )


def test_meeting_move_again_frees_old_seats(mission, organiser, meeting_ab, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)
    services.meeting_move(meeting=meeting_ab, slot=slots[1], table=tables[0], user=organiser)

    assert set(MeetingSeat.objects.values_list("slot_id", flat=True)) == {slots[1].pk}


def test_meeting_move_to_no_slot_refused(mission, organiser, meeting_ab, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ab, slot=None, table=None, user=organiser)

    meeting_ab.refresh_from_db()
    assert _errors(exc) == {"slot": ["Choose a slot to move the meeting to."]}
    assert (meeting_ab.slot, meeting_ab.table, MeetingSeat.objects.count()) == (slots[0], tables[0], 2)


def test_meeting_unplace_takes_meeting_out_of_schedule(mission, organiser, meeting_ab, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    services.meeting_unplace(meeting=meeting_ab, user=organiser)
    again = services.meeting_unplace(meeting=meeting_ab, user=organiser)

    meeting_ab.refresh_from_db()
    assert (meeting_ab.slot, meeting_ab.table, meeting_ab.status, MeetingSeat.objects.count()) == (
        None, None, MeetingStatus.CONFIRMED, 0,
    )  # fmt: skip
    assert again.pk == meeting_ab.pk


def test_meeting_unplace_pinned_refused(mission, organiser, meeting_ab, slots, tables):
    services.meeting_pin(meeting=meeting_ab, user=organiser, slot=slots[0], table=tables[0])

    with pytest.raises(ValidationError) as exc:
        services.meeting_unplace(meeting=meeting_ab, user=organiser)

    assert _errors(exc) == {"non_field_errors": ["This meeting is pinned to its slot; unpin it first."]}


def test_meeting_unplace_by_firm_is_denied(meeting_ab, member_a):
    with pytest.raises(PermissionDenied):
        services.meeting_unplace(meeting=meeting_ab, user=member_a)


def test_meeting_move_two_delegates_hold_two_meetings(
    mission, organiser, meeting_ab, meeting_ac, part_a, slots, tables
):
    add_delegates(part_a, 2)
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)
    services.meeting_move(meeting=meeting_ac, slot=slots[0], table=tables[1], user=organiser)

    assert sorted(MeetingSeat.objects.filter(participation=part_a).values_list("seat", flat=True)) == [1, 2]


def test_meeting_move_firm_beyond_delegates_refused(mission, organiser, meeting_ab, meeting_ac, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ac, slot=slots[0], table=tables[1], user=organiser)

    assert _errors(exc) == {
        "slot": ["Alpha Cathodes GmbH already has 1 meeting(s) at this time and only 1 delegate(s)."]
    }


def test_meeting_move_taken_table_refused(mission, organiser, meeting_ab, part_c, slots, tables):
    other = MeetingFactory(
        mission=mission, a=part_c, b=ParticipationFactory(mission=mission, company=CompanyFactory(name="Delta AB"))
    )
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=other, slot=slots[0], table=tables[0], user=organiser)

    assert _errors(exc) == {"table": ["Table T1 is taken at this time by Alpha Cathodes GmbH and Beta Refining KK."]}


def test_meeting_move_unavailable_firm_refused(mission, organiser, meeting_ab, part_b, member_b, slots, tables):
    services.availability_set(participation=part_b, user=member_b, available_slot_ids={s.pk for s in slots[1:]})

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    assert _errors(exc) == {"slot": ["Beta Refining KK is not available at this time."]}


def test_meeting_move_removed_slot_refused(mission, organiser, meeting_ab, slots, tables):
    services.slot_set_removed(slot=slots[0], user=organiser, removed=True)

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    assert _errors(exc) == {"slot": ["This slot was removed from the schedule."]}


def test_meeting_move_pinned_refused(mission, organiser, meeting_ab, slots, tables):
    services.meeting_pin(meeting=meeting_ab, user=organiser, slot=slots[0], table=tables[0])

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ab, slot=slots[1], table=tables[0], user=organiser)

    assert _errors(exc) == {"non_field_errors": ["This meeting is pinned to its slot; unpin it first."]}


def test_meeting_move_after_unpin_allowed(mission, organiser, meeting_ab, slots, tables):
    services.meeting_pin(meeting=meeting_ab, user=organiser, slot=slots[0], table=tables[0])
    services.meeting_pin(meeting=meeting_ab, user=organiser, pinned=False)

    moved = services.meeting_move(meeting=meeting_ab, slot=slots[1], table=tables[0], user=organiser)

    assert (moved.slot, moved.pinned) == (slots[1], False)


def test_meeting_move_table_of_other_host_refused(mission, organiser, meeting_ab, part_c, slots, tables):
    services.table_update(table=tables[0], user=organiser, data={"host_id": part_c.pk})

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    assert _errors(exc) == {"table": ["Table T1 is reserved for Gamma Recycling SAS."]}


def test_meeting_move_table_of_own_host_allowed(mission, organiser, meeting_ab, part_b, slots, tables):
    services.table_update(table=tables[0], user=organiser, data={"host_id": part_b.pk})

    assert services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser).table == tables[0]


def test_meeting_move_without_table_refused(mission, organiser, meeting_ab, slots):
    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ab, slot=slots[0], table=None, user=organiser)

    assert _errors(exc) == {"table": ["Choose a table."]}


def test_meeting_move_slot_of_other_mission_refused(organiser, meeting_ab, tables):
    other = mission_created(organiser, {**MISSION_DATA, "title": "Other"})

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ab, slot=other.slots.first(), table=tables[0], user=organiser)

    assert _errors(exc) == {"slot": ["This slot belongs to another mission."]}


def test_meeting_move_while_scheduling_locked_refused(mission, organiser, meeting_ab, slots, tables):
    services.mission_scheduling_lock(mission=mission, locked=True)

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    assert _errors(exc) == {"non_field_errors": ["The schedule is being computed; try again when it has finished."]}


def test_meeting_move_cancelled_refused(mission, organiser, meeting_ab, slots, tables):
    services.meeting_cancel(meeting=meeting_ab, user=organiser, reason="Firm B left.")

    with pytest.raises(ValidationError) as exc:
        services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    assert _errors(exc) == {"non_field_errors": ["This meeting is cancelled."]}


def test_meeting_move_by_other_organiser_is_denied(meeting_ab, other_organiser, slots, tables):
    with pytest.raises(PermissionDenied):
        services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=other_organiser)


def test_meeting_swap_exchanges_positions(mission, organiser, meeting_ab, meeting_ac, part_a, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)
    services.meeting_move(meeting=meeting_ac, slot=slots[1], table=tables[1], user=organiser)

    services.meeting_swap(a=meeting_ab, b=meeting_ac, user=organiser)

    meeting_ab.refresh_from_db()
    meeting_ac.refresh_from_db()
    assert [(meeting_ab.slot, meeting_ab.table), (meeting_ac.slot, meeting_ac.table)] == [
        (slots[1], tables[1]), (slots[0], tables[0]),
    ]  # fmt: skip
    assert sorted(MeetingSeat.objects.filter(participation=part_a).values_list("slot_id", "seat")) == [
        (slots[0].pk, 1), (slots[1].pk, 1),
    ]  # fmt: skip


def test_meeting_swap_into_unavailable_slot_refused_and_rolled_back(
    mission, organiser, meeting_ab, meeting_ac, part_c, member_c, slots, tables
):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)
    services.meeting_move(meeting=meeting_ac, slot=slots[1], table=tables[1], user=organiser)
    services.availability_set(participation=part_c, user=member_c, available_slot_ids={s.pk for s in slots[1:]})

    with pytest.raises(ValidationError) as exc:
        services.meeting_swap(a=meeting_ab, b=meeting_ac, user=organiser)

    assert _errors(exc) == {"slot": ["Gamma Recycling SAS is not available at this time."]}
    meeting_ab.refresh_from_db()
    assert meeting_ab.slot == slots[0]


def test_meeting_cancel_frees_slot(mission, organiser, meeting_ab, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    services.meeting_cancel(meeting=meeting_ab, user=organiser, reason="Firm B left.")

    meeting_ab.refresh_from_db()
    assert (meeting_ab.status, meeting_ab.slot, MeetingSeat.objects.count()) == (MeetingStatus.CANCELLED, None, 0)


def test_meeting_pin_unplaced_refused(mission, organiser, meeting_ab):
    with pytest.raises(ValidationError) as exc:
        services.meeting_pin(meeting=meeting_ab, user=organiser)

    assert _errors(exc) == {"slot": ["Place the meeting in a slot before pinning it."]}


# Publishing and changes --------------------------------------------------------------------------


def test_schedule_publish_creates_version_with_snapshot(
    mission, organiser, meeting_ab, member_a, member_b, slots, tables, django_capture_on_commit_callbacks
):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    with django_capture_on_commit_callbacks(execute=True):
        version = services.schedule_publish(mission=mission, user=organiser).version

    mission.refresh_from_db()
    assert (version.number, mission.phase) == (1, MissionPhase.PUBLISHED)
    assert version.snapshot == {
        "time_zone": "Asia/Tokyo",
        "meetings": [{
            "id": meeting_ab.pk, "a": "Alpha Cathodes GmbH", "b": "Beta Refining KK", "a_id": meeting_ab.a_id,
            "b_id": meeting_ab.b_id, "table_id": tables[0].pk, "status": "confirmed",
            "slot": slots[0].pk, "start": "2025-10-06T00:00:00+00:00", "end": "2025-10-06T00:25:00+00:00",
            "local_start": "2025-10-06 09:00", "table": "T1", "pinned": False,
        }],
    }  # fmt: skip
    assert sorted((m.subject, tuple(m.to)) for m in mail.outbox) == [
        ("Battery supply chain mission to Tokyo: the schedule is published (version 1)", (member_a.email,)),
        ("Battery supply chain mission to Tokyo: the schedule is published (version 1)", (member_b.email,)),
    ]


def test_schedule_publish_twice_without_changes_keeps_one_version(mission, organiser):
    first = services.schedule_publish(mission=mission, user=organiser)
    second = services.schedule_publish(mission=mission, user=organiser)

    assert (first.created, second.created, second.version) == (True, False, first.version)
    assert list(ScheduleVersion.objects.filter(mission=mission).values_list("number", flat=True)) == [1]


def test_schedule_publish_after_a_change_numbers_the_next_version(mission, organiser, meeting_ab, slots, tables):
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    result = services.schedule_publish(mission=mission, user=organiser)

    assert (result.created, result.version.number, [c.id for c in result.diff.moved]) == (True, 2, [meeting_ab.pk])
    assert list(ScheduleVersion.objects.filter(mission=mission).values_list("number", flat=True)) == [2, 1]


def test_meeting_move_before_publish_logs_nothing(mission, organiser, meeting_ab, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    assert ScheduleChange.objects.count() == 0


def test_meeting_move_after_publish_logs_the_change(mission, organiser, meeting_ab, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)

    services.meeting_move(meeting=meeting_ab, slot=slots[1], table=tables[1], user=organiser)

    change = ScheduleChange.objects.get()
    assert (change.kind, change.before["table"], change.after["table"], change.notified, change.user) == (
        ChangeKind.MOVED, "T1", "T2", False, organiser,
    )  # fmt: skip
    services.schedule_publish(mission=mission, user=organiser)
    assert ScheduleChange.objects.get().notified is True
    # Who is told, in which words: tests/events/test_notifications.py.
