"""Reads on missions: who may do what, participants, requests, meetings and the schedule grid."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from companies.models import Company
from companies.selectors import company_directory, user_company
from events import phases
from events.enums import OPEN_REQUEST_STATUSES, MeetingStatus, MissionAction, MissionPhase, RequestSource, RequestStatus
from events.models import Meeting, MeetingOutcome, MeetingRequest, Mission, Participation, Session, Slot, Table


def mission_can_manage(*, user: User, mission: Mission) -> bool:
    """Admins manage every mission; an organiser only the missions they organise."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return user.is_organiser and mission.organisers.filter(pk=user.pk).exists()


def missions_managed_by(user: User) -> QuerySet[Mission]:
    if user.is_staff:
        return Mission.objects.all()
    if not (user.is_authenticated and user.is_organiser):
        return Mission.objects.none()
    return Mission.objects.filter(organisers=user)


def missions_with_dates(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """`first_day` and `last_day` of each mission (None without days), for lists."""
    return missions.annotate(first_day=Min("days__date"), last_day=Max("days__date")).order_by("-created_at", "-id")


def missions_visible_to(user: User) -> QuerySet[Mission]:
    """Drafts only for their organisers; other missions for every signed-in user."""
    if not user.is_authenticated:
        return Mission.objects.none()
    if user.is_staff:
        return Mission.objects.all()
    return Mission.objects.filter(~Q(phase=MissionPhase.DRAFT) | Q(organisers=user)).distinct()


def participation_of(*, user: User, mission: Mission) -> Participation | None:
    company = user_company(user)
    if company is None:
        return None
    return Participation.objects.filter(mission=mission, company=company).select_related("company").first()


def participation_is_member(*, user: User, participation: Participation) -> bool:
    company = user_company(user)
    return company is not None and company.pk == participation.company_id


def participation_capacity(participation: Participation) -> int:
    """How many meetings the firm can hold at once: its delegates, at least one."""
    return max(1, participation.delegates.count())


def participations_of_mission(mission: Mission) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(mission=mission)
        .select_related("company")
        .annotate(delegate_count=Count("delegates", distinct=True))
        .order_by("company__name", "id")
    )


def mission_sessions(mission: Mission) -> QuerySet[Session]:
    return Session.objects.filter(mission=mission).order_by("start_time")


def mission_slots(mission: Mission, *, include_removed: bool = True) -> QuerySet[Slot]:
    qs = Slot.objects.filter(mission=mission).select_related("session").order_by("start", "id")
    return qs if include_removed else qs.filter(removed=False)


def mission_tables(mission: Mission) -> QuerySet[Table]:
    return Table.objects.filter(mission=mission).select_related("host__company").order_by("id")


@dataclass
class SlotGroup:
    """Slots of one day and session, for availability checkboxes and the grid."""

    day: date
    session: Session
    slots: list[Slot] = field(default_factory=list)


def slots_grouped(mission: Mission, *, include_removed: bool = False) -> list[SlotGroup]:
    groups: dict[tuple[date, int], SlotGroup] = {}
    for slot in mission_slots(mission, include_removed=include_removed):
        key = (slot.day, slot.session_id)
        if key not in groups:
            groups[key] = SlotGroup(day=slot.day, session=slot.session)
        groups[key].slots.append(slot)
    return list(groups.values())


def available_slot_ids(participation: Participation) -> set[int]:
    unavailable = set(participation.unavailabilities.values_list("slot_id", flat=True))
    slots = Slot.objects.filter(mission_id=participation.mission_id, removed=False).values_list("id", flat=True)
    return {pk for pk in slots if pk not in unavailable}


def requests_sent_count(participation: Participation) -> int:
    """Requests count against the limit until withdrawn (declined ones still count)."""
    return MeetingRequest.objects.filter(requester=participation).exclude(status=RequestStatus.WITHDRAWN).count()


def meetings_count(participation: Participation) -> int:
    return Meeting.objects.filter(Q(a=participation) | Q(b=participation), status=MeetingStatus.CONFIRMED).count()


