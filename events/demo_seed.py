"""The demo trade mission: the demo companies in Tokyo, matched, with meetings and a computed schedule.

Runs after companies.demo_seed (the companies and logins). Idempotent: a mission with the demo
title is left as it is, so a demo that people have clicked around in is never reset.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from companies.models import Company
from events import services
from events.enums import MissionPhase
from events.models import Meeting, Mission

DEMO_MISSION_TITLE = "EU–Japan Battery and Critical Minerals Mission, Tokyo"
# About this many meetings, made the way the product makes them (see _match_and_meet).
DEMO_MEETINGS = 60
DEMO_MUTUAL = 18  # best pairs where both firms say "Interested": meetings arranged at once
DEMO_REQUESTS = 20  # requests firms send from their suggestions, with the pre-filled message
DEMO_ACCEPTED = 12  # of those, the ones the recipients accept; the rest stay pending
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
    run = services.schedule_run_start(mission=mission, user=organiser, time_limit=DEMO_SCHEDULE_SECONDS, enqueue=False)
    services.schedule_run_execute(run_id=run.pk)
    return _result(mission, created=True)


def _match_and_meet(mission: Mission, *, organiser: User, admin: User) -> None:
    """The product's path from suggestion to meeting, so the demo has its answers, requests and
    notifications: match and approve; the best pairs both say "Interested" (meetings arranged);
    requests open and firms ask for meetings from their suggestions, some accepted; the organiser
    turns the best remaining suggestions into must-meet meetings, up to about DEMO_MEETINGS."""
    from matchmaking import services as matching
    from matchmaking.models import Suggestion

    run = matching.match_run_start(user=organiser, mission=mission, enqueue=False)
    matching.match_run_execute(run_id=run.pk)
    suggestions = list(Suggestion.objects.filter(mission=mission).select_related("eu_company", "jp_company"))
    suggestions.sort(key=lambda s: (-s.score, s.pk))
    matching.suggestions_bulk_review(suggestion_ids=[s.pk for s in suggestions], admin=admin, approve=True)
    for suggestion in suggestions[:DEMO_MUTUAL]:
        for company in (suggestion.eu_company, suggestion.jp_company):
            matching.suggestion_respond(suggestion=suggestion, user=_demo_member(company), interested=True)
    mission = services.phase_move(mission=mission, user=organiser, to=MissionPhase.REQUESTS)
    sent = _requests_from_suggestions(mission, suggestions[DEMO_MUTUAL:])
    for request in sent[:DEMO_ACCEPTED]:
        try:
            services.meeting_request_accept(request=request, user=_demo_member(request.recipient.company))
        except ValidationError:  # the recipient is at its meeting limit: the request stays pending
            continue
    _convert_the_rest(mission, organiser=organiser)


def _demo_member(company: Company) -> User:
    """The firm's first member; a firm of the demo file without one gets a member who cannot log in
    (the firm's answers and requests need a person of the firm)."""
    from companies.enums import MemberRole
    from companies.models import Membership

    membership = Membership.objects.filter(company=company).select_related("user").order_by("id").first()
    if membership is not None:
        return membership.user
    japanese = company.country == "JP"
    user = User.objects.create_user(
        email=f"{company.ref}@demo.kizuna", full_name=f"{company.name} {'ご担当者' if japanese else 'team'}",
        email_verified=True, language="ja" if japanese else "en",
    )  # fmt: skip
    Membership.objects.create(user=user, company=company, role=MemberRole.OWNER)
    return user


def _requests_from_suggestions(mission: Mission, suggestions: list) -> list:
    """The keener firm of each next-best pair sends a request with the message pre-filled from the
    suggestion, as the request page does (matchmaking.selectors.suggestion_request_initial)."""
    from matchmaking.conversion import Candidate, requester_side
    from matchmaking.selectors import suggestion_request_initial

    parts = {p.company_id: p for p in mission.participations.select_related("company")}
    sent = []
    for suggestion in suggestions[:DEMO_REQUESTS]:
        first, second = requester_side(Candidate(suggestion.pk, suggestion.eu_company_id, suggestion.jp_company_id,
                                                 suggestion.score, rank_eu=suggestion.rank_eu,
                                                 rank_jp=suggestion.rank_jp))  # fmt: skip
        member = _demo_member(parts[first].company)
        initial = suggestion_request_initial(participation=parts[first], suggestion_id=str(suggestion.pk),
                                             language=member.language)  # fmt: skip
        try:
            sent.append(services.meeting_request_create(
                mission=mission, requester=parts[first], recipient=parts[second], message=initial["message"],
                user=member,
            ))  # fmt: skip
        except ValidationError:  # over the firm's request limit, or the pair meets already
            continue
    return sent


def _convert_the_rest(mission: Mission, *, organiser: User) -> None:
    """The organiser converts approved suggestions into must-meet meetings, choosing the lowest score
    that brings the mission to about DEMO_MEETINGS meetings (the preview tells them how many)."""
    from matchmaking.conversion_selectors import conversion_plan_for, conversion_preview
    from matchmaking.services.conversion import suggestions_convert

    wanted = DEMO_MEETINGS - Meeting.objects.filter(mission=mission).count()
    if wanted <= 0:
        return
    planned = conversion_plan_for(mission=mission, source="approved", target="meetings", min_score=0).plan.planned
    if not planned:
        return
    # The plan is greedy in score order, so a higher floor keeps exactly its first pairs.
    min_score = planned[min(wanted, len(planned)) - 1].score
    preview = conversion_preview(mission=mission, source="approved", target="meetings", min_score=min_score)
    suggestions_convert(
        mission=mission, user=organiser, source="approved", target="meetings", min_score=min_score,
        fingerprint=preview.fingerprint,
    )  # fmt: skip


def _result(mission: Mission, *, created: bool) -> DemoMissionResult:
    meetings = Meeting.objects.filter(mission=mission)
    return DemoMissionResult(
        mission=mission, created=created, meetings=meetings.count(),
        placed=meetings.filter(slot__isnull=False).count(),
    )  # fmt: skip
