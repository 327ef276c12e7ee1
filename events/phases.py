"""The phases of a mission and what each allows: plain tables and functions over them.

A mission moves draft → registration → matching → requests → scheduling → published → live →
closed, each move an explicit organiser action (events.services.phases). An action is open in
the phases of ALLOWED; events.selectors turns that into what a person can do now and, for a
refused action, why and when it opens. Services check the same table, so a page never offers
what the service would refuse.
"""

from events.enums import MissionAction as A
from events.enums import MissionPhase as P

ORDER: tuple[str, ...] = tuple(P.values)

# Registration stays open while firms are matched and ask for meetings: late joiners are common.
# Answers and cancellations run until the mission is under way, so no request is left hanging
# when requests close; pending requests expire when the mission goes live.
ALLOWED: dict[str, frozenset[str]] = {
    A.JOIN: frozenset({P.REGISTRATION, P.MATCHING, P.REQUESTS}),
    A.EDIT_PARTICIPATION: frozenset({P.REGISTRATION, P.MATCHING, P.REQUESTS, P.SCHEDULING}),
    A.SHOW_INTEREST: frozenset({P.MATCHING, P.REQUESTS}),
    A.SEND_REQUEST: frozenset({P.REQUESTS}),
    A.ANSWER_REQUEST: frozenset({P.REQUESTS, P.SCHEDULING, P.PUBLISHED}),
    A.CANCEL_MEETING: frozenset({P.REQUESTS, P.SCHEDULING, P.PUBLISHED, P.LIVE}),
    A.SEE_AGENDA: frozenset({P.PUBLISHED, P.LIVE, P.CLOSED}),
    A.RECORD_OUTCOME: frozenset({P.PUBLISHED, P.LIVE, P.CLOSED}),
    A.ENROL: frozenset({P.DRAFT, P.REGISTRATION, P.MATCHING, P.REQUESTS, P.SCHEDULING}),
    A.RUN_MATCHING: frozenset({P.REGISTRATION, P.MATCHING, P.REQUESTS}),
    A.CONVERT_SUGGESTIONS: frozenset({P.MATCHING, P.REQUESTS, P.SCHEDULING}),
    A.ADD_MEETING: frozenset({P.MATCHING, P.REQUESTS, P.SCHEDULING, P.PUBLISHED, P.LIVE}),
    A.COMPUTE_SCHEDULE: frozenset({P.REQUESTS, P.SCHEDULING, P.PUBLISHED, P.LIVE}),
    A.EDIT_SCHEDULE: frozenset({P.MATCHING, P.REQUESTS, P.SCHEDULING, P.PUBLISHED, P.LIVE}),
    A.PUBLISH: frozenset({P.REQUESTS, P.SCHEDULING, P.PUBLISHED, P.LIVE}),
}

# Who does each action: the firms taking part, or the mission's organisers.
FIRM_ACTIONS: tuple[str, ...] = (
    A.JOIN, A.EDIT_PARTICIPATION, A.SHOW_INTEREST, A.SEND_REQUEST, A.ANSWER_REQUEST, A.CANCEL_MEETING,
    A.SEE_AGENDA, A.RECORD_OUTCOME,
)  # fmt: skip
ORGANISER_ACTIONS: tuple[str, ...] = (
    A.ENROL, A.RUN_MATCHING, A.CONVERT_SUGGESTIONS, A.ADD_MEETING, A.COMPUTE_SCHEDULE, A.EDIT_SCHEDULE, A.PUBLISH,
)  # fmt: skip

# The published phase is entered by publishing a schedule (events.services.schedule), not by a move.
ENTERED_BY_PUBLISHING = P.PUBLISHED


def allows(phase: str, action: str) -> bool:
    return phase in ALLOWED[action]


def position(phase: str) -> int:
    return ORDER.index(phase)


def opens_in(phase: str, action: str) -> str | None:
    """The first later phase in which `action` is allowed; None when it never opens again."""
    return next((p for p in ORDER[position(phase) + 1 :] if p in ALLOWED[action]), None)


def closed_since(phase: str, action: str) -> str | None:
    """The phase whose start closed `action`: the one after the last earlier phase allowing it."""
    earlier = [i for i, p in enumerate(ORDER[: position(phase)]) if p in ALLOWED[action]]
    return ORDER[earlier[-1] + 1] if earlier else None


def moves(phase: str, *, published: bool) -> list[str]:
    """The phases an organiser can move to from `phase`, in order.

    Forward to any later phase up to scheduling (a mission may skip matching), one step back
    while nothing is published, live once a schedule is published, and closed from any phase
    but draft (a mission called off). `published` says whether a schedule version exists.
    """
    here = position(phase)
    targets: set[str] = set()
    if phase == P.DRAFT:
        targets.add(P.REGISTRATION)
    elif here < position(P.PUBLISHED):
        targets.update(p for p in ORDER[here + 1 : position(P.PUBLISHED)])
        if not published:
            targets.add(ORDER[here - 1])
        else:
            targets.add(P.LIVE)
    elif phase == P.PUBLISHED:
        targets.add(P.LIVE)
    if phase not in (P.DRAFT, P.CLOSED):
        targets.add(P.CLOSED)
    return [p for p in ORDER if p in targets]


def opened_by(old: str, new: str) -> list[str]:
    """Actions that `new` allows and `old` did not."""
    return [a for a in ALLOWED if allows(new, a) and not allows(old, a)]


def closed_by(old: str, new: str) -> list[str]:
    """Actions that `old` allowed and `new` does not."""
    return [a for a in ALLOWED if allows(old, a) and not allows(new, a)]
