"""Planning the bulk conversion of a mission's suggestions into meeting requests or must-meet meetings.

Pure: plain data in, plain data out, no Django (a test checks), so the organiser's preview and the
write that follows it run the very same rules. matchmaking.conversion_selectors gathers the inputs
from the database; matchmaking.services.conversion writes the plan.

Rules, in this order for each candidate pair (best first: mutual interest, then score, then id):
1. both firms must take part in the mission;
2. neither firm said "Not interested";
3. the pair has no confirmed meeting, no open request, and no declined request or cancelled
   meeting (the organisers decide those by hand, never a bulk action);
4. quotas: for requests, the requesting firm's sent requests stay within the mission's limit;
   for meetings, both firms' meetings stay within their limits (events.selectors.meeting_limit).
The requester of a request is the side that wants the pair more: the only side that said
"Interested", else the side whose list ranks the partner higher, else the EU firm.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

SOURCE_APPROVED = "approved"
SOURCE_MUTUAL = "mutual"
SOURCE_BOTH = "both"
SOURCES = (SOURCE_APPROVED, SOURCE_MUTUAL, SOURCE_BOTH)
TARGET_REQUESTS = "requests"
TARGET_MEETINGS = "meetings"
TARGETS = (TARGET_REQUESTS, TARGET_MEETINGS)

INTERESTED = "interested"
NOT_INTERESTED = "not_interested"

# Why a pair is left out (matchmaking.conversion_selectors phrases each for a person).
NOT_IN_MISSION = "not_in_mission"
NOT_INTERESTED_SIDE = "not_interested"
ALREADY_MEETING = "already_meeting"
OPEN_REQUEST = "open_request"
DECLINED_BEFORE = "declined_before"
OVER_QUOTA = "over_quota"


@dataclass(frozen=True)
class Candidate:
    """One suggestion of the mission: its two firms (company ids), score (0..100), answers and ranks."""

    suggestion_id: int
    eu: int
    jp: int
    score: float
    eu_answer: str = "none"
    jp_answer: str = "none"
    rank_eu: int | None = None
    rank_jp: int | None = None

    @property
    def mutual(self) -> bool:
        return self.eu_answer == INTERESTED and self.jp_answer == INTERESTED

    @property
    def pair(self) -> frozenset[int]:
        return frozenset((self.eu, self.jp))


@dataclass(frozen=True)
class Firm:
    """A firm taking part in the mission, with what counts against its quotas now."""

    company_id: int
    requests_sent: int = 0
    requests_limit: int | None = None
    meetings: int = 0
    meetings_limit: int | None = None


@dataclass(frozen=True)
class PairHistory:
    """Pairs of company ids: meeting (a confirmed meeting), open (a pending request), declined (a
    declined request, or a meeting that was cancelled)."""

    meeting: frozenset[frozenset[int]] = frozenset()
    open: frozenset[frozenset[int]] = frozenset()
    declined: frozenset[frozenset[int]] = frozenset()


@dataclass(frozen=True)
class Planned:
    """A pair to write: `first` requests from `second` (requests), or meets it (meetings)."""

    suggestion_id: int
    first: int
    second: int
    score: float
    mutual: bool


@dataclass(frozen=True)
class LeftOut:
    suggestion_id: int
    eu: int
    jp: int
    reason: str
    firm: int | None = None  # the firm the reason is about, when it is about one


@dataclass
class FirmCount:
    """What the plan gives one firm: `used` against `limit` before, `added` by the plan; for
    requests, `received` is how many requests it would get."""

    company_id: int
    used: int
    limit: int | None
    added: int = 0
    received: int = 0

    @property
    def after(self) -> int:
        return self.used + self.added


@dataclass
class Plan:
    target: str
    planned: list[Planned] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    firms: dict[int, FirmCount] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the pairs to write change (or who would send): the convert step compares it
        with the one the organiser previewed."""
        text = ";".join(f"{p.suggestion_id}:{p.first}>{p.second}" for p in self.planned)
        return hashlib.sha256(f"{self.target}|{text}".encode()).hexdigest()[:16]


