"""Greedy schedules: the plain baseline, and the break-aware construction our solver starts from.

Both take meetings in priority order (required, then heavier, then the hardest to place) and put
each in one slot where it fits; neither ever moves a meeting placed earlier.
"""

import time

from events.scheduler.assemble import assemble
from events.scheduler.instance import UNPLACED, Instance, compile_problem
from events.scheduler.model import Problem, Solution
from events.scheduler.state import Occupancy


def priority_order(inst: Instance) -> list[int]:
    """Pinned first (they have no other slot), then required, then by weight, then the meeting with
    the fewest slots to choose from, then the one whose participants are busiest."""
    degree = [len(ms) for ms in inst.meetings_of]
    pinned = [m.pinned for m in inst.problem.meetings]
    return sorted(
        (m for m in range(inst.n_meetings) if inst.feasible[m]),
        key=lambda m: (not pinned[m], not inst.required[m], -inst.weight[m], len(inst.feasible[m]),
                       -max(degree[p] for p in inst.members[m]), m),
    )  # fmt: skip


def plain_assign(inst: Instance) -> list[int]:
    """Baseline: each meeting in the earliest slot where it fits."""
    occ = Occupancy(inst)
    for m in priority_order(inst):
        slot = next((t for t in inst.feasible[m] if occ.fits(m, t)), None)
        if slot is not None:
            occ.place(m, slot)
    return occ.assign


def compact_assign(inst: Instance) -> list[int]:
    """Each meeting in the slot that adds the fewest breaks (ties: next to the most meetings, earliest)."""
    occ = Occupancy(inst)
    for m in priority_order(inst):
        best: tuple[int, int, int] | None = None
        for t in inst.feasible[m]:
            if occ.fits(m, t):
                key = (occ.move_cost(m, t), -_neighbours(occ, m, t), t)
                best = key if best is None or key < best else best
        if best is not None:
            occ.place(m, best[2])
    return occ.assign


def _neighbours(occ: Occupancy, m: int, t: int) -> int:
    inst, count = occ.inst, 0
    for p in inst.members[m]:
        row = occ.load[p]
        count += (t > 0 and inst.same_session(t - 1, t) and row[t - 1] > 0) + (
            t + 1 < inst.n_slots and inst.same_session(t, t + 1) and row[t + 1] > 0
        )
    return count


def fill(inst: Instance, assign: list[int]) -> list[int]:
    """Place every left-out meeting that still fits somewhere (weight comes before breaks)."""
    occ = Occupancy(inst, assign)
    for m in priority_order(inst):
        if occ.assign[m] != UNPLACED:
            continue
        options = [(occ.move_cost(m, t), t) for t in inst.feasible[m] if occ.fits(m, t)]
        if options:
            occ.place(m, min(options)[1])
    return occ.assign


def greedy_schedule(problem: Problem) -> Solution:
    """The plain greedy baseline as a full solution (benchmark column)."""
    started = time.monotonic()
    inst = compile_problem(problem)
    assign = plain_assign(inst)
    return assemble(inst, assign, seconds=time.monotonic() - started, status="greedy")


def insert_by_moving(inst: Instance, assign: list[int], *, deadline: float | None = None) -> list[int]:
    """Place left-out meetings by moving what blocks them: for each (in priority order) and each of
    its slots, the meetings holding its participants' seats there move to another slot where they
    fit. Only a move that places the meeting is kept, so weight only grows (breaks may too).
    `deadline` (time.monotonic()): stop there."""
    occ = Occupancy(inst, assign)
    for m in priority_order(inst):
        if deadline is not None and time.monotonic() > deadline:
            break
        if occ.assign[m] == UNPLACED:
            for t in inst.feasible[m]:
                if _insert_at(occ, m, t):
                    break
    return occ.assign


def _insert_at(occ: Occupancy, m: int, t: int) -> bool:
    inst = occ.inst
    table = inst.table_of[m]
    if occ.tables_used[t] >= inst.tables[t] or (table is not None and (table, t) in occ.fixed_used):
        return False  # a full slot: any of its meetings could move, too many to try
    blockers = sorted({b for p in inst.members[m] if occ.load[p][t] >= inst.capacity_at[p][t] for b in _at(occ, p, t)})
    if not blockers or any(inst.required[b] and not inst.required[m] for b in blockers):
        return False
    if len(blockers) > len(inst.members[m]) or any(inst.problem.meetings[b].pinned for b in blockers):
        return False
    for b in blockers:
        occ.remove(b)
    if occ.fits(m, t):
        occ.place(m, t)
        moved = []
        for b in blockers:
            options = [(occ.move_cost(b, s), s) for s in inst.feasible[b] if s != t and occ.fits(b, s)]
            if not options:
                break
            occ.place(b, min(options)[1])
            moved.append(b)
        if len(moved) == len(blockers):
            return True
        for b in moved:
            occ.remove(b)
        occ.remove(m)
    for b in blockers:
        occ.place(b, t)
    return False


def _at(occ: Occupancy, p: int, t: int) -> list[int]:
    return [b for b in occ.inst.meetings_of[p] if occ.assign[b] == t]