def meeting_limit(participation: Participation, mission: Mission) -> int | None:
    """The lower of the mission's limit and the firm's own wish; None when neither is set."""
    limits = [v for v in (mission.max_meetings_per_firm, participation.max_meetings) if v is not None]
    return min(limits) if limits else None


@dataclass
class Limits:
    requests_sent: int
    requests_limit: int | None
    meetings: int
    meetings_limit: int | None
    requests_open: bool = True

    @property
    def requests_left(self) -> int | None:
        return None if self.requests_limit is None else max(0, self.requests_limit - self.requests_sent)

    @property
    def meetings_left(self) -> int | None:
        return None if self.meetings_limit is None else max(0, self.meetings_limit - self.meetings)


def participation_limits(participation: Participation) -> Limits:
    mission = participation.mission
    return Limits(
        requests_sent=requests_sent_count(participation),
        requests_limit=mission.max_requests_per_firm,
        meetings=meetings_count(participation),
        meetings_limit=meeting_limit(participation, mission),
        requests_open=phases.allows(mission.phase, MissionAction.SEND_REQUEST),
    )


# Firms send requests in the requests phase; mutual interest in a suggestion sends one while firms
# answer suggestions (events.phases).
SENDING_ACTION: dict[str, str] = {
    RequestSource.PARTICIPANT: MissionAction.SEND_REQUEST,
    RequestSource.SUGGESTION: MissionAction.SHOW_INTEREST,
}


def mission_takes_requests(*, mission: Mission, source: str = RequestSource.PARTICIPANT) -> bool:
    """Whether `source` may send meeting requests in this mission now."""
    return phases.allows(mission.phase, SENDING_ACTION[source])


def request_open_between(a: Participation, b: Participation) -> MeetingRequest | None:
    """The pending or accepted request between two participations, whoever sent it, else None."""
    return MeetingRequest.objects.filter(
        Q(requester=a, recipient=b) | Q(requester=b, recipient=a), status__in=OPEN_REQUEST_STATUSES
    ).first()


# The request lifecycle: who may do what. Pages and the API show an action only where these say
# yes; the services check the same rules (events.services.requests, events.services.meetings).


def request_side(*, user: User, request: MeetingRequest) -> Participation | None:
    """The user's firm in this request (the requester or the recipient), else None."""
    company = user_company(user)
    if company is None:
        return None
    return next((p for p in (request.requester, request.recipient) if p.company_id == company.pk), None)


def request_can_withdraw(*, request: MeetingRequest, participation: Participation | None) -> bool:
    """Only the firm that sent a request takes it back, while it is unanswered."""
    return (
        participation is not None
        and request.requester_id == participation.pk
        and request.status == RequestStatus.PENDING
    )


def request_can_answer(*, request: MeetingRequest, participation: Participation | None) -> bool:
    """Only the firm asked accepts or declines, while the request is unanswered."""
    return (
        participation is not None
        and request.recipient_id == participation.pk
        and request.status == RequestStatus.PENDING
    )


def meeting_party_of(*, user: User, meeting: Meeting) -> Participation | None:
    """The user's firm among the meeting's two, else None."""
    company = user_company(user)
    if company is None:
        return None
    return next((p for p in (meeting.a, meeting.b) if p.company_id == company.pk), None)


def meeting_can_cancel(*, meeting: Meeting, participation: Participation | None) -> bool:
    """Either firm may call off its confirmed meeting, unless the organisers pinned it."""
    mine = participation is not None and participation.pk in (meeting.a_id, meeting.b_id)
    return mine and meeting.status == MeetingStatus.CONFIRMED and not meeting.pinned


@dataclass(frozen=True)
class RequestRow:
    request: MeetingRequest
    can_answer: bool
    can_withdraw: bool


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    other: Participation
    place: Any  # events.publication.Placement: where the firm sees it (the published version)
    can_cancel: bool


def request_rows(participation: Participation, *, incoming: bool, pk: int | None = None) -> list[RequestRow]:
    """A firm's received (or sent) requests with the actions it may take on each (only request `pk`
    when given: the row an htmx answer swaps in)."""
    qs = requests_incoming(participation) if incoming else requests_outgoing(participation)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return [
        RequestRow(
            request=r,
            can_answer=request_can_answer(request=r, participation=participation),
            can_withdraw=request_can_withdraw(request=r, participation=participation),
        )
        for r in qs
    ]