def candidate_order(candidate: Candidate) -> tuple[bool, float, int]:
    """Mutual interest first, then the best score, then the oldest suggestion: deterministic."""
    return (not candidate.mutual, -candidate.score, candidate.suggestion_id)


def requester_side(candidate: Candidate) -> tuple[int, int]:
    """(requester, recipient) company ids: see the module's docstring."""
    eu_first = (candidate.eu, candidate.jp)
    jp_first = (candidate.jp, candidate.eu)
    if candidate.eu_answer == INTERESTED and candidate.jp_answer != INTERESTED:
        return eu_first
    if candidate.jp_answer == INTERESTED and candidate.eu_answer != INTERESTED:
        return jp_first
    # rank_eu is the JP firm's place in the EU firm's list: the smaller, the keener the EU firm.
    eu_rank = candidate.rank_eu if candidate.rank_eu is not None else 10**9
    jp_rank = candidate.rank_jp if candidate.rank_jp is not None else 10**9
    return jp_first if jp_rank < eu_rank else eu_first


def _exclusion(candidate: Candidate, firms: dict[int, Firm], history: PairHistory) -> LeftOut | None:
    def left(reason: str, firm: int | None = None) -> LeftOut:
        return LeftOut(candidate.suggestion_id, candidate.eu, candidate.jp, reason, firm)

    for firm in (candidate.eu, candidate.jp):
        if firm not in firms:
            return left(NOT_IN_MISSION, firm)
    if candidate.eu_answer == NOT_INTERESTED:
        return left(NOT_INTERESTED_SIDE, candidate.eu)
    if candidate.jp_answer == NOT_INTERESTED:
        return left(NOT_INTERESTED_SIDE, candidate.jp)
    if candidate.pair in history.meeting:
        return left(ALREADY_MEETING)
    if candidate.pair in history.open:
        return left(OPEN_REQUEST)
    if candidate.pair in history.declined:
        return left(DECLINED_BEFORE)
    return None


def _count(plan: Plan, firm: Firm) -> FirmCount:
    if firm.company_id not in plan.firms:
        if plan.target == TARGET_REQUESTS:
            plan.firms[firm.company_id] = FirmCount(firm.company_id, firm.requests_sent, firm.requests_limit)
        else:
            plan.firms[firm.company_id] = FirmCount(firm.company_id, firm.meetings, firm.meetings_limit)
    return plan.firms[firm.company_id]


def _full(count: FirmCount) -> bool:
    return count.limit is not None and count.after >= count.limit


def conversion_plan(
    *, candidates: Iterable[Candidate], firms: Iterable[Firm], history: PairHistory, target: str
) -> Plan:
    """Which candidate pairs become requests or meetings (`target`), which are left out and why, and
    each concerned firm's count against its quota. See the module's docstring for the rules."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}")
    by_id = {f.company_id: f for f in firms}
    plan = Plan(target=target)
    for candidate in sorted(candidates, key=candidate_order):
        excluded = _exclusion(candidate, by_id, history)
        if excluded is not None:
            plan.left_out.append(excluded)
            continue
        first, second = requester_side(candidate) if target == TARGET_REQUESTS else (candidate.eu, candidate.jp)
        bound = [first] if target == TARGET_REQUESTS else [first, second]
        counts = {firm: _count(plan, by_id[firm]) for firm in (first, second)}
        full = next((firm for firm in bound if _full(counts[firm])), None)
        if full is not None:
            plan.left_out.append(LeftOut(candidate.suggestion_id, candidate.eu, candidate.jp, OVER_QUOTA, full))
            continue
        for firm in bound:
            counts[firm].added += 1
        if target == TARGET_REQUESTS:
            counts[second].received += 1
        plan.planned.append(Planned(candidate.suggestion_id, first, second, candidate.score, candidate.mutual))
    return plan
