"""Large-neighbourhood search: free a few hundred meetings, re-solve them exactly with CP-SAT while
everything else stays put, keep the result when it is lexicographically no worse.

Neighbourhoods are drawn from a seeded random generator: a participant with breaks and its
partners, or a window of consecutive slots in one session. Each sub-solve is short and stops on
deterministic time, so a run is reproducible for a given seed.
"""

import random

from ortools.sat.python import cp_model

from events.scheduler import cpmodel
from events.scheduler.exact import Budget, hint, read_assign, run
from events.scheduler.instance import UNPLACED, Instance
from events.scheduler.state import Occupancy

NEIGHBOURHOOD = 120
SLICE = 0.25


def improve(inst: Instance, assign: list[int], budget: Budget, *, seed: int, rounds: int | None = None) -> list[int]:
    rng = random.Random(seed)
    occ = Occupancy(inst, assign)
    breaks = inst.breaks_per_participant(occ.assign)
    done = 0
    while not budget.exhausted() and (rounds is None or done < rounds):
        done += 1
        free = _neighbourhood(inst, occ, breaks, rng)
        if free:
            _resolve(inst, occ, breaks, free, budget, seed + done)
    return occ.assign


def _neighbourhood(inst: Instance, occ: Occupancy, breaks: list[int], rng: random.Random) -> list[int]:
    if rng.random() < 0.5:
        return _around_participant(inst, occ, breaks, rng)
    return _slot_window(inst, occ, rng)


def _around_participant(inst: Instance, occ: Occupancy, breaks: list[int], rng: random.Random) -> list[int]:
    broken = [p for p, b in enumerate(breaks) if b]
    p = rng.choice(broken) if broken and rng.random() < 0.8 else rng.randrange(len(inst.people))
    chosen: list[int] = []
    seen: set[int] = set()
    partners = sorted({q for m in inst.meetings_of[p] for q in inst.members[m] if q != p})
    rng.shuffle(partners)
    for q in [p, *partners]:
        for m in inst.meetings_of[q]:
            if m not in seen and inst.feasible[m]:
                seen.add(m)
                chosen.append(m)
        if len(chosen) >= NEIGHBOURHOOD:
            break
    return chosen[:NEIGHBOURHOOD]


def _slot_window(inst: Instance, occ: Occupancy, rng: random.Random) -> list[int]:
    t0 = rng.randrange(inst.n_slots)
    window = [t for t in range(t0, min(inst.n_slots, t0 + 4)) if inst.same_session(t0, t)]
    inside = set(window)
    placed = [m for m, t in enumerate(occ.assign) if t in inside]
    unplaced = [m for m, t in enumerate(occ.assign) if t == UNPLACED and inside.intersection(inst.feasible[m])]
    rng.shuffle(placed)
    return sorted(placed[: NEIGHBOURHOOD - min(len(unplaced), NEIGHBOURHOOD // 3)] + unplaced[: NEIGHBOURHOOD // 3])


def _resolve(inst: Instance, occ: Occupancy, breaks: list[int], free: list[int], budget: Budget, seed: int) -> None:
    before = [occ.assign[m] for m in free]
    touched = sorted({p for m in free for p in inst.members[m]})
    old = _local_score(inst, occ, free, touched)
    for m in free:
        if occ.assign[m] != UNPLACED:
            occ.remove(m)
    options = cpmodel.Options(mode="combined", break_cap=inst.problem.max_break_spread)
    built = cpmodel.build(inst, free, occ, options)
    hint(built, _with(occ.assign, free, before))
    status, solver = run(built, budget, seed=seed, det_time=SLICE)
    after = before
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        after = [read_assign(inst, built, solver, occ.assign)[m] for m in free]
    _apply(occ, free, after)
    if _local_score(inst, occ, free, touched) < old:
        _apply(occ, free, before)
    for p in touched:
        breaks[p] = inst.breaks([t for t in range(inst.n_slots) if occ.load[p][t]])


def _with(assign: list[int], free: list[int], slots: list[int]) -> list[int]:
    result = list(assign)
    for m, t in zip(free, slots, strict=True):
        result[m] = t
    return result


def _apply(occ: Occupancy, free: list[int], slots: list[int]) -> None:
    for m in free:
        if occ.assign[m] != UNPLACED:
            occ.remove(m)
    for m, t in zip(free, slots, strict=True):
        if t != UNPLACED:
            occ.place(m, t)


def _local_score(inst: Instance, occ: Occupancy, free: list[int], touched: list[int]) -> tuple[int, int, int, int]:
    """Bigger is better: required placed, weight placed, minus fairness excess, minus breaks."""
    placed = [m for m in free if occ.assign[m] != UNPLACED]
    cap = inst.problem.max_break_spread
    per = [inst.breaks([t for t in range(inst.n_slots) if occ.load[p][t]]) for p in touched]
    excess = 0 if cap is None else sum(max(0, b - cap) for b in per)
    return (sum(inst.required[m] for m in placed), sum(inst.weight[m] for m in placed), -excess, -sum(per))
