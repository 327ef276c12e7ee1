"""Fast local moves on a schedule in pure Python: one meeting to another slot where it fits, or two
meetings of one participant trading slots, kept when (fairness excess, breaks) goes down. The
placed meetings never change, so weight and required meetings are kept as they are.

Fairness excess counts breaks above the cap, the cap counted from 0 breaks (someone in any
sizeable mission has none). Deterministic: participants and meetings are visited in index order.
"""

import time

from events.scheduler.instance import UNPLACED, Instance
from events.scheduler.state import Occupancy


def polish(inst: Instance, assign: list[int], *, passes: int = 3, deadline: float | None = None) -> list[int]:
    """`deadline` (time.monotonic()): stop there, keeping the moves made so far."""
    occ = Occupancy(inst, assign)
    breaks = inst.breaks_per_participant(occ.assign)
    pinned = [m.pinned for m in inst.problem.meetings]
    for _ in range(passes):
        improved = False
        for p in sorted(range(len(inst.people)), key=lambda q: (-breaks[q], q)):
            if breaks[p] == 0 or (deadline is not None and time.monotonic() > deadline):
                break
            for m in inst.meetings_of[p]:
                if occ.assign[m] != UNPLACED and not pinned[m]:
                    improved |= _move(inst, occ, breaks, m) or _swap(inst, occ, breaks, p, m, pinned)
        if not improved:
            break
    return occ.assign


def _cost(inst: Instance, breaks: list[int] | dict[int, int], members: list[int]) -> tuple[int, int]:
    cap = inst.problem.max_break_spread
    excess = 0 if cap is None else sum(max(0, breaks[p] - cap) for p in members)
    return excess, sum(breaks[p] for p in members)


def _refresh(inst: Instance, occ: Occupancy, breaks: list[int], people: list[int]) -> None:
    for p in people:
        row = occ.load[p]
        breaks[p] = inst.breaks([t for t in range(inst.n_slots) if row[t]])


def _move(inst: Instance, occ: Occupancy, breaks: list[int], m: int) -> bool:
    t = occ.assign[m]
    members = list(inst.members[m])
    before = _cost(inst, breaks, members)
    occ.remove(m)
    best, best_cost = t, before
    for s in inst.feasible[m]:
        if s != t and occ.fits(m, s):
            trial = {p: breaks[p] - occ.break_delta(p, t) + occ.break_delta(p, s) for p in members}
            cost = _cost(inst, trial, members)
            if cost < best_cost:
                best, best_cost = s, cost
    occ.place(m, best)
    if best != t:
        _refresh(inst, occ, breaks, members)
    return best != t


def _swap(inst: Instance, occ: Occupancy, breaks: list[int], p: int, m: int, pinned: list[bool]) -> bool:
    """m and another meeting of p trade slots, when both fit in the other's slot."""
    t = occ.assign[m]
    for n in inst.meetings_of[p]:
        s = occ.assign[n]
        if n == m or s in (UNPLACED, t) or pinned[n] or s not in inst.feasible[m] or t not in inst.feasible[n]:
            continue
        people = sorted(set(inst.members[m]) | set(inst.members[n]))
        before = _cost(inst, breaks, people)
        occ.remove(m)
        occ.remove(n)
        if occ.fits(m, s):
            occ.place(m, s)
            if occ.fits(n, t):
                occ.place(n, t)
                saved = [breaks[q] for q in people]
                _refresh(inst, occ, breaks, people)
                if _cost(inst, breaks, people) < before:
                    return True
                for q, b in zip(people, saved, strict=True):
                    breaks[q] = b
                occ.remove(n)
            occ.remove(m)
        occ.place(m, t)
        occ.place(n, s)
    return False
