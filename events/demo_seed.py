"""The demo trade mission: the demo companies in Tokyo, matched, with meetings and a computed schedule.

Runs after companies.demo_seed (the companies and logins). Idempotent: a mission with the demo
title is left as it is, so a demo that people have clicked around in is never reset.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from companies.models import Company
from events import services
from events.enums import MissionPhase
from events.models import Meeting, Mission

DEMO_MISSION_TITLE = "EU–Japan Battery and Critical Minerals Mission, Tokyo"
# Meetings created from the best mission suggestions; the rest stay suggestions and requests.
DEMO_MEETINGS = 60
DEMO_SCHEDULE_SECONDS = 20


@dataclass(frozen=True)
class DemoMissionResult:
    mission: Mission
    created: bool
    meetings: int
    placed: int


def _mission_data() -> dict:
    start = dt.date.today() + dt.timedelta(days=30)
    return {
        "title": DEMO_MISSION_TITLE,
        "description": "Two days of one-to-one meetings between European and Japanese firms on nickel, lithium, "
        "graphite, rare earths, battery materials and recycling, and biotech licensing.",
        "city": "Tokyo", "venue": "Kizuna Conference Centre, Hall B", "time_zone": "Asia/Tokyo",
        "days": [start, start + dt.timedelta(days=1)],
        "sessions": [(dt.time(9, 30), dt.time(12, 30)), (dt.time(14, 0), dt.time(17, 30))],
        "meeting_minutes": 25, "break_minutes": 5,
        "tables": [f"Table {n}" for n in range(1, 13)],
        "max_requests_per_firm": 12, "max_meetings_per_firm": 10,
    }  # fmt: skip


def demo_mission_seed(*, organiser: User, admin: User) -> DemoMissionResult:
    mission = Mission.objects.filter(title=DEMO_MISSION_TITLE).first()
    if mission is not None:
        return _result(mission, created=False)
    with transaction.atomic():
        mission = services.mission_create(user=organiser, data=_mission_data())
        mission = services.phase_move(mission=mission, user=organiser, to=MissionPhase.REGISTRATION)
        for company in Company.objects.filter(ref__startswith="demo-").order_by("ref"):
            services.participation_add(mission=mission, company=company, user=organiser)
        mission = services.phase_move(mission=mission, user=organiser, to=MissionPhase.MATCHING)
    _match_and_meet(mission, organiser=organiser, admin=admin)
    mission = services.phase_move(mission=mission, user=organiser, to=MissionPhase.REQUESTS)
    run = services.schedule_run_start(mission=mission, user=organiser, time_limit=DEMO_SCHEDULE_SECONDS, enqueue=False)
    services.schedule_run_execute(run_id=run.pk)
    return _result(mission, created=True)


def _match_and_meet(mission: Mission, *, organiser: User, admin: User) -> None:
    """Run matching for the mission, approve the suggestions, and turn the best into meetings."""
    from matchmaking import services as matching
    from matchmaking.models import Suggestion

    run = matching.match_run_start(user=organiser, mission=mission, enqueue=False)
    matching.match_run_execute(run_id=run.pk)
    suggestions = list(Suggestion.objects.filter(mission=mission).order_by("-score", "id"))
    matching.suggestions_bulk_review(suggestion_ids=[s.pk for s in suggestions], admin=admin, approve=True)
    parts = {p.company_id: p for p in mission.participations.all()}
    for suggestion in suggestions[:DEMO_MEETINGS]:
        a, b = parts[suggestion.eu_company_id], parts[suggestion.jp_company_id]
        services.meeting_create(mission=mission, a=a, b=b, user=organiser)


def _result(mission: Mission, *, created: bool) -> DemoMissionResult:
    meetings = Meeting.objects.filter(mission=mission)
    return DemoMissionResult(
        mission=mission, created=created, meetings=meetings.count(),
        placed=meetings.filter(slot__isnull=False).count(),
    )  # fmt: skip
