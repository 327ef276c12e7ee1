"""Reads on mission phases, in words: why an action is refused and when it opens, the timeline of
phases with their dates, what each role can do now and next, and what a phase move will do.

The rules are the tables of events.phases; this module only phrases them for a person.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from events import phases
from events.enums import MissionAction, MissionPhase, RequestStatus
from events.models import Mission, MissionDay, Participation, PhaseChange, PhasePlan
from events.selectors import mission_can_manage, participation_of


def phase_label(phase: str) -> str:
    return str(MissionPhase(phase).label)


def action_label(action: str) -> str:
    return str(MissionAction(action).label)


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def phase_dates(mission: Mission) -> dict[str, tuple[date, bool]]:
    """Each phase's date and whether it is only planned: when the mission entered it (the last
    time), or the organisers' plan; live and closed default to the mission's first day and the day
    after its last."""
    result: dict[str, tuple[date, bool]] = {}
    for plan in PhasePlan.objects.filter(mission=mission):
        result[plan.phase] = (plan.starts_on, True)
    days = list(MissionDay.objects.filter(mission=mission).order_by("date").values_list("date", flat=True))
    if days:
        result.setdefault(MissionPhase.LIVE, (days[0], True))
        result.setdefault(MissionPhase.CLOSED, (days[-1] + timedelta(days=1), True))
    for change in PhaseChange.objects.filter(mission=mission).order_by("at", "id"):
        result[change.to_phase] = (timezone.localdate(change.at), False)
    return result


def action_refusal(mission: Mission, action: str, *, dates: dict[str, tuple[date, bool]] | None = None) -> str | None:
    """None when `action` is open in the mission's phase; otherwise why not, and when it opens."""
    if phases.allows(mission.phase, action):
        return None
    dates = phase_dates(mission) if dates is None else dates
    label = action_label(action)
    later = phases.opens_in(mission.phase, action)
    if later is not None:
        when = dates.get(later)
        if when is not None and when[1] and when[0] >= timezone.localdate():
            return _("“%(action)s” is not open yet: it opens with the “%(phase)s” phase, planned for %(date)s.") % {
                "action": label, "phase": phase_label(later), "date": _day(when[0])
            }  # fmt: skip
        return _(
            "“%(action)s” is not open yet: it opens with the “%(phase)s” phase; the organisers will announce the date."
        ) % {"action": label, "phase": phase_label(later)}
    since = phases.closed_since(mission.phase, action)
    if since is not None and since in dates and not dates[since][1]:
        return _("“%(action)s” closed when the mission moved to the “%(phase)s” phase on %(date)s.") % {
            "action": label, "phase": phase_label(since), "date": _day(dates[since][0])
        }  # fmt: skip
    return _("“%(action)s” is closed in the “%(phase)s” phase.") % {
        "action": label, "phase": phase_label(mission.phase)
    }  # fmt: skip


@dataclass(frozen=True)
class PhaseStep:
    phase: str
    label: str
    state: str  # "done", "current" or "later"
    day: date | None
    planned: bool

    @property
    def is_current(self) -> bool:
        return self.state == "current"


def phase_timeline(mission: Mission) -> list[PhaseStep]:
    dates = phase_dates(mission)
    here = phases.position(mission.phase)
    steps = []
    for i, phase in enumerate(phases.ORDER):
        state = "done" if i < here else "current" if i == here else "later"
        day, planned = dates.get(phase, (None, False))
        steps.append(PhaseStep(phase=phase, label=phase_label(phase), state=state, day=day, planned=planned))
    return steps


@dataclass(frozen=True)
class ActionLine:
    action: str
    label: str
    url: str
    refusal: str | None = None


@dataclass
class Guide:
    """What the viewer can do in the mission now, and what the next phase opens for them."""

    role: str  # "organiser", "participant" or "visitor"
    timeline: list[PhaseStep] = field(default_factory=list)
    now: list[ActionLine] = field(default_factory=list)
    next_phase: PhaseStep | None = None
    opening: list[str] = field(default_factory=list)


# The page where each action is done (firm and organiser actions are distinct); the mission's id is
# an argument of the events pages, a query parameter of the matchmaking ones. Joining has no page:
# a firm needs the organisers' invitation link.
ACTION_PAGES: dict[str, str] = {
    MissionAction.EDIT_PARTICIPATION: "events:my_participation",
    MissionAction.SHOW_INTEREST: "matchmaking:my_suggestions",
    MissionAction.SEND_REQUEST: "events:request_create",
    MissionAction.ANSWER_REQUEST: "events:my_requests",
    MissionAction.CANCEL_MEETING: "events:my_requests",
    MissionAction.SEE_AGENDA: "events:my_agenda",
    MissionAction.RECORD_OUTCOME: "events:my_agenda",
    MissionAction.ENROL: "events:participants",
    MissionAction.RUN_MATCHING: "matchmaking:runs",
    MissionAction.CONVERT_SUGGESTIONS: "events:convert_suggestions",
    MissionAction.ADD_MEETING: "events:meeting_create",
    MissionAction.COMPUTE_SCHEDULE: "events:schedule",
    MissionAction.EDIT_SCHEDULE: "events:schedule",
    MissionAction.PUBLISH: "events:publish",
}


