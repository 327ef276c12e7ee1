"""The invariants the database itself enforces, written past the services on purpose."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from events.enums import MeetingStatus, RequestStatus
from events.models import Meeting, MeetingRequest, MeetingSeat, Mission, Session, Slot
from tests.events.factories import MeetingFactory, MeetingRequestFactory, MissionFactory, ParticipationFactory


def _integrity_error(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_meeting_seat_double_booking_raises_integrity_error(mission, part_a, part_b, part_c, slots):
    first = MeetingFactory(mission=mission, a=part_a, b=part_b, slot=slots[0])
    second = MeetingFactory(mission=mission, a=part_a, b=part_c, slot=slots[0])
    MeetingSeat.objects.create(meeting=first, participation=part_a, slot=slots[0], seat=1)

    assert _integrity_error(
        lambda: MeetingSeat.objects.create(meeting=second, participation=part_a, slot=slots[0], seat=1)
    )


def test_meeting_seat_second_seat_is_allowed(mission, part_a, part_b, part_c, slots):
    first = MeetingFactory(mission=mission, a=part_a, b=part_b, slot=slots[0])
    second = MeetingFactory(mission=mission, a=part_a, b=part_c, slot=slots[0])
    MeetingSeat.objects.create(meeting=first, participation=part_a, slot=slots[0], seat=1)
    MeetingSeat.objects.create(meeting=second, participation=part_a, slot=slots[0], seat=2)

    assert MeetingSeat.objects.filter(participation=part_a, slot=slots[0]).count() == 2


def test_meeting_seat_number_zero_raises_integrity_error(mission, part_a, part_b, slots):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b, slot=slots[0])

    assert _integrity_error(
        lambda: MeetingSeat.objects.create(meeting=meeting, participation=part_a, slot=slots[0], seat=0)
    )


def test_meeting_two_at_one_table_and_slot_raises_integrity_error(mission, part_a, part_b, part_c, slots, tables):
    MeetingFactory(mission=mission, a=part_a, b=part_b, slot=slots[0], table=tables[0])

    assert _integrity_error(lambda: MeetingFactory(mission=mission, a=part_a, b=part_c, slot=slots[0], table=tables[0]))


def test_meeting_same_table_other_slot_is_allowed(mission, part_a, part_b, part_c, slots, tables):
    MeetingFactory(mission=mission, a=part_a, b=part_b, slot=slots[0], table=tables[0])
    MeetingFactory(mission=mission, a=part_a, b=part_c, slot=slots[1], table=tables[0])

    assert Meeting.objects.filter(table=tables[0]).count() == 2


def test_meeting_with_itself_raises_integrity_error(mission, part_a):
    assert _integrity_error(lambda: MeetingFactory(mission=mission, a=part_a, b=part_a))


def test_meeting_second_confirmed_for_pair_raises_integrity_error(mission, part_a, part_b):
    MeetingFactory(mission=mission, a=part_a, b=part_b)

    assert _integrity_error(lambda: MeetingFactory(mission=mission, a=part_b, b=part_a))


def test_meeting_cancelled_pair_allows_new_meeting(mission, part_a, part_b):
    MeetingFactory(mission=mission, a=part_a, b=part_b, status=MeetingStatus.CANCELLED)
    MeetingFactory(mission=mission, a=part_b, b=part_a)

    assert Meeting.objects.filter(mission=mission).count() == 2


def test_meeting_table_without_slot_raises_integrity_error(mission, part_a, part_b, tables):
    assert _integrity_error(lambda: MeetingFactory(mission=mission, a=part_a, b=part_b, table=tables[0]))


def test_meeting_cancelled_in_slot_raises_integrity_error(mission, part_a, part_b, slots):
    assert _integrity_error(
        lambda: MeetingFactory(mission=mission, a=part_a, b=part_b, slot=slots[0], status=MeetingStatus.CANCELLED)
    )


def test_meeting_pinned_without_slot_raises_integrity_error(mission, part_a, part_b):
    assert _integrity_error(lambda: MeetingFactory(mission=mission, a=part_a, b=part_b, pinned=True))


def test_request_second_open_for_pair_raises_integrity_error(mission, part_a, part_b):
    MeetingRequestFactory(mission=mission, requester=part_a, recipient=part_b)

    assert _integrity_error(lambda: MeetingRequestFactory(mission=mission, requester=part_b, recipient=part_a))


def test_request_after_declined_is_allowed(mission, part_a, part_b):
    MeetingRequestFactory(mission=mission, requester=part_a, recipient=part_b, status=RequestStatus.DECLINED)
    MeetingRequestFactory(mission=mission, requester=part_a, recipient=part_b)

    assert MeetingRequest.objects.filter(mission=mission).count() == 2


def test_request_to_itself_raises_integrity_error(mission, part_a):
    assert _integrity_error(lambda: MeetingRequestFactory(mission=mission, requester=part_a, recipient=part_a))


def test_mission_zero_meeting_minutes_raises_integrity_error(db):
    assert _integrity_error(lambda: MissionFactory(meeting_minutes=0))


def test_mission_unknown_status_raises_integrity_error(db):
    assert _integrity_error(lambda: MissionFactory(phase="bogus"))


def test_session_end_before_start_raises_integrity_error(db):
    mission = MissionFactory()

    assert _integrity_error(
        lambda: Session.objects.create(mission=mission, start_time=dt.time(10), end_time=dt.time(9))
    )


def test_slot_end_before_start_raises_integrity_error(mission, slots):
    slot = slots[0]

    assert _integrity_error(
        lambda: Slot.objects.create(
            mission=mission,
            session=slot.session,
            day=slot.day,
            index=99,
            start=slot.start + dt.timedelta(days=9),
            end=slot.start + dt.timedelta(days=8),
        )  # fmt: skip
    )


def test_participation_twice_raises_integrity_error(mission, company_a, part_a):
    assert _integrity_error(lambda: ParticipationFactory(mission=mission, company=company_a))


def test_mission_str_is_title(db):
    assert str(MissionFactory(title="Osaka mission")) == "Osaka mission"


def test_mission_organisers_are_many(mission, organiser, other_organiser):
    mission.organisers.add(other_organiser)

    assert sorted(Mission.objects.get(pk=mission.pk).organisers.values_list("email", flat=True)) == [
        "organiser@example.com", "other-organiser@example.com",
    ]  # fmt: skip


@pytest.mark.parametrize("count", [0, 3])
def test_participation_capacity_counts_delegates_min_one(mission, part_a, count):
    from events.selectors import participation_capacity
    from tests.events.conftest import add_delegates

    add_delegates(part_a, count)

    assert participation_capacity(part_a) == max(1, count)