def meeting_rows(participation: Participation) -> list[MeetingRow]:
    """A firm's meetings where it sees them (events.publication), and whether it may cancel each."""
    from events.publication import meetings_seen_by  # publication reads these selectors

    return [
        MeetingRow(
            meeting=row.meeting,
            other=row.partner,
            place=row.place,
            can_cancel=meeting_can_cancel(meeting=row.meeting, participation=participation),
        )  # fmt: skip
        for row in meetings_seen_by(participation)
    ]


def _request_qs() -> QuerySet[MeetingRequest]:
    return MeetingRequest.objects.select_related("requester__company", "recipient__company", "meeting")


def requests_of_mission(mission: Mission) -> QuerySet[MeetingRequest]:
    return _request_qs().filter(mission=mission)


def requests_incoming(participation: Participation) -> QuerySet[MeetingRequest]:
    return _request_qs().filter(recipient=participation)


def requests_outgoing(participation: Participation) -> QuerySet[MeetingRequest]:
    return _request_qs().filter(requester=participation)


def requests_visible_to(user: User) -> QuerySet[MeetingRequest]:
    """Organisers see the requests of their missions; a firm only its own."""
    if user.is_staff:
        return _request_qs()
    company = user_company(user)
    q = Q(mission__in=missions_managed_by(user))
    if company is not None:
        q |= Q(requester__company=company) | Q(recipient__company=company)
    return _request_qs().filter(q).distinct()


def _meeting_qs() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("a__company", "b__company", "slot", "table", "mission")


def meetings_of_mission(mission: Mission, *, include_cancelled: bool = False) -> QuerySet[Meeting]:
    qs = _meeting_qs().filter(mission=mission)
    return qs if include_cancelled else qs.filter(status=MeetingStatus.CONFIRMED)


def meetings_of_participation(participation: Participation, *, include_cancelled: bool = False) -> QuerySet[Meeting]:
    qs = _meeting_qs().filter(Q(a=participation) | Q(b=participation))
    return qs if include_cancelled else qs.filter(status=MeetingStatus.CONFIRMED)


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    if user.is_staff:
        return _meeting_qs()
    company = user_company(user)
    q = Q(mission__in=missions_managed_by(user))
    if company is not None:
        q |= Q(a__company=company) | Q(b__company=company)
    return _meeting_qs().filter(q).distinct()


def meeting_state(meeting: Meeting) -> dict[str, Any]:
    """What a firm needs to know about a meeting: when (UTC and local), where, with whom."""
    zone = ZoneInfo(meeting.mission.time_zone)
    slot, table = meeting.slot, meeting.table
    return {
        "status": meeting.status,
        "slot": slot.pk if slot else None,
        "start": slot.start.isoformat() if slot else None,
        "end": slot.end.isoformat() if slot else None,
        "local_start": slot.start.astimezone(zone).strftime("%Y-%m-%d %H:%M") if slot else None,
        "table": table.name if table else None,
        "pinned": meeting.pinned,
    }


def schedule_snapshot(mission: Mission) -> dict[str, Any]:
    """Every confirmed meeting as meeting_state gives it, with both firms: what a publication stores
    and compares. Read as plain rows in one query (model instances cost seconds at 1,800 meetings)."""
    zone = ZoneInfo(mission.time_zone)
    rows = (
        Meeting.objects.filter(mission=mission, status=MeetingStatus.CONFIRMED)
        .order_by("slot__start", "table_id", "id")
        .values("id", "a_id", "b_id", "table_id", "status", "pinned", "slot_id", "slot__start", "slot__end",
                "table__name", "a__company__name", "b__company__name")
    )  # fmt: skip
    times: dict[int | None, dict[str, Any]] = {}  # per slot: a mission has far fewer slots than meetings
    meetings = []
    for row in rows:
        if row["slot_id"] not in times:
            times[row["slot_id"]] = _snapshot_times(row["slot__start"], row["slot__end"], zone)
        meetings.append({
            "id": row["id"], "a": row["a__company__name"], "b": row["b__company__name"], "a_id": row["a_id"],
            "b_id": row["b_id"], "table_id": row["table_id"], "status": row["status"], "slot": row["slot_id"],
            **times[row["slot_id"]], "table": row["table__name"], "pinned": row["pinned"],
        })  # fmt: skip
    return {"time_zone": mission.time_zone, "meetings": meetings}


