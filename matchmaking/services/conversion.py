"""An organiser turns a mission's approved or mutual suggestions into meeting requests or must-meet
meetings, in bulk, after a preview (matchmaking.conversion_selectors.conversion_preview).

The write re-plans under lock and compares the plan's fingerprint with the previewed one, so what
is written is exactly what the organiser saw; then each firm concerned is told once.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events.enums import MissionAction, RequestSource
from events.models import MeetingRequest, Mission, Participation
from events.services import meeting_create, require_phase
from events.services._common import require_manager
from events.services.notify import organisers_converted_notify
from matchmaking import conversion as plan_rules
from matchmaking.conversion_selectors import conversion_plan_for
from matchmaking.enums import DecisionAction
from matchmaking.models import Suggestion
from matchmaking.selectors import suggestion_request_message, suggestions_with_reasons
from matchmaking.services.review import priority_from_score, suggestion_decision_record


@dataclass(frozen=True)
class ConversionResult:
    target: str
    created: int
    firms_told: int


def conversion_choices_check(*, source: str, target: str, min_score: float) -> None:
    """Field-level errors for choices a page or the API may send wrong."""
    errors: dict[str, list[str]] = {}
    if source not in plan_rules.SOURCES:
        errors["source"] = [_("Choose approved suggestions, mutual interest, or both.")]
    if target not in plan_rules.TARGETS:
        errors["target"] = [_("Choose requests or must-meet meetings.")]
    if not 0 <= min_score <= 100:
        errors["min_score"] = [_("Give a score from 0 to 100.")]
    if errors:
        raise ValidationError(errors)


def _bilingual_message(suggestion: Suggestion, recipient_side: str) -> str:
    """The organisers write for a firm whose language they may not know: English, then Japanese."""
    texts = [suggestion_request_message(suggestion, recipient_side=recipient_side, language=lg) for lg in ("en", "ja")]
    return "\n\n".join(dict.fromkeys(texts))


def _write_request(mission: Mission, suggestion: Suggestion, first: Participation, second: Participation,
                   user: User) -> None:  # fmt: skip
    recipient_side = "eu" if second.company_id == suggestion.eu_company_id else "jp"
    request = MeetingRequest.objects.create(
        mission=mission, requester=first, recipient=second, message=_bilingual_message(suggestion, recipient_side),
        priority=priority_from_score(suggestion.score), source=RequestSource.SUGGESTION, created_by=user,
    )  # fmt: skip
    suggestion.meeting_request = request
    suggestion.save(update_fields=["meeting_request", "updated_at"])
    suggestion_decision_record(suggestion=suggestion, user=user, action=DecisionAction.MEETING_REQUESTED)


@transaction.atomic
def suggestions_convert(
    *, mission: Mission, user: User, source: str, target: str, min_score: float, fingerprint: str
) -> ConversionResult:
    """Write the previewed plan: pending requests from the keener firm (target "requests") or
    must-meet meetings created by the organiser (target "meetings"), in one transaction.

    Refused: outside the phases of MissionAction.CONVERT_SUGGESTIONS, by someone who does not manage
    the mission, when nothing would be written, and when the plan differs from the previewed one
    (`fingerprint`): the organiser looks again rather than writing what they did not see.
    """
    require_manager(user=user, mission=mission)
    conversion_choices_check(source=source, target=target, min_score=min_score)
    mission = Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)
    require_phase(mission, MissionAction.CONVERT_SUGGESTIONS)
    # Every firm's counts feed the plan: lock them all, in id order as the other services do.
    list(Participation.objects.select_for_update(no_key=True).filter(mission=mission).order_by("pk"))
    inputs = conversion_plan_for(mission=mission, source=source, target=target, min_score=min_score)
    plan = inputs.plan
    if plan.fingerprint != fingerprint:
        raise ValidationError({"fingerprint": [_("The suggestions changed since the preview; look again.")]})
    if not plan.planned:
        raise ValidationError({"non_field_errors": [_("Nothing to convert: every pair is left out.")]})
    parts = inputs.participations
    suggestions = {s.pk: s for s in suggestions_with_reasons(inputs.suggestions[p.suggestion_id] for p in plan.planned)}
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for planned in plan.planned:
        first, second = parts[planned.first], parts[planned.second]
        suggestion = suggestions[planned.suggestion_id]
        if target == plan_rules.TARGET_MEETINGS:
            meeting_create(mission=mission, a=first, b=second, user=user, required=True)
            suggestion_decision_record(suggestion=suggestion, user=user, action=DecisionAction.MEETING_ARRANGED)
            counts[planned.first]["arranged"] += 1
            counts[planned.second]["arranged"] += 1
        else:
            _write_request(mission, suggestion, first, second, user)
            counts[planned.first]["sent"] += 1
            counts[planned.second]["received"] += 1
    organisers_converted_notify(mission=mission, counts={firm: dict(c) for firm, c in counts.items()})
    return ConversionResult(target=target, created=len(plan.planned), firms_told=len(counts))
