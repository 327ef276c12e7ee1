"""Exact re-solves of windows of consecutive slots: the meetings in a window are re-placed inside it
by CP-SAT (everything else stays), fewest (fairness excess, breaks) over the whole schedule.

Why windows: the annealed schedules of the tight B2B events are local optima of single moves and
Kempe swaps, and of CP-SAT neighbourhoods that free a hundred meetings to go anywhere (too hard to
solve in a fraction of a unit). Kept inside eight consecutive slots, the meetings of a window make
a model CP-SAT solves to optimality in a few hundredths of a unit, and a sweep of such windows
rearranges the blocks of the whole day (forum-13crafc.forb0003.s1: 11 -> 5 breaks in 3 CPU seconds).
"""

import dataclasses
from collections.abc import Callable

from events.scheduler.instance import UNPLACED, Instance
from events.scheduler.state import Occupancy

WIDTH = 8


def window(inst: Instance, assign: list[int], first: int, width: int) -> tuple[Instance, list[int], Occupancy]:
    """(the instance with the window's meetings kept inside it, those meetings, the rest placed)."""
    slots = set(range(first, first + width))
    free = [m for m, t in enumerate(assign) if t in slots and len(inst.feasible[m]) > 1]
    chosen = set(free)
    feasible = [[t for t in f if t in slots] if m in chosen else f for m, f in enumerate(inst.feasible)]
    sub = dataclasses.replace(inst, feasible=feasible)
    return sub, free, Occupancy(sub, [UNPLACED if m in chosen else t for m, t in enumerate(assign)])


def sweep(
    inst: Instance,
    assign: list[int],
    resolve: Callable[[int, int, list[int]], list[int] | None],
    score: Callable[[list[int]], tuple[int, int]],
    stop: Callable[[], bool],
    width: int = WIDTH,
) -> list[int]:
    """Windows from the first slot to the last, again while a sweep improves; `resolve(first, width,
    assign)` is a schedule or None, kept when it scores lower."""
    best, width = list(assign), min(width, inst.n_slots)
    improved = True
    while improved:
        improved = False
        for first in range(inst.n_slots - width + 1):
            if stop():
                return best
            candidate = resolve(first, width, best)
            if candidate is not None and score(candidate) < score(best):
                best, improved = candidate, True
    return best
