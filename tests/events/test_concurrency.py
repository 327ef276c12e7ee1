"""Races on a real PostgreSQL: parallel threads, each with its own connection and transaction."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Notification
from events import services
from events.models import Meeting, MeetingRequest, MeetingSeat, ScheduleVersion
from tests.events.factories import MeetingFactory, ParticipationFactory
from tests.events.threads import run_at_once
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_meeting_move_same_firm_same_slot_by_two_organisers_one_succeeds(
    mission, organiser, other_organiser, part_a, part_b, part_c, slots, tables
):
    mission.organisers.add(other_organiser)
    first = MeetingFactory(mission=mission, a=part_a, b=part_b)
    second = MeetingFactory(mission=mission, a=part_c, b=part_a)

    results = run_at_once([
        lambda: services.meeting_move(meeting=first, slot=slots[0], table=tables[0], user=organiser),
        lambda: services.meeting_move(meeting=second, slot=slots[0], table=tables[1], user=other_organiser),
    ])  # fmt: skip

    succeeded = [r for r in results if isinstance(r, Meeting)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(succeeded), len(refused)) == (1, 1)
    assert refused[0].message_dict == {
        "slot": ["Alpha Cathodes GmbH already has 1 meeting(s) at this time and only 1 delegate(s)."]
    }
    assert MeetingSeat.objects.filter(participation=part_a, slot=slots[0]).count() == 1
    assert Meeting.objects.filter(slot=slots[0]).count() == 1


def test_meeting_move_same_table_same_slot_different_firms_one_succeeds(
    mission, organiser, other_organiser, part_a, part_b, slots, tables
):
    mission.organisers.add(other_organiser)
    c, d = (ParticipationFactory(mission=mission, company=CompanyFactory(name=n)) for n in ("Gamma SAS", "Delta AB"))
    first = MeetingFactory(mission=mission, a=part_a, b=part_b)
    second = MeetingFactory(mission=mission, a=c, b=d)

    results = run_at_once([
        lambda: services.meeting_move(meeting=first, slot=slots[0], table=tables[0], user=organiser),
        lambda: services.meeting_move(meeting=second, slot=slots[0], table=tables[0], user=other_organiser),
    ])  # fmt: skip

    assert sorted(type(r).__name__ for r in results) == ["Meeting", "ValidationError"]
    assert Meeting.objects.filter(slot=slots[0], table=tables[0]).count() == 1


def test_meeting_request_create_many_at_once_respects_limit(mission, organiser, part_a, member_a):
    services.mission_update(mission=mission, user=organiser, data={"max_requests_per_firm": 3})
    mission.refresh_from_db()
    recipients = [ParticipationFactory(mission=mission, company=CompanyFactory(name=f"Firm {i}")) for i in range(8)]

    results = run_at_once([
        (lambda r=r: services.meeting_request_create(mission=mission, requester=part_a, recipient=r, user=member_a))
        for r in recipients
    ])  # fmt: skip

    assert sum(isinstance(r, MeetingRequest) for r in results) == 3
    assert [r.message_dict for r in results if isinstance(r, ValidationError)] == [
        {"non_field_errors": ["You have sent all 3 requests this mission allows."]}
    ] * 5
    assert MeetingRequest.objects.filter(requester=part_a).count() == 3


def test_meeting_request_create_both_directions_at_once_makes_one(mission, part_a, part_b, member_a, member_b):
    results = run_at_once([
        lambda: services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a),
        lambda: services.meeting_request_create(mission=mission, requester=part_b, recipient=part_a, user=member_b),
    ])  # fmt: skip

    assert [type(r).__name__ for r in results] == ["MeetingRequest", "MeetingRequest"]
    assert results[0].pk == results[1].pk
    assert MeetingRequest.objects.count() == 1


def test_meeting_request_accept_many_at_once_respects_meeting_limit(mission, organiser, part_a, member_a):
    services.mission_update(mission=mission, user=organiser, data={"max_meetings_per_firm": 2})
    mission.refresh_from_db()
    requests, members = [], []
    for i in range(5):
        recipient = ParticipationFactory(mission=mission, company=CompanyFactory(name=f"Firm {i}"))
        members.append(MembershipFactory(company=recipient.company).user)
        requests.append(
            services.meeting_request_create(mission=mission, requester=part_a, recipient=recipient, user=member_a)
        )

    pairs = zip(requests, members, strict=True)
    results = run_at_once([(lambda r=r, u=u: services.meeting_request_accept(request=r, user=u)) for r, u in pairs])

    assert sum(isinstance(r, Meeting) for r in results) == 2
    assert Meeting.objects.filter(a=part_a).count() == 2


def test_schedule_publish_twice_at_once_creates_one_version_and_notifies_once(
    mission, organiser, other_organiser, part_a, part_b, member_a, member_b, slots, tables
):
    mission.organisers.add(other_organiser)
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_move(meeting=meeting, slot=slots[1], table=tables[1], user=organiser)
    Notification.objects.all().delete()

    results = run_at_once([
        lambda: services.schedule_publish(mission=mission, user=organiser),
        lambda: services.schedule_publish(mission=mission, user=other_organiser),
    ])  # fmt: skip

    assert sorted((r.version.number, r.created) for r in results) == [(2, False), (2, True)]
    assert list(ScheduleVersion.objects.filter(mission=mission).values_list("number", flat=True)) == [2, 1]
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == sorted(
        [member_a.email, member_b.email]
    )
