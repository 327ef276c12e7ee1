"""Review of suggestions by admins, and the firms' answers; every decision is logged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import NotificationKind
from accounts.models import User
from accounts.services import notification_send
from companies.models import Company
from companies.selectors import company_member_users
from events import phases
from events.enums import MeetingStatus, MissionAction, Priority
from events.models import MeetingRequest, Mission, Participation
from events.selectors import meeting_limit, meetings_count
from events.services.notify import mutual_interest_notify, mutual_interest_referred_notify
from events.services.requests import meeting_request_mutual
from matchmaking import selectors
from matchmaking.enums import DecisionAction, FirmResponse, SuggestionStatus
from matchmaking.models import Suggestion, SuggestionDecision
from matchmaking.permissions import require_reviewer

# Priority of what a mutual interest or an organiser's conversion creates, by the pair's score (0..100).
PRIORITY_FROM_SCORE = ((70.0, Priority.HIGH), (40.0, Priority.MEDIUM), (0.0, Priority.LOW))


def suggestion_decision_record(
    *, suggestion: Suggestion, user: User | None, action: str, note: str = "", company: Company | None = None
) -> SuggestionDecision:
    return SuggestionDecision.objects.create(
        suggestion=suggestion, user=user, action=action, note=note, company=company
    )


def _lock(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update(of=("self",)).select_related("mission").get(pk=suggestion.pk)


@transaction.atomic
def suggestion_review(*, suggestion: Suggestion, admin: User, approve: bool, note: str = "") -> Suggestion:
    """proposed -> approved | rejected; an admin may change the decision until a firm has answered."""
    require_reviewer(user=admin)
    suggestion = _lock(suggestion)
    target = SuggestionStatus.APPROVED if approve else SuggestionStatus.REJECTED
    if suggestion.status == target:
        raise ValidationError(
            {"status": [_("This suggestion is already %(status)s.") % {"status": target.label.lower()}]}
        )
    if suggestion.eu_response != FirmResponse.NONE or suggestion.jp_response != FirmResponse.NONE:
        raise ValidationError({"status": [_("A firm has answered this suggestion; its review cannot change.")]})
    suggestion.status, suggestion.review_note = target, note.strip()
    suggestion.reviewed_by, suggestion.reviewed_at = admin, timezone.now()
    suggestion.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    action = DecisionAction.APPROVED if approve else DecisionAction.REJECTED
    suggestion_decision_record(suggestion=suggestion, user=admin, action=action, note=suggestion.review_note)
    if approve:  # both firms now see it; approvals not yet read or e-mailed add up in one notification
        notification_send(
            recipients=company_member_users(company_ids=[suggestion.eu_company_id, suggestion.jp_company_id]),
            kind=NotificationKind.SUGGESTIONS_APPROVED, params={"count": 1},
            link=reverse("matchmaking:my_suggestions"), coalesce=True,
        )  # fmt: skip
    return suggestion


def suggestions_bulk_review(*, suggestion_ids: list[int], admin: User, approve: bool, note: str = "") -> int:
    """Approve or reject many at once, all or nothing; returns how many were reviewed."""
    require_reviewer(user=admin)  # before the ids are looked up: which exist is not a non-admin's business
    with transaction.atomic():
        suggestions = list(Suggestion.objects.filter(pk__in=suggestion_ids).order_by("pk"))
        if len(suggestions) != len(set(suggestion_ids)):
            raise ValidationError({"ids": [_("Some suggestions do not exist (any more).")]})
        for suggestion in suggestions:
            suggestion_review(suggestion=suggestion, admin=admin, approve=approve, note=note)
    return len(suggestions)


@transaction.atomic
def suggestion_respond(*, suggestion: Suggestion, user: User, interested: bool, reason: str = "") -> Suggestion:
    """A firm member answers for their firm; the reason is for admins only. Both interested within a
    mission: the meeting is arranged or left to the organisers (suggestion_accepted_both)."""
    suggestion = _lock(suggestion)
    side = selectors.suggestion_side_of(user=user, suggestion=suggestion)
    if side is None or suggestion.status != SuggestionStatus.APPROVED:
        raise PermissionDenied(_("Only the two firms of an approved suggestion can answer it."))
    if suggestion.meeting_request_id is not None:
        raise ValidationError({"response": [_("Both firms were interested; the meeting is arranged.")]})
    response = FirmResponse.INTERESTED if interested else FirmResponse.NOT_INTERESTED
    setattr(suggestion, f"{side}_response", response)
    setattr(suggestion, f"{side}_response_reason", reason.strip())
    setattr(suggestion, f"{side}_responded_by", user)
    setattr(suggestion, f"{side}_responded_at", timezone.now())
    fields = [f"{side}_response", f"{side}_response_reason", f"{side}_responded_by", f"{side}_responded_at"]
    suggestion.save(update_fields=[*fields, "updated_at"])
    company = getattr(suggestion, f"{side}_company")
    action = DecisionAction.INTERESTED if interested else DecisionAction.NOT_INTERESTED
    suggestion_decision_record(suggestion=suggestion, user=user, action=action, note=reason.strip(), company=company)
    if suggestion.both_interested:
        suggestion_accepted_both(suggestion=suggestion, user=user)
    return suggestion


def partner_respond(
    *, suggestions: list[Suggestion], user: User, interested: bool, reason: str = ""
) -> list[Suggestion]:
    """One answer for every suggestion of a pair (a partner card, which groups the pair's missions):
    each one still open is answered with suggestion_respond, all or nothing; those whose meeting
    is already arranged keep their answer. Returns the suggestions answered."""
    open_ones = [s for s in suggestions if s.meeting_request_id is None]
    if not open_ones:
        raise ValidationError({"response": [_("Both firms were interested; the meeting is arranged.")]})
    with transaction.atomic():
        return [
            suggestion_respond(suggestion=s, user=user, interested=interested, reason=reason)
            for s in sorted(open_ones, key=lambda s: s.pk)  # one lock order for every caller
        ]


def priority_from_score(score: float) -> str:
    return next(priority for floor, priority in PRIORITY_FROM_SCORE if score >= floor)


# What a mutual interest already led to: handling it again would tell the firms twice.
MUTUAL_DONE = (DecisionAction.MEETING_REQUESTED, DecisionAction.MEETING_ARRANGED, DecisionAction.REFERRED)


def suggestion_accepted_both(*, suggestion: Suggestion, user: User | None) -> MeetingRequest | None:
    """Both firms are interested. Within a mission, while firms answer suggestions (the phases of
    MissionAction.SHOW_INTEREST), the meeting is arranged at once: an accepted request from the firm
    that said yes first, with its meeting (or, when a firm is at its meeting limit, a pending
    request). In other phases, or when a firm does not take part, the organisers decide (they see
    the pair in the bulk conversion). Both firms are told either way, the organisers when it is
    theirs to decide; the outcome is logged as a decision, so a repeated call does nothing.
    Outside a mission nothing is arranged (the answers stay recorded)."""
    if suggestion.mission is None or suggestion.meeting_request_id is not None:
        return None
    if suggestion.decisions.filter(action__in=MUTUAL_DONE).exists():
        return None
    mission = suggestion.mission
    parties = {p.company_id: p for p in Participation.objects.filter(
        mission=mission, company_id__in=[suggestion.eu_company_id, suggestion.jp_company_id]
    ).select_related("company")}  # fmt: skip
    if len(parties) < 2 or not phases.allows(mission.phase, MissionAction.SHOW_INTEREST):
        _refer_to_organisers(suggestion, user, mission)
        return None
    eu_first = (suggestion.eu_responded_at, 0) <= (suggestion.jp_responded_at, 1)
    first, second = (suggestion.eu_company_id, suggestion.jp_company_id)[:: 1 if eu_first else -1]
    request, meeting = meeting_request_mutual(
        mission=mission, requester=parties[first], recipient=parties[second],
        priority=priority_from_score(suggestion.score), message=_mutual_message(),
    )  # fmt: skip
    if meeting is not None and meeting.status != MeetingStatus.CONFIRMED:  # called off before: not by itself
        _refer_to_organisers(suggestion, user, mission)
        return None
    suggestion.meeting_request = request
    suggestion.save(update_fields=["meeting_request", "updated_at"])
    companies = (parties[first].company, parties[second].company)
    if meeting is None:
        full = next(p for p in (parties[second], parties[first]) if not _has_room(p))
        suggestion_decision_record(suggestion=suggestion, user=user, action=DecisionAction.MEETING_REQUESTED)
        mutual_interest_notify(mission=mission, companies=companies, outcome="pending", limit_firm=full.company.name)
    else:
        suggestion_decision_record(suggestion=suggestion, user=user, action=DecisionAction.MEETING_ARRANGED)
        mutual_interest_notify(mission=mission, companies=companies, outcome="meeting")
    return request


def _mutual_message() -> str:
    return _("Both firms said they are interested in this match suggestion.")


def _has_room(party: Participation) -> bool:
    limit = meeting_limit(party, party.mission)
    return limit is None or meetings_count(party) < limit


def _refer_to_organisers(suggestion: Suggestion, user: User | None, mission: Mission) -> None:
    suggestion_decision_record(suggestion=suggestion, user=user, action=DecisionAction.REFERRED)
    eu, jp = suggestion.eu_company, suggestion.jp_company
    mutual_interest_notify(mission=mission, companies=(eu, jp), outcome="organisers")
    mutual_interest_referred_notify(mission=mission, eu=eu, jp=jp)
