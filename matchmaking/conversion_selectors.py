"""Reads for the bulk conversion of suggestions: the planner's inputs from the database, and the
preview an organiser sees (matchmaking.conversion plans; matchmaking.services.conversion writes)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from companies.models import Company
from events.enums import MeetingStatus, RequestStatus
from events.models import Meeting, MeetingRequest, Mission, Participation
from events.selectors import meeting_limit
from matchmaking import conversion as plan_rules
from matchmaking.enums import FirmResponse, SuggestionStatus
from matchmaking.models import Suggestion

# Admins approved every candidate already: by default all of them, the organiser raises the floor.
DEFAULT_MIN_SCORE = 0.0


def conversion_suggestions(*, mission: Mission, source: str, min_score: float) -> QuerySet[Suggestion]:
    """The approved suggestions of the mission the source takes: above `min_score`, mutual interest
    (at any score), or either."""
    qs = Suggestion.objects.filter(mission=mission, status=SuggestionStatus.APPROVED)
    mutual = Q(eu_response=FirmResponse.INTERESTED, jp_response=FirmResponse.INTERESTED)
    if source == plan_rules.SOURCE_APPROVED:
        qs = qs.filter(score__gte=min_score)
    elif source == plan_rules.SOURCE_MUTUAL:
        qs = qs.filter(mutual)
    else:
        qs = qs.filter(Q(score__gte=min_score) | mutual)
    return qs.order_by("-score", "id")


def _candidates(suggestions: QuerySet[Suggestion]) -> list[plan_rules.Candidate]:
    fields = ("pk", "eu_company_id", "jp_company_id", "score", "eu_response", "jp_response", "rank_eu", "rank_jp")
    return [plan_rules.Candidate(*row) for row in suggestions.values_list(*fields)]


def _firms(mission: Mission) -> tuple[list[plan_rules.Firm], dict[int, Participation]]:
    parts = list(
        Participation.objects.filter(mission=mission).annotate(
            sent=Count("requests_sent", filter=~Q(requests_sent__status=RequestStatus.WITHDRAWN), distinct=True),
        )
    )
    meetings: dict[int, int] = {}
    for a, b in Meeting.objects.filter(mission=mission, status=MeetingStatus.CONFIRMED).values_list("a_id", "b_id"):
        meetings[a], meetings[b] = meetings.get(a, 0) + 1, meetings.get(b, 0) + 1
    firms = [
        plan_rules.Firm(
            company_id=p.company_id,
            requests_sent=p.sent,
            requests_limit=mission.max_requests_per_firm,
            meetings=meetings.get(p.pk, 0),
            meetings_limit=meeting_limit(p, mission),
        )  # fmt: skip
        for p in parts
    ]
    return firms, {p.company_id: p for p in parts}


def _history(mission: Mission, company_of: dict[int, int]) -> plan_rules.PairHistory:
    """Pairs of company ids by what happened between them in this mission."""
    meeting: set[frozenset[int]] = set()
    declined: set[frozenset[int]] = set()
    open_: set[frozenset[int]] = set()
    for a, b, status in Meeting.objects.filter(mission=mission).values_list("a_id", "b_id", "status"):
        pair = frozenset((company_of[a], company_of[b]))
        (meeting if status == MeetingStatus.CONFIRMED else declined).add(pair)
    for a, b, status in MeetingRequest.objects.filter(mission=mission).values_list(
        "requester_id", "recipient_id", "status"
    ):
        pair = frozenset((company_of[a], company_of[b]))
        if status == RequestStatus.PENDING:
            open_.add(pair)
        elif status == RequestStatus.DECLINED:
            declined.add(pair)
    declined -= meeting  # a pair that meets now is "already meeting", whatever happened before
    return plan_rules.PairHistory(meeting=frozenset(meeting), open=frozenset(open_), declined=frozenset(declined))


@dataclass(frozen=True)
class ConversionInputs:
    plan: plan_rules.Plan
    participations: dict[int, Participation]  # by company id
    suggestions: dict[int, Suggestion]  # by id, the candidates


def conversion_plan_for(*, mission: Mission, source: str, target: str, min_score: float) -> ConversionInputs:
    """Read the mission as it is now and plan the conversion (the preview, and the re-check at commit)."""
    suggestions = conversion_suggestions(mission=mission, source=source, min_score=min_score)
    firms, participations = _firms(mission)
    company_of = {p.pk: p.company_id for p in participations.values()}
    plan = plan_rules.conversion_plan(
        candidates=_candidates(suggestions), firms=firms, history=_history(mission, company_of), target=target
    )
    return ConversionInputs(plan=plan, participations=participations, suggestions={s.pk: s for s in suggestions})


# --- The preview, in words ------------------------------------------------------------------------


def left_out_reason(reason: str, firm: str) -> str:
    texts = {
        plan_rules.NOT_IN_MISSION: _("%(firm)s does not take part in the mission."),
        plan_rules.NOT_INTERESTED_SIDE: _("%(firm)s said it is not interested."),
        plan_rules.ALREADY_MEETING: _("The two firms already have a meeting."),
        plan_rules.OPEN_REQUEST: _("A meeting request between the two firms is waiting for an answer."),
        plan_rules.DECLINED_BEFORE: _("A request between the two firms was declined, or their meeting cancelled."),
        plan_rules.OVER_QUOTA: _("%(firm)s would go over its limit."),
    }
    return texts[reason] % {"firm": firm}


@dataclass(frozen=True)
class PreviewRow:
    first: str
    second: str
    score: float
    mutual: bool


@dataclass(frozen=True)
class PreviewFirm:
    name: str
    used: int
    added: int
    after: int
    limit: int | None
    received: int


@dataclass(frozen=True)
class PreviewLeftOut:
    eu: str
    jp: str
    reason: str
    code: str


@dataclass(frozen=True)
class ConversionPreview:
    source: str
    target: str
    min_score: float
    fingerprint: str
    total: int
    pairs: list[PreviewRow]
    firms: list[PreviewFirm]
    left_out: list[PreviewLeftOut]

    @property
    def for_requests(self) -> bool:
        return self.target == plan_rules.TARGET_REQUESTS


def conversion_preview(*, mission: Mission, source: str, target: str, min_score: float) -> ConversionPreview:
    """What "Convert" would write now, named: the pairs, each firm's count against its quota (firms by
    name), and the pairs left out with the reason."""
    inputs = conversion_plan_for(mission=mission, source=source, target=target, min_score=min_score)
    plan = inputs.plan
    ids = {c for p in plan.planned for c in (p.first, p.second)} | {c for x in plan.left_out for c in (x.eu, x.jp)}
    names = dict(Company.objects.filter(pk__in=ids).values_list("pk", "name"))
    pairs = [PreviewRow(names[p.first], names[p.second], p.score, p.mutual) for p in plan.planned]
    firms = sorted(
        (PreviewFirm(names[c.company_id], c.used, c.added, c.after, c.limit, c.received)
         for c in plan.firms.values()),
        key=lambda f: f.name,
    )  # fmt: skip
    left_out = [
        PreviewLeftOut(names[x.eu], names[x.jp], left_out_reason(x.reason, _name(names, x.firm)), x.reason)
        for x in plan.left_out
    ]
    return ConversionPreview(
        source=source, target=target, min_score=min_score, fingerprint=plan.fingerprint, total=len(plan.planned),
        pairs=pairs, firms=firms, left_out=left_out,
    )  # fmt: skip


def _name(names: dict[int, str], firm: int | None) -> str:
    """The firm a left-out reason is about, empty when it is about none."""
    return names.get(firm, "") if firm is not None else ""
