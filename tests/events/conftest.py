import pytest
from django.utils import translation

from events import services
from events.models import Participation, Slot
from tests.events.factories import MISSION_DATA, DelegateFactory, ParticipationFactory, mission_created
from tests.factories import CompanyFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _english_by_default():
    """A page requested in Japanese leaves the language active in the test thread (LocaleMiddleware
    does not reset it), so a later test's English messages would come out in Japanese."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def mission(organiser):
    """Tokyo, 2 days × (09:00–10:30: 3 slots, 14:00–15:00: 2 slots) = 10 slots, tables T1 and T2."""
    return mission_created(organiser, dict(MISSION_DATA))


@pytest.fixture
def other_organiser(db):
    return UserFactory(email="other-organiser@example.com", is_organiser=True)


@pytest.fixture
def part_a(mission, company_a) -> Participation:
    return ParticipationFactory(mission=mission, company=company_a)


@pytest.fixture
def part_b(mission, company_b) -> Participation:
    return ParticipationFactory(mission=mission, company=company_b)


@pytest.fixture
def part_c(mission) -> Participation:
    return ParticipationFactory(mission=mission, company=CompanyFactory(name="Gamma Recycling SAS", country="FR"))


@pytest.fixture
def member_c(part_c):
    return MembershipFactory(company=part_c.company).user


@pytest.fixture
def roles(member_a, member_b, member_c, organiser, other_organiser, admin_user):
    """The permission matrix of mission pages and endpoints: role name -> user (None = anonymous)."""
    return {
        "anonymous": None, "member_a": member_a, "member_b": member_b, "member_c": member_c,
        "organiser": organiser, "other_organiser": other_organiser, "admin": admin_user,
    }  # fmt: skip


@pytest.fixture
def slots(mission) -> list[Slot]:
    return list(Slot.objects.filter(mission=mission).order_by("start"))


@pytest.fixture
def tables(mission):
    return list(mission.tables.order_by("id"))


@pytest.fixture
def meetings(mission, organiser, part_a, part_b, part_c):
    """Three meetings among three firms: a triangle, so no two can share a slot (test_scheduling has
    its own, with one meeting required)."""
    return [
        services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser),
        services.meeting_create(mission=mission, a=part_a, b=part_c, user=organiser),
        services.meeting_create(mission=mission, a=part_b, b=part_c, user=organiser),
    ]


def add_delegates(participation: Participation, count: int) -> None:
    for _ in range(count):
        DelegateFactory(participation=participation)
