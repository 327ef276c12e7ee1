"""Reads that turn the platform's own feedback into labelled pairs for the ranking model.

Every judgement is from one firm's point of view (firm -> partner). The signals, strongest first
(a stronger signal on a pair replaces weaker ones; among equals the latest wins). The three meeting
outcomes (events.MeetingOutcome) are equally strong, above all the rest: what a firm says after
meeting the partner beats everything said before it.

| signal | label | weight |
|---|---|---|
| after the meeting the firm said "promising, we will follow up" (firm -> partner) | 1 | 1.0 |
| after the meeting the firm said "useful, no follow-up" | 1 | 0.6 |
| after the meeting the firm said "not a relevant partner" | 0 | 1.0 |
| a confirmed meeting between the two (both directions) | 1 | 1.0 |
| a meeting request accepted (both directions) | 1 | 1.0 |
| a request declined (recipient -> requester) | 0 | 1.0 |
| the firm said "not interested" to a suggestion | 0 | 1.0 |
| the firm said "interested" | 1 | 0.6 |
| a pending request (requester -> recipient) | 1 | 0.6 |
| an admin rejected the suggestion (both directions) | 0 | 0.5 |
| an admin approved it (both directions) | 1 | 0.3 |

Withdrawn requests and cancelled meetings say nothing about the match and are skipped. The pairs of
one mission form one training set whose candidates are the mission's approved participants; pairs
outside missions form one set over the firms they name.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from companies import vocabulary
from events.enums import MeetingOutcomeChoice, MeetingStatus, RequestStatus
from events.models import Meeting, MeetingOutcome, MeetingRequest
from matchmaking import selectors
from matchmaking.enums import FirmResponse, SuggestionStatus
from matchmaking.models import Suggestion

if TYPE_CHECKING:
    from matchmaking.engine.learning import TrainingSet

MIN_PAIRS = 20
"""Feedback sets with fewer positive judgements than this are left out of a retrain: a handful of
clicks would only add noise (docs/matching.md)."""
FEEDBACK_WEIGHT = 1.0
"""Per-query weight of feedback in a retrain, against 1.0 for the real deals of partners-dev."""


@dataclass(frozen=True)
class Judgement:
    firm_id: int
    partner_id: int
    label: int
    weight: float
    strength: int
    at: datetime
    source: str


# Meeting outcome -> (label, weight); all have strength 7, the strongest signal.
OUTCOME_LABELS = {
    MeetingOutcomeChoice.FOLLOW_UP: (1, 1.0),
    MeetingOutcomeChoice.USEFUL: (1, 0.6),
    MeetingOutcomeChoice.NOT_RELEVANT: (0, 1.0),
}


def _outcomes() -> Iterator[tuple[int | None, Judgement]]:
    """One judgement per answer, from the answering firm to the other firm of the meeting."""
    rows = MeetingOutcome.objects.filter(meeting__status=MeetingStatus.CONFIRMED).values(
        "meeting__mission_id", "participation_id", "participation__company_id",
        "meeting__a_id", "meeting__a__company_id", "meeting__b__company_id", "outcome", "answered_at",
    )  # fmt: skip
    for o in rows:
        firm = o["participation__company_id"]
        own_a = o["participation_id"] == o["meeting__a_id"]
        partner = o["meeting__b__company_id"] if own_a else o["meeting__a__company_id"]
        label, weight = OUTCOME_LABELS[MeetingOutcomeChoice(o["outcome"])]
        judgement = Judgement(firm, partner, label, weight, 7, o["answered_at"], f"outcome_{o['outcome']}")
        yield o["meeting__mission_id"], judgement


def _meetings() -> Iterator[tuple[int | None, Judgement]]:
    for m in Meeting.objects.filter(status=MeetingStatus.CONFIRMED).values(
        "mission_id", "a__company_id", "b__company_id", "created_at"
    ):
        a, b = m["a__company_id"], m["b__company_id"]
        for firm, partner in ((a, b), (b, a)):
            yield m["mission_id"], Judgement(firm, partner, 1, 1.0, 6, m["created_at"], "meeting")


def _requests() -> Iterator[tuple[int | None, Judgement]]:
    rows = MeetingRequest.objects.exclude(status=RequestStatus.WITHDRAWN).values(
        "mission_id", "requester__company_id", "recipient__company_id", "status", "created_at", "responded_at"
    )
    for r in rows:
        sender, recipient = r["requester__company_id"], r["recipient__company_id"]
        at = r["responded_at"] or r["created_at"]
        if r["status"] == RequestStatus.ACCEPTED:
            for firm, partner in ((sender, recipient), (recipient, sender)):
                yield r["mission_id"], Judgement(firm, partner, 1, 1.0, 5, at, "request_accepted")
        elif r["status"] == RequestStatus.DECLINED:
            yield r["mission_id"], Judgement(recipient, sender, 0, 1.0, 4, at, "request_declined")
            yield r["mission_id"], Judgement(sender, recipient, 1, 0.6, 2, r["created_at"], "request_sent")
        else:
            yield r["mission_id"], Judgement(sender, recipient, 1, 0.6, 2, at, "request_sent")


def _suggestions() -> Iterator[tuple[int | None, Judgement]]:
    judged = Suggestion.objects.filter(
        ~Q(status=SuggestionStatus.PROPOSED) | ~Q(eu_response=FirmResponse.NONE) | ~Q(jp_response=FirmResponse.NONE)
    )
    for s in judged.values(
        "mission_id", "eu_company_id", "jp_company_id", "status", "reviewed_at", "updated_at",
        "eu_response", "eu_responded_at", "jp_response", "jp_responded_at",
    ):  # fmt: skip
        yield from _suggestion_judgements(s)


def _suggestion_judgements(s: Mapping[str, Any]) -> Iterator[tuple[int | None, Judgement]]:
    eu, jp, mission = s["eu_company_id"], s["jp_company_id"], s["mission_id"]
    for side, firm, partner in (("eu", eu, jp), ("jp", jp, eu)):
        at = s[f"{side}_responded_at"] or s["updated_at"]
        if s[f"{side}_response"] == FirmResponse.INTERESTED:
            yield mission, Judgement(firm, partner, 1, 0.6, 3, at, "interested")
        elif s[f"{side}_response"] == FirmResponse.NOT_INTERESTED:
            yield mission, Judgement(firm, partner, 0, 1.0, 4, at, "not_interested")
    if s["status"] != SuggestionStatus.PROPOSED:
        label, weight = (1, 0.3) if s["status"] == SuggestionStatus.APPROVED else (0, 0.5)
        at = s["reviewed_at"] or s["updated_at"]
        for firm, partner in ((eu, jp), (jp, eu)):
            yield mission, Judgement(firm, partner, label, weight, 1, at, f"review_{s['status']}")


def feedback_judgements() -> dict[int | None, list[Judgement]]:
    """Scope (mission id, or None) -> one judgement per (firm, partner): the strongest, then latest."""
    best: dict[tuple[int | None, int, int], Judgement] = {}
    for source in (_outcomes(), _meetings(), _requests(), _suggestions()):
        for mission, judgement in source:
            key = (mission, judgement.firm_id, judgement.partner_id)
            found = best.get(key)
            if found is None or (judgement.strength, judgement.at) > (found.strength, found.at):
                best[key] = judgement
    scopes: dict[int | None, list[Judgement]] = {}
    for (mission, _firm, _partner), judgement in sorted(best.items(), key=lambda item: (item[0][0] or 0, item[0][1:])):
        scopes.setdefault(mission, []).append(judgement)
    return scopes


def feedback_training_sets(*, min_pairs: int = MIN_PAIRS) -> list["TrainingSet"]:
    """One TrainingSet per scope with at least `min_pairs` positive judgements (names "feedback-<id>")."""
    from matchmaking.engine import profile_from_dict
    from matchmaking.engine.learning import LabelledPair, TrainingSet

    sets = []
    for mission_id, judgements in feedback_judgements().items():
        if sum(j.label for j in judgements) < min_pairs:
            continue
        records = _scope_records(mission_id, judgements)
        pairs = tuple(LabelledPair(j.firm_id, j.partner_id, j.label, j.weight, j.source) for j in judgements)
        name = f"feedback-{mission_id or 'all'}"
        sets.append(TrainingSet(name, tuple(profile_from_dict(r) for r in records), pairs, FEEDBACK_WEIGHT))
    return sets


def _scope_records(mission_id: int | None, judgements: list[Judgement]) -> list[dict[str, Any]]:
    """The firms a scope's judgements are ranked among: the mission's approved participants, or
    (outside missions) the firms the judgements name. Firms on one side only are useless and dropped."""
    from events.models import Mission

    if mission_id is not None:
        records = selectors.match_profile_records(mission=Mission.objects.get(pk=mission_id))
    else:
        named = {j.firm_id for j in judgements} | {j.partner_id for j in judgements}
        records = [r for r in selectors.match_profile_records() if r["id"] in named]
    sides = {vocabulary.side_of(r["country"]) for r in records}
    return records if len(sides) == 2 else []
