import datetime as dt

import factory

from events.enums import MissionPhase
from events.models import Delegate, Meeting, MeetingRequest, Mission, Participation
from tests.factories import CompanyFactory


class MissionFactory(factory.django.DjangoModelFactory):
    """A bare mission (no days, sessions or slots): use events.services.mission_create for those."""

    class Meta:
        model = Mission

    title = factory.Sequence(lambda n: f"Mission {n}")
    city = "Tokyo"
    time_zone = "Asia/Tokyo"
    meeting_minutes = 30
    phase = MissionPhase.REQUESTS
    invitation_token = factory.Sequence(lambda n: f"token-{n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    mission = factory.SubFactory(MissionFactory)
    company = factory.SubFactory(CompanyFactory)


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    participation = factory.SubFactory(ParticipationFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"delegate{n}@example.com")
    role = "Sales"


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    mission = factory.SubFactory(MissionFactory)
    requester = factory.SubFactory(ParticipationFactory, mission=factory.SelfAttribute("..mission"))
    recipient = factory.SubFactory(ParticipationFactory, mission=factory.SelfAttribute("..mission"))
    message = "Shall we meet?"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    mission = factory.SubFactory(MissionFactory)
    a = factory.SubFactory(ParticipationFactory, mission=factory.SelfAttribute("..mission"))
    b = factory.SubFactory(ParticipationFactory, mission=factory.SelfAttribute("..mission"))
    weight = 4


DAY_1 = dt.date(2025, 10, 6)
DAY_2 = dt.date(2025, 10, 7)
MISSION_DATA = {
    "title": "Battery supply chain mission to Tokyo",
    "description": "Two days of one-to-one meetings.",
    "city": "Tokyo",
    "venue": "Tokyo Big Sight",
    "time_zone": "Asia/Tokyo",
    "days": [DAY_1, DAY_2],
    "sessions": [(dt.time(9, 0), dt.time(10, 30)), (dt.time(14, 0), dt.time(15, 0))],
    "meeting_minutes": 25,
    "break_minutes": 5,
    "tables": ["T1", "T2"],
}


def mission_created(organiser, data: dict, *, phase: str = MissionPhase.REQUESTS) -> Mission:
    """A mission made by the service (a draft), then set to `phase` as a test's starting point."""
    from events import services

    return phase_set(services.mission_create(user=organiser, data=data), phase)


def phase_set(mission: Mission, phase: str) -> Mission:
    """Put a mission in `phase` directly, as a test's starting point (moves are tested in test_phases)."""
    Mission.objects.filter(pk=mission.pk).update(phase=phase)
    mission.phase = phase
    return mission


def brussels_mission(organiser, company_a, company_b) -> tuple[Participation, Participation]:
    """A one-day mission in Brussels (Europe/Brussels) where A and B meet at 10:00 local time, published."""
    from events import services

    mission = mission_created(organiser, {
        "title": "Osaka buyers in Brussels", "city": "Brussels", "venue": "", "time_zone": "Europe/Brussels",
        "days": [dt.date(2025, 10, 27)], "sessions": [(dt.time(10, 0), dt.time(11, 0))], "meeting_minutes": 30,
        "break_minutes": 0, "tables": [],
    })  # fmt: skip
    a = Participation.objects.create(mission=mission, company=company_a)
    b = Participation.objects.create(mission=mission, company=company_b)
    meeting = services.meeting_create(mission=mission, a=a, b=b, user=organiser)
    services.meeting_move(meeting=meeting, slot=mission.slots.order_by("start").first(), table=None, user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    return a, b
