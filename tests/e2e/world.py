"""The data the journeys start from, built with the project's factories and services (no mocks).

Each builder commits its rows (the tests use the transactional database) so the live server sees them.
"""

from dataclasses import dataclass

from companies.enums import CompanyStatus
from events.enums import MissionPhase
from events.models import Mission, Participation
from tests.events.factories import MISSION_DATA, mission_created
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory, UserFactory

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@dataclass
class World:
    admin: object
    organiser: object
    mission: Mission
    firm_user: object  # owner of the EU firm
    firm: Participation  # the EU firm in the mission
    partner_user: object  # owner of the JP firm
    partner: Participation  # the JP firm in the mission


def world(*, firm_status: str = CompanyStatus.APPROVED, phase: str = MissionPhase.REQUESTS) -> World:
    """A two-day Tokyo mission (10 slots, tables T1 and T2) run by an organiser, with an EU cathode maker
    that seeks nickel and a JP refiner that sells it: the matching engine pairs them."""
    admin = UserFactory(email="admin@example.com", full_name="Ada Admin", is_staff=True, is_superuser=True)
    organiser = UserFactory(email="organiser@example.com", full_name="Oscar Organiser", is_organiser=True)
    mission = mission_created(organiser, dict(MISSION_DATA), phase=phase)
    eu = CompanyFactory(
        name="Alpha Cathodes GmbH", country="DE", status=firm_status, materials=["nickel"],
        seek="Battery-grade nickel sulphate from a refiner outside a single supplier country.",
    )  # fmt: skip
    jp = CompanyFactory(
        name="Beta Refining KK", name_ja="ベータ精錬株式会社", country="JP", city="Osaka",
        sectors=["critical_minerals", "batteries"], stages=["critical_minerals.refining_processing"],
        partnership_types=["purchase", "supply"], materials=["nickel"],
        description="We refine nickel into battery-grade nickel sulphate.",
        offer="Battery-grade nickel sulphate from our refinery.", seek="Long-term offtake by European cathode makers.",
    )  # fmt: skip
    ContactPersonFactory(company=eu, name="Anna Example")
    ContactPersonFactory(company=jp, name="Kenji Example")
    firm_user = MembershipFactory(company=eu, user__email="anna@alpha.example", user__full_name="Anna Example").user
    partner_user = MembershipFactory(company=jp, user__email="kenji@beta.example", user__full_name="Kenji Example").user
    return World(
        admin=admin, organiser=organiser, mission=mission,
        firm_user=firm_user, firm=Participation.objects.create(mission=mission, company=eu),
        partner_user=partner_user, partner=Participation.objects.create(mission=mission, company=jp),
    )  # fmt: skip


def world_scheduled() -> World:
    """`world()` a step later: the match is approved, and a published schedule holds the pair's meeting
    plus two more firms' meetings (so that the grid and the agenda have rows)."""
    from events import services
    from matchmaking import services as matching
    from matchmaking.models import Suggestion
    from tests.matchmaking.helpers import run_now

    w = world()
    run_now(user=w.admin, mission=w.mission)
    suggestion = Suggestion.objects.get(eu_company=w.firm.company, jp_company=w.partner.company)
    matching.suggestion_review(suggestion=suggestion, admin=w.admin, approve=True, note="Strong fit on nickel.")
    others = [
        Participation.objects.create(mission=w.mission, company=CompanyFactory(name=name, country=country))
        for name, country in [("Gamma Recycling SAS", "FR"), ("Delta Magnetics KK", "JP")]
    ]
    slots, tables = list(w.mission.slots.order_by("start")), list(w.mission.tables.order_by("id"))
    placed = [
        (w.firm, w.partner, slots[0], tables[0]),
        (others[0], others[1], slots[0], tables[1]),
        (w.firm, others[1], slots[1], tables[0]),
    ]
    for a, b, slot, table in placed:
        meeting = services.meeting_create(mission=w.mission, a=a, b=b, user=w.organiser)
        services.meeting_move(meeting=meeting, slot=slot, table=table, user=w.organiser)
    services.schedule_publish(mission=w.mission, user=w.organiser)
    return w