def _snapshot_times(start: datetime | None, end: datetime | None, zone: ZoneInfo) -> dict[str, Any]:
    """The times of meeting_state, in its order."""
    return {
        "start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
        "local_start": start.astimezone(zone).strftime("%Y-%m-%d %H:%M") if start else None,
    }  # fmt: skip


def mission_with_prefetch(pk: int) -> Mission:
    return Mission.objects.prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("start_time")), "days", "organisers"
    ).get(pk=pk)


def participations_visible_to(user: User) -> QuerySet[Participation]:
    """Organisers: every participant of their missions. A firm: the participants of the missions it joined."""
    qs = Participation.objects.select_related("company", "mission").prefetch_related("delegates")
    if user.is_staff:
        return qs
    company = user_company(user)
    q = Q(mission__in=missions_managed_by(user))
    if company is not None:
        q |= Q(mission__participations__company=company)
    return qs.filter(q).distinct()


def organiser_has_participant(*, organiser: User, company) -> bool:
    """True when `company` joined a mission that `organiser` organises."""
    return Participation.objects.filter(company=company, mission__organisers=organiser).exists()


def company_meets(*, company, other) -> bool:
    """True when the two companies have a confirmed meeting in any mission."""
    return Meeting.objects.filter(
        Q(a__company=company, b__company=other) | Q(a__company=other, b__company=company),
        status=MeetingStatus.CONFIRMED,
    ).exists()


def company_ids_committed(*, company_ids: list[int]) -> set[int]:
    """Of `company_ids`, the firms with a confirmed meeting or an accepted request in any mission
    (placed meetings may be in a published schedule): an import asks before changing them."""
    if not company_ids:
        return set()
    meetings = Meeting.objects.filter(
        Q(a__company_id__in=company_ids) | Q(b__company_id__in=company_ids), status=MeetingStatus.CONFIRMED
    ).values_list("a__company_id", "b__company_id")
    requests = MeetingRequest.objects.filter(
        Q(requester__company_id__in=company_ids) | Q(recipient__company_id__in=company_ids),
        status=RequestStatus.ACCEPTED,
    ).values_list("requester__company_id", "recipient__company_id")
    found = {company for pair in [*meetings, *requests] for company in pair}
    return found & set(company_ids)


def mission_company_ids_committed(*, mission: Mission, company_ids: list[int]) -> set[int]:
    """Of `company_ids`, the firms with a confirmed meeting or an accepted request in this mission
    (placed meetings may be in its published schedule): a delegation import asks before changing them."""
    if not company_ids:
        return set()
    meetings = Meeting.objects.filter(
        Q(a__company_id__in=company_ids) | Q(b__company_id__in=company_ids), mission=mission,
        status=MeetingStatus.CONFIRMED,
    ).values_list("a__company_id", "b__company_id")  # fmt: skip
    requests = MeetingRequest.objects.filter(
        Q(requester__company_id__in=company_ids) | Q(recipient__company_id__in=company_ids),
        mission=mission, status=RequestStatus.ACCEPTED,
    ).values_list("requester__company_id", "recipient__company_id")  # fmt: skip
    found = {company for pair in [*meetings, *requests] for company in pair}
    return found & set(company_ids)


def schedule_run_latest(mission: Mission):
    from events.models import ScheduleRun

    return ScheduleRun.objects.filter(mission=mission).first()


def run_error_text(run: Any) -> str:
    """A run's error in the viewer's language: the errors we write are English msgids (events.services.runs);
    a crash's own text (an exception message) has no translation and stays as it is."""
    return gettext(run.error) if run is not None and run.error else ""


