"""The problem compiled to integer indices, with the slots each meeting could use.

Slots, participants and meetings are numbered by their position in the problem. A meeting's
`table_of` is the table it must use (pinned, or a host's fixed table); every other meeting takes
any free table, so per slot it is enough to count meetings and keep each such table used once.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from events.scheduler.model import Id, Meeting, Participant, Problem

UNPLACED = -1


@dataclass
class Instance:
    problem: Problem
    slot_ids: list[Id]
    session: list[int]
    tables: list[int]
    people: list[Id]
    capacity: list[int]
    capacity_at: list[list[int]]
    members: list[tuple[int, ...]]
    weight: list[int]
    required: list[bool]
    table_of: list[int | None]
    feasible: list[list[int]]
    meetings_of: list[list[int]]
    no_slot_reason: dict[int, str] = field(default_factory=dict)

    @property
    def n_slots(self) -> int:
        return len(self.slot_ids)

    @property
    def n_meetings(self) -> int:
        return len(self.members)

    def same_session(self, a: int, b: int) -> bool:
        return self.session[a] == self.session[b]

    def breaks(self, busy: Iterable[int]) -> int:
        """Idle gaps between consecutive busy slots of one session (any length counts once)."""
        ordered = sorted(set(busy))
        return sum(1 for a, b in zip(ordered, ordered[1:], strict=False) if b > a + 1 and self.same_session(a, b))

    def busy_slots(self, assign: list[int]) -> list[list[int]]:
        busy: list[list[int]] = [[] for _ in self.people]
        for m, t in enumerate(assign):
            if t != UNPLACED:
                for p in self.members[m]:
                    busy[p].append(t)
        return busy

    def breaks_per_participant(self, assign: list[int]) -> list[int]:
        return [self.breaks(slots) for slots in self.busy_slots(assign)]


def compile_problem(problem: Problem) -> Instance:
    slot_ids = [s.id for s in problem.slots]
    slot_index = {sid: i for i, sid in enumerate(slot_ids)}
    sessions: dict[Id, int] = {}
    session = [sessions.setdefault(s.session, len(sessions)) for s in problem.slots]
    people = [p.id for p in problem.participants]
    person = {pid: i for i, pid in enumerate(people)}
    inst = Instance(
        problem=problem,
        slot_ids=slot_ids,
        session=session,
        tables=[problem.tables.get(sid, 0) for sid in slot_ids],
        people=people,
        capacity=[p.capacity for p in problem.participants],
        capacity_at=_capacity_at(problem, slot_index),
        members=[tuple(person[pid] for pid in m.participants) for m in problem.meetings],
        weight=[m.weight for m in problem.meetings],
        required=[m.required or m.pinned for m in problem.meetings],
        table_of=[None] * len(problem.meetings),
        feasible=[[] for _ in problem.meetings],
        meetings_of=[[] for _ in people],
    )
    by_id = {p.id: p for p in problem.participants}
    for m, meeting in enumerate(problem.meetings):
        for p in inst.members[m]:
            inst.meetings_of[p].append(m)
        table, reason = _table_of(meeting, by_id)
        inst.table_of[m] = table
        if reason is None:
            inst.feasible[m], reason = _feasible_slots(problem, meeting, by_id, table, slot_index)
        if reason is not None:
            inst.no_slot_reason[m] = reason
            inst.feasible[m] = []
    return inst


def _capacity_at(problem: Problem, slot_index: dict[Id, int]) -> list[list[int]]:
    """Per participant and slot, the meetings it can hold at once. Participants with the same
    capacity in every slot (nearly all) share one row, so this costs little on big missions."""
    shared: dict[int, list[int]] = {}
    rows = []
    for p in problem.participants:
        if not p.slot_capacity:
            rows.append(shared.setdefault(p.capacity, [p.capacity] * len(slot_index)))
            continue
        row = [p.capacity] * len(slot_index)
        for sid, count in p.slot_capacity.items():
            if sid in slot_index:
                row[slot_index[sid]] = max(0, min(p.capacity, count))
        rows.append(row)
    return rows


def _table_of(meeting: Meeting, by_id: dict[Id, Participant]) -> tuple[int | None, str | None]:
    hosts = {pid: by_id[pid].fixed_table for pid in meeting.participants if by_id[pid].fixed_table is not None}
    tables = set(hosts.values()) | ({meeting.table} if meeting.table is not None else set())
    if len(tables) > 1:
        where = ", ".join(f"{pid!r} hosts at table {t}" for pid, t in hosts.items())
        pinned = f"it is pinned to table {meeting.table}; " if meeting.table is not None else ""
        return None, f"its tables conflict: {pinned}{where}"
    return (tables.pop() if tables else None), None


def _feasible_slots(
    problem: Problem, meeting: Meeting, by_id: dict[Id, Participant], table: int | None, slot_index: dict[Id, int]
) -> tuple[list[int], str | None]:
    allowed = set(slot_index) if meeting.allowed_slots is None else set(meeting.allowed_slots)
    if meeting.slot is not None:
        return _pinned_slot(problem, meeting, by_id, table, allowed, slot_index)
    if not allowed:
        return [], "it has no allowed slot"
    free = {sid for sid in allowed & set(slot_index) if all(sid not in by_id[pid].away for pid in meeting.participants)}
    if not free:
        scope = "its allowed slots" if meeting.allowed_slots is not None else "the mission"
        return [], f"no common free slot: its participants are never all available in {scope}"
    with_table = [sid for sid in free if problem.tables[sid] >= (table or 1)]
    if not with_table:
        need = f"table {table}" if table is not None else "any table"
        return [], f"no common free slot has {need}"
    return sorted(slot_index[sid] for sid in with_table), None


def _pinned_slot(
    problem: Problem,
    meeting: Meeting,
    by_id: dict[Id, Participant],
    table: int | None,
    allowed: set[Id],
    slot_index: dict[Id, int],
) -> tuple[list[int], str | None]:
    sid = meeting.slot
    away = [pid for pid in meeting.participants if sid in by_id[pid].away]
    if away:
        return [], f"it is pinned to slot {sid!r}, where {', '.join(repr(p) for p in away)} is unavailable"
    if sid not in allowed:
        return [], f"it is pinned to slot {sid!r}, which is not among its allowed slots"
    if problem.tables[sid] < (table or 1):
        return [], f"it is pinned to slot {sid!r}, which has no table {table or 1}"
    return [slot_index[sid]], None
