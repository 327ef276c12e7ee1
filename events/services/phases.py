"""Moving a mission from one phase to another, and the organisers' planned phase dates."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import NotificationKind
from accounts.models import User
from events import phases
from events.enums import MissionAction, MissionPhase, RequestStatus
from events.models import MeetingRequest, Mission, PhaseChange, PhasePlan, Slot
from events.phase_guide import action_refusal, phase_label, phase_move_notifies
from events.services._common import require_manager, require_unlocked
from events.services.notify import phase_changed_notify, request_notify

PLANNABLE = (
    MissionPhase.REGISTRATION, MissionPhase.MATCHING, MissionPhase.REQUESTS, MissionPhase.SCHEDULING,
    MissionPhase.PUBLISHED, MissionPhase.LIVE, MissionPhase.CLOSED,
)  # fmt: skip


def require_phase(mission: Mission, action: str, *, field: str = "non_field_errors") -> None:
    """Refuse `action` outside the phases that allow it, saying why and when it opens."""
    refusal = action_refusal(mission, action)
    if refusal is not None:
        raise ValidationError({field: [refusal]})


def _error(message: str) -> ValidationError:
    return ValidationError({"phase": [message]})


def _check_move(mission: Mission, to: str) -> None:
    if to not in MissionPhase.values:
        raise _error(_("Unknown phase."))
    published = mission.versions.exists()
    if to == phases.ENTERED_BY_PUBLISHING and to not in phases.moves(mission.phase, published=published):
        raise _error(_("A mission enters this phase when its schedule is published: publish it from the schedule."))
    if to not in phases.moves(mission.phase, published=published):
        names = {"old": phase_label(mission.phase), "new": phase_label(to)}
        raise _error(_("A mission cannot move from “%(old)s” to “%(new)s”.") % names)
    if mission.phase == MissionPhase.DRAFT and not Slot.objects.filter(mission=mission, removed=False).exists():
        raise _error(_("Give the mission days and sessions before opening registration: it has no meeting slots yet."))
    if to == MissionPhase.DRAFT and mission.participations.exists():
        raise _error(_("Firms have joined this mission: it cannot go back to a draft they would no longer see."))


@transaction.atomic
def phase_move(*, mission: Mission, user: User | None, to: str, expected: str | None = None) -> Mission:
    """Move the mission to phase `to`; idempotent (already there: nothing happens).

    `expected` is the phase the organiser saw on the confirmation page: if the mission moved
    meanwhile, nothing happens and the organiser is asked to look again. Pending requests expire
    when answering closes; participating firms are told of the move (events.phase_guide says who).
    """
    require_manager(user=user, mission=mission)
    mission = Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)
    if mission.phase == to:
        return mission
    if expected is not None and mission.phase != expected:
        raise _error(
            _("The mission moved to “%(phase)s” meanwhile; look at the page again before moving it.")
            % {"phase": phase_label(mission.phase)}
        )
    require_unlocked(mission)
    _check_move(mission, to)
    return _apply_move(mission, to, user)


def _apply_move(mission: Mission, to: str, user: User | None, *, notify: bool = True) -> Mission:
    """Record the move, expire what closes and tell the firms (also used by publishing)."""
    old = mission.phase
    Mission.objects.filter(pk=mission.pk).update(phase=to)
    mission.phase = to
    PhaseChange.objects.create(mission=mission, from_phase=old, to_phase=to, by=user)
    if MissionAction.ANSWER_REQUEST in phases.closed_by(old, to):
        _expire_pending(mission)
    if notify and phase_move_notifies(old, to):
        phase_changed_notify(mission=mission, old=old, new=to)
    return mission


def phase_enter_published(*, mission: Mission, user: User | None) -> None:
    """Publishing a schedule moves a mission that is still before the published phase into it; the
    firms hear of it through the schedule's own notification."""
    if phases.position(mission.phase) < phases.position(MissionPhase.PUBLISHED):
        _apply_move(mission, MissionPhase.PUBLISHED, user, notify=False)


def _expire_pending(mission: Mission) -> None:
    pending = list(
        MeetingRequest.objects.select_for_update(no_key=True, of=("self",))
        .filter(mission=mission, status=RequestStatus.PENDING)
        .select_related("mission", "requester__company", "recipient__company")
    )
    now = timezone.now()
    for request in pending:
        request.status, request.responded_at = RequestStatus.EXPIRED, now
    MeetingRequest.objects.bulk_update(pending, ["status", "responded_at"])
    for request in pending:
        request_notify(request=request, kind=NotificationKind.REQUEST_EXPIRED, to_recipient=False)


@transaction.atomic
def phase_plan_set(*, mission: Mission, user: User | None, plans: dict[str, date | None]) -> None:
    """Set (or clear, with None) the planned start of phases; dates must not go backwards in phase order."""
    require_manager(user=user, mission=mission)
    unknown = [p for p in plans if p not in PLANNABLE]
    if unknown:
        raise ValidationError({"plans": [_("These phases cannot be planned: %(p)s.") % {"p": ", ".join(unknown)}]})
    current = dict(PhasePlan.objects.filter(mission=mission).values_list("phase", "starts_on"))
    merged = {p: d for p, d in {**current, **plans}.items() if d is not None}
    ordered = [(p, merged[p]) for p in phases.ORDER if p in merged]
    errors = {
        later: [_("Planned before “%(phase)s”.") % {"phase": phase_label(earlier)}]
        for (earlier, d1), (later, d2) in zip(ordered, ordered[1:], strict=False)
        if d2 < d1
    }
    if errors:
        raise ValidationError(errors)
    PhasePlan.objects.filter(mission=mission, phase__in=[p for p, d in plans.items() if d is None]).delete()
    for phase, day in plans.items():
        if day is not None:
            PhasePlan.objects.update_or_create(mission=mission, phase=phase, defaults={"starts_on": day})
