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
    """Required first, then by weight, then the meeting with the fewest slots to choose from."""
    degree = [len(ms) for ms in inst.meetings_of]
    return sorted(
        (m for m in range(inst.n_meetings) if inst.feasible[m]),
        key=lambda m: (not inst.required[m], -inst.weight[m], len(inst.feasible[m]),
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