def _action_url(mission: Mission, action: str) -> str:
    name = ACTION_PAGES.get(action)
    if name is None:
        return ""
    if name.startswith("matchmaking:"):
        return reverse(name) + f"?mission={mission.pk}"
    return reverse(name, args=[mission.pk])


def _role(user: User, mission: Mission, participation: Participation | None) -> str:
    if mission_can_manage(user=user, mission=mission):
        return "organiser"
    return "participant" if participation is not None else "visitor"


def phase_guide(*, mission: Mission, user: User) -> Guide:
    participation = participation_of(user=user, mission=mission)
    role = _role(user, mission, participation)
    if role == "organiser":
        actions = phases.ORGANISER_ACTIONS
    elif role == "participant":
        actions = tuple(a for a in phases.FIRM_ACTIONS if a != MissionAction.JOIN)
    else:
        actions = (MissionAction.JOIN,)
    guide = Guide(role=role, timeline=phase_timeline(mission))
    open_now = [a for a in actions if phases.allows(mission.phase, a)]
    guide.now = [ActionLine(action=a, label=action_label(a), url=_action_url(mission, a)) for a in open_now]
    later = [s for s in guide.timeline if s.state == "later" and s.phase != MissionPhase.CLOSED]
    if later:
        guide.next_phase = later[0]
        guide.opening = [action_label(a) for a in phases.opened_by(mission.phase, later[0].phase) if a in actions]
    return guide


def _pending_requests(mission: Mission) -> int:
    return mission.requests.filter(status=RequestStatus.PENDING).count()


def phase_move_effects(mission: Mission, to: str) -> list[str]:
    """What moving `mission` to phase `to` does, in sentences for the organiser's confirmation."""
    old = mission.phase
    effects = []
    firms = Participation.objects.filter(mission=mission).count()
    if to == MissionPhase.DRAFT:
        effects.append(_("The mission is hidden from firms again, and its invitation link stops working."))
    if old == MissionPhase.DRAFT:
        effects.append(_("The mission becomes visible to every signed-in firm, and its invitation link works."))
    for action in phases.opened_by(old, to):
        effects.append(_("Opens: %(action)s.") % {"action": action_label(action)})
    for action in phases.closed_by(old, to):
        effects.append(_("Closes: %(action)s.") % {"action": action_label(action)})
    pending = _pending_requests(mission)
    if pending and MissionAction.ANSWER_REQUEST in phases.closed_by(old, to):
        effects.append(
            ngettext(
                "%(n)d pending request expires unanswered; the firm that sent it is told.",
                "%(n)d pending requests expire unanswered; the firms that sent them are told.",
                pending,
            )
            % {"n": pending}
        )
    elif pending and MissionAction.SEND_REQUEST in phases.closed_by(old, to):
        effects.append(
            ngettext(
                "%(n)d pending request can still be answered until the mission is under way.",
                "%(n)d pending requests can still be answered until the mission is under way.",
                pending,
            )
            % {"n": pending}
        )
    if phase_move_notifies(old, to) and firms:
        effects.append(
            ngettext(
                "The %(n)d participating firm is told by notification and e-mail.",
                "All %(n)d participating firms are told by notification and e-mail.",
                firms,
            )
            % {"n": firms}
        )
    return effects


def phase_move_notifies(old: str, new: str) -> bool:
    """Firms hear of every move except to and from a draft (which they do not see)."""
    return MissionPhase.DRAFT not in (old, new)


@dataclass(frozen=True)
class MoveOption:
    to: str
    label: str
    effects: list[str]


@dataclass(frozen=True)
class PhaseOverview:
    """Everything the API says about a mission's phase to one viewer (events.api MissionPhaseOutput)."""

    phase: str
    role: str
    timeline: list[PhaseStep]
    actions: list[dict]
    moves: list[MoveOption]


def phase_overview(*, mission: Mission, user: User) -> PhaseOverview:
    """The phase, the timeline, each action of the viewer's role with why it is refused now, and for
    organisers the moves they can make (publishing excepted) with what each does."""
    role = _role(user, mission, participation_of(user=user, mission=mission))
    actions = phases.ORGANISER_ACTIONS if role == "organiser" else phases.FIRM_ACTIONS
    dates = phase_dates(mission)
    rows = []
    for action in actions:
        refusal = action_refusal(mission, action, dates=dates)
        rows.append({"action": action, "label": action_label(action), "allowed": refusal is None, "refusal": refusal})
    moves = []
    if role == "organiser":
        targets = phases.moves(mission.phase, published=mission.versions.exists())
        moves = [
            MoveOption(to=p, label=phase_label(p), effects=phase_move_effects(mission, p))
            for p in targets
            if p != phases.ENTERED_BY_PUBLISHING
        ]
    return PhaseOverview(mission.phase, role, phase_timeline(mission), rows, moves)


def action_refusals(mission: Mission, actions: tuple[str, ...]) -> dict[str, str | None]:
    """`action_refusal` of each action by its value (for a page offering several), reading the dates once."""
    dates = phase_dates(mission)
    return {str(action): action_refusal(mission, action, dates=dates) for action in actions}