LATE_KIND = "late"
# Why a meeting was left out, by the `kind` of a ScheduleRun.unscheduled row: the scheduler's kinds
# (events/scheduler/reasons.py, which is pure and writes English only) and the services' "late".
UNSCHEDULED_REASONS = {
    "no_common_slot": gettext_noop(
        "Its participants are never all available in a slot it may use (or no such slot has its table)."
    ),
    "table_conflict": gettext_noop("Its hosts (or a host and its pinned table) need different tables."),
    "pinned": gettext_noop(
        "It is pinned to a slot where a participant is unavailable, outside its allowed slots, or without its table."
    ),
    "capacity": gettext_noop(
        "In each of its common free slots, a participant already has as many meetings as it has delegates."
    ),
    "tables": gettext_noop("In each of its common free slots, every table (or its fixed table) is taken."),
    "mixed": gettext_noop(
        "Each of its common free slots is taken: a participant is fully booked in some, all tables in the others."
    ),
    LATE_KIND: gettext_noop(
        "Confirmed while the schedule was being computed; run the scheduling again or place it by hand."
    ),
}


def unscheduled_reason(row: dict[str, Any]) -> str:
    """A left-out meeting's reason in the active language, by its kind; the stored English reason
    when the kind is unknown (an imported solution may carry any)."""
    sentence = UNSCHEDULED_REASONS.get(row.get("kind") or "")
    return gettext(sentence) if sentence else str(row.get("reason") or "")


def schedule_run_unscheduled(run) -> list[tuple[Meeting | None, str, str]]:
    """The meetings a run left out: (meeting, reason in the active language, the stored English reason)."""
    if run is None:
        return []
    ids = [row["id"] for row in run.unscheduled]
    meetings = _meeting_qs().in_bulk(ids)
    return [(meetings.get(row["id"]), unscheduled_reason(row), row.get("reason", "")) for row in run.unscheduled]


def meeting_outcome_open(*, meeting: Meeting, now: datetime | None = None) -> bool:
    """A firm may say how a meeting went once it is confirmed and its slot has started."""
    now = now or timezone.now()
    return meeting.status == MeetingStatus.CONFIRMED and meeting.slot is not None and meeting.slot.start <= now


@dataclass(frozen=True)
class OutcomeQuestion:
    """A meeting the firm can judge, with its current answer ("" and "" when not answered yet)."""

    meeting: Meeting
    partner: Participation
    outcome: str
    note: str


def meeting_outcome_questions(*, participation: Participation, now: datetime | None = None) -> list[OutcomeQuestion]:
    """The firm's confirmed meetings whose slot has started, earliest first."""
    now = now or timezone.now()
    meetings = (
        _meeting_qs()
        .filter(Q(a=participation) | Q(b=participation), status=MeetingStatus.CONFIRMED, slot__start__lte=now)
        .order_by("slot__start", "id")
    )
    answers = {
        o.meeting_id: o
        for o in MeetingOutcome.objects.filter(participation=participation, meeting__in=[m.pk for m in meetings])
    }
    questions = []
    for m in meetings:
        answer = answers.get(m.pk)
        partner = m.b if m.a_id == participation.pk else m.a
        questions.append(OutcomeQuestion(m, partner, answer.outcome if answer else "", answer.note if answer else ""))
    return questions


# Organisers and enrolment from the directory ------------------------------------------------------


def mission_organisers(mission: Mission) -> QuerySet[User]:
    return mission.organisers.order_by("full_name", "email", "pk")


def mission_takes_enrolment(mission: Mission) -> bool:
    """Organisers add firms until the schedule is published (events.phases, MissionAction.ENROL)."""
    return phases.allows(mission.phase, MissionAction.ENROL)


def enrolment_candidates(
    *, mission: Mission, query: str = "", country: str = "", sector: str = ""
) -> QuerySet[Company]:
    """Approved firms of the directory matching the search (names in either script, any profile text),
    each with `enrolled`: whether it takes part in the mission already."""
    taken = Participation.objects.filter(mission=mission, company=OuterRef("pk"))
    return company_directory(query=query, country=country, sector=sector).annotate(enrolled=Exists(taken))


def mission_delegation_countries(mission: Mission) -> list[str]:
    """The countries of the firms taking part (ISO codes, sorted): whose public holidays matter."""
    codes = Participation.objects.filter(mission=mission).values_list("company__country", flat=True).distinct()
    return sorted(set(codes))
