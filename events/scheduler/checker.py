"""Independent validator: does a solution obey the problem's hard rules, and what are its figures?

Written apart from the solver on purpose (it shares only the dataclasses), so that a bug in the
solver's bookkeeping cannot hide itself. `check` returns violations; `recompute` the figures.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from events.scheduler.model import Id, Meeting, Participant, Problem, Solution


@dataclass(frozen=True)
class Violation:
    kind: str
    meeting: Id | None
    message: str

    def __str__(self) -> str:
        return self.message


def check(problem: Problem, solution: Solution) -> list[Violation]:
    """Every broken hard rule; an empty list means the solution is valid."""
    found: list[Violation] = []
    meetings = {m.id: m for m in problem.meetings}
    found += _accounting(problem, solution)
    placed = [p for p in solution.meetings if p.id in meetings]
    slots = {s.id for s in problem.slots}
    people = {p.id: p for p in problem.participants}
    for placement in placed:
        found += _placement_rules(problem, meetings[placement.id], placement.slot, placement.table, slots, people)
    found += _capacity(problem, solution, meetings)
    found += _tables(problem, solution)
    return found


def _accounting(problem: Problem, solution: Solution) -> list[Violation]:
    found = []
    known = {m.id for m in problem.meetings}
    listed = Counter([p.id for p in solution.meetings] + [u.id for u in solution.unscheduled])
    for ident, count in listed.items():
        if ident not in known:
            found.append(Violation("unknown_meeting", ident, f"meeting {ident!r} is not in the problem"))
        elif count > 1:
            found.append(Violation("duplicate", ident, f"meeting {ident!r} is listed {count} times"))
    for ident in sorted(known - set(listed), key=str):
        found.append(Violation("missing", ident, f"meeting {ident!r} is neither placed nor listed as unscheduled"))
    for u in solution.unscheduled:
        if u.id in known and not u.reason.strip():
            found.append(Violation("no_reason", u.id, f"meeting {u.id!r} is unscheduled without a reason"))
    return found


def _placement_rules(
    problem: Problem, meeting: Meeting, slot: Id, table: int, slots: set[Id], people: dict[Id, Participant]
) -> list[Violation]:
    ident = meeting.id
    if slot not in slots:
        return [Violation("unknown_slot", ident, f"meeting {ident!r} is in unknown slot {slot!r}")]
    found = []
    for pid in meeting.participants:
        if slot in people[pid].away:
            found.append(Violation("unavailable", ident, f"meeting {ident!r}: {pid!r} is unavailable in slot {slot!r}"))
        fixed = people[pid].fixed_table
        if fixed is not None and table != fixed:
            found.append(
                Violation(
                    "fixed_table", ident, f"meeting {ident!r} is at table {table}, but {pid!r} hosts at table {fixed}"
                )
            )  # noqa: E501
    if meeting.allowed_slots is not None and slot not in meeting.allowed_slots:
        found.append(
            Violation("not_allowed", ident, f"meeting {ident!r} is in slot {slot!r}, outside its allowed slots")
        )
    if meeting.slot is not None and slot != meeting.slot:
        found.append(
            Violation("pinned", ident, f"meeting {ident!r} is pinned to slot {meeting.slot!r} but placed in {slot!r}")
        )  # noqa: E501
    if meeting.table is not None and table != meeting.table:
        found.append(
            Violation("pinned", ident, f"meeting {ident!r} is pinned to table {meeting.table} but placed at {table}")
        )  # noqa: E501
    if not 1 <= table <= problem.tables.get(slot, 0):
        found.append(Violation("no_table", ident, f"meeting {ident!r}: slot {slot!r} has no table {table}"))
    return found


def _capacity(problem: Problem, solution: Solution, meetings: dict) -> list[Violation]:  # type: ignore[type-arg]
    load: Counter[tuple[Id, Id]] = Counter()
    for p in solution.meetings:
        if p.id in meetings:
            for pid in meetings[p.id].participants:
                load[pid, p.slot] += 1
    # A slot's own capacity (delegates away); an unavailable slot is reported as such, not as 0 here.
    seats = {p.id: (p.capacity, p.slot_capacity) for p in problem.participants}

    def limit(pid: Id, slot: Id) -> int:
        capacity, per_slot = seats[pid]
        return min(capacity, per_slot.get(slot, capacity)) or capacity

    return [
        Violation("capacity", None, f"{pid!r} is in {n} meetings in slot {slot!r} but has capacity {limit(pid, slot)}")
        for (pid, slot), n in sorted(load.items(), key=str)
        if n > limit(pid, slot)
    ]


def _tables(problem: Problem, solution: Solution) -> list[Violation]:
    at: defaultdict[tuple[Id, int], list[Id]] = defaultdict(list)
    for p in solution.meetings:
        at[p.slot, p.table].append(p.id)
    return [
        Violation("table_clash", ids[0], f"table {table} in slot {slot!r} holds {len(ids)} meetings: {ids!r}")
        for (slot, table), ids in sorted(at.items(), key=str)
        if len(ids) > 1
    ]


def participant_breaks(problem: Problem, solution: Solution) -> dict[Id, int]:
    """Per participant: idle gaps between two of its meetings in the same session."""
    meetings = {m.id: m for m in problem.meetings}
    position = {s.id: i for i, s in enumerate(problem.slots)}
    session = {s.id: s.session for s in problem.slots}
    busy: defaultdict[Id, set[Id]] = defaultdict(set)
    for p in solution.meetings:
        if p.id in meetings and p.slot in position:
            for pid in meetings[p.id].participants:
                busy[pid].add(p.slot)
    result = {}
    for participant in problem.participants:
        slots = sorted(busy[participant.id], key=position.__getitem__)
        result[participant.id] = sum(
            1 for a, b in zip(slots, slots[1:], strict=False)
            if session[a] == session[b] and position[b] - position[a] > 1
        )  # fmt: skip
    return result


def recompute(problem: Problem, solution: Solution) -> dict[str, object]:
    """The figures a solution should report, recomputed from scratch."""
    meetings = {m.id: m for m in problem.meetings}
    placed = [p.id for p in solution.meetings if p.id in meetings]
    per = participant_breaks(problem, solution)
    spread = max(per.values(), default=0) - min(per.values(), default=0)
    return {
        "placed": len(placed),
        "weight": sum(meetings[i].weight for i in placed),
        "breaks": sum(per.values()),
        "max_breaks": max(per.values(), default=0),
        "break_spread": spread,
        "required_placed": sum(1 for i in placed if meetings[i].required),
        "fairness_ok": problem.max_break_spread is None or spread <= problem.max_break_spread,
    }
