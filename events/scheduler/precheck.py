"""Before solving: the meetings that fixed meetings and unavailability make impossible, and why.

`precheck(problem)` reads the problem only (no search), so an organiser learns before computing
which requested meetings cannot all be placed and which constraint is in the way. Kinds:

- `no_common_slot`, `pinned`, `table_conflict`: one meeting has no slot at all; the finding's
  message is the scheduler's own reason (instance.compile_problem), and the solver leaves that
  meeting out with the same kind and words (reasons.py).
- `fixed_over_capacity`: fixed (pinned) meetings of one participant in one slot exceed what it
  holds there (its delegates present); the solver leaves `count - limit` of them out as `capacity`.
- `fixed_table_clash`: fixed meetings need the same table in one slot; all but one are left out
  as `tables`.
- `fixed_over_tables`: more fixed meetings in a slot than it has tables; `count - limit` are left
  out as `tables`.
- `required_over_seats`: a participant has more must-meet (required or fixed) meetings than seats
  (slots × delegates present) in the slots those meetings may use: `count - limit` of them stay out.
- `over_seats`: the same for all its meetings (reported when the must-meet ones alone fit).
  Neither is reported for a participant already named by `fixed_over_capacity`.

Each finding names its meetings, and where it applies the participant, the slot, the number of
meetings (`count`) and the room for them (`limit`); `message` says it in English for programs and
logs (the product words it from those fields, translated).
"""

from collections import defaultdict
from dataclasses import dataclass

from events.scheduler.instance import Instance, compile_problem
from events.scheduler.model import Id, Problem
from events.scheduler.reasons import static_kind

# What the solver reports for the meetings a finding leaves out (None: its usual reasons vary).
SOLVER_KIND: dict[str, str | None] = {
    "no_common_slot": "no_common_slot",
    "pinned": "pinned",
    "table_conflict": "table_conflict",
    "fixed_over_capacity": "capacity",
    "fixed_table_clash": "tables",
    "fixed_over_tables": "tables",
    "required_over_seats": None,
    "over_seats": None,
}


@dataclass(frozen=True)
class Finding:
    kind: str
    meetings: tuple[Id, ...]
    message: str
    participant: Id | None = None
    slot: Id | None = None
    count: int = 0
    limit: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind, "meetings": list(self.meetings), "participant": self.participant, "slot": self.slot,
            "count": self.count, "limit": self.limit, "message": self.message,
        }  # fmt: skip


def precheck(problem: Problem, inst: Instance | None = None) -> list[Finding]:
    """Every finding, in this order: meetings without a slot, clashes of fixed meetings (by slot),
    participants with more meetings than seats."""
    inst = inst or compile_problem(problem)
    found = [_no_slot(inst, m, reason) for m, reason in sorted(inst.no_slot_reason.items())]
    fixed = [m for m, meeting in enumerate(problem.meetings) if meeting.pinned and inst.feasible[m]]
    found += _fixed_clashes(inst, fixed)
    # A participant whose fixed meetings already overflow a slot is named once, for that slot.
    found += _seats(inst, skip={f.participant for f in found if f.kind == "fixed_over_capacity"})
    return found


def _no_slot(inst: Instance, m: int, reason: str) -> Finding:
    """A meeting without any slot; a fixed one names its slot, and the participant away there if any."""
    meeting = inst.problem.meetings[m]
    away = None
    if meeting.slot is not None:
        people = {p.id: p for p in inst.problem.participants}
        away = next((pid for pid in meeting.participants if meeting.slot in people[pid].away), None)
    return Finding(static_kind(reason), (meeting.id,), f"meeting {meeting.id!r}: {reason}", away, meeting.slot)


def _fixed_clashes(inst: Instance, fixed: list[int]) -> list[Finding]:
    ids = [m.id for m in inst.problem.meetings]
    by_person: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    by_table: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    by_slot: defaultdict[int, list[int]] = defaultdict(list)
    for m in fixed:
        t = inst.feasible[m][0]
        by_slot[t].append(m)
        for p in inst.members[m]:
            by_person[p, t].append(m)
        if inst.table_of[m] is not None:
            by_table[inst.table_of[m], t].append(m)  # type: ignore[index]
    found = []
    for (p, t), ms in sorted(by_person.items(), key=lambda item: (item[0][1], item[0][0])):
        limit = inst.capacity_at[p][t]
        if len(ms) > limit:
            who, sid = inst.people[p], inst.slot_ids[t]
            found.append(Finding(
                "fixed_over_capacity", tuple(ids[m] for m in ms),
                f"{len(ms)} meetings of {who!r} are fixed in slot {sid!r}, where it holds {limit} at once",
                participant=who, slot=sid, count=len(ms), limit=limit,
            ))  # fmt: skip
    for (table, t), ms in sorted(by_table.items(), key=lambda item: (item[0][1], item[0][0])):
        if len(ms) > 1:
            sid = inst.slot_ids[t]
            found.append(Finding(
                "fixed_table_clash", tuple(ids[m] for m in ms),
                f"{len(ms)} meetings are fixed at table {table} in slot {sid!r}", slot=sid, count=len(ms), limit=1,
            ))  # fmt: skip
    for t, ms in sorted(by_slot.items()):
        if len(ms) > inst.tables[t]:
            sid = inst.slot_ids[t]
            found.append(Finding(
                "fixed_over_tables", tuple(ids[m] for m in ms),
                f"{len(ms)} meetings are fixed in slot {sid!r}, which has {inst.tables[t]} tables",
                slot=sid, count=len(ms), limit=inst.tables[t],
            ))  # fmt: skip
    return found


def _seats(inst: Instance, skip: set[Id | None]) -> list[Finding]:
    """A participant's meetings against its seats in the slots they may use (a relaxation: when
    this finds nothing, the meetings may still not all fit together)."""
    ids = [m.id for m in inst.problem.meetings]
    found = []
    for p, ms in enumerate(inst.meetings_of):
        if inst.people[p] in skip:
            continue
        ms = [m for m in ms if inst.feasible[m]]
        must = [m for m in ms if inst.required[m]]
        for kind, group in (("required_over_seats", must), ("over_seats", ms)):
            usable = {t for m in group for t in inst.feasible[m]}
            seats = sum(inst.capacity_at[p][t] for t in usable)
            if len(group) > seats:
                who, what = inst.people[p], "must-meet meetings" if kind == "required_over_seats" else "meetings"
                found.append(Finding(
                    kind, tuple(ids[m] for m in group),
                    f"{who!r} has {len(group)} {what} but only {seats} seats in the slots they may use",
                    participant=who, count=len(group), limit=seats,
                ))  # fmt: skip
                break
    return found
