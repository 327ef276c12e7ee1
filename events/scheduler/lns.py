"""Large-neighbourhood search: free about a hundred meetings, re-solve them exactly with CP-SAT while
everything else stays put, keep the result when it is lexicographically no worse.

Neighbourhoods come first from what is wrong (a required meeting left out, a participant above the
fairness cap, in that order, each tried once), then from a seeded random generator: a participant
with breaks and its partners, or a window of consecutive slots in one session.

Determinism: every round is charged to the budget's deterministic time, CP-SAT's own count plus a
modelled cost of the Python work (building the model, reading the answer), so the number of
rounds, and the schedule, depend only on the input and the seed. The wall clock stays a safety net.
"""

import random
from collections.abc import Iterator

from ortools.sat.python import cp_model

from events.scheduler import cpmodel
from events.scheduler.exact import DET_PER_SECOND, Budget, hint, read_assign, run
from events.scheduler.greedy import insert_by_moving
from events.scheduler.instance import UNPLACED, Instance
from events.scheduler.polish import polish
from events.scheduler.state import Occupancy

NEIGHBOURHOOD = 100
SLICE = 0.2
TARGETED_SLICE = 1.0
# Modelled seconds of work on the 2-core machine, generous so that the deterministic budget runs out
# before the clock even when the machine is shared (measured at 400 and 2,000 firms, load ~5):
# compiling, the greedy construction and the polish per (meeting, slot) pair; a round, plus per
# free variable (building the model, CP-SAT's presolve, reading the answer).
SECONDS_PER_PAIR = 1.5e-5
SECONDS_PER_ROUND = 0.4
SECONDS_PER_VAR = 1e-4


def improve(inst: Instance, assign: list[int], budget: Budget, *, seed: int, rounds: int | None = None) -> list[int]:
    budget.det_used += SECONDS_PER_PAIR * sum(len(f) for f in inst.feasible) * DET_PER_SECOND
    rng = random.Random(seed)
    occ = Occupancy(inst, polish(inst, insert_by_moving(inst, assign)))
    breaks = inst.breaks_per_participant(occ.assign)
    for done, (free, det_time) in enumerate(_neighbourhoods(inst, occ, breaks, rng), start=1):
        if budget.exhausted() or (rounds is not None and done > rounds):
            budget.wall_hit = budget.wall_hit or budget.det_left() > 0.01  # stopped by the clock
            break
        if free:
            _resolve(inst, occ, breaks, free, budget, seed + done, det_time)
    return polish(inst, occ.assign)


def _neighbourhoods(
    inst: Instance, occ: Occupancy, breaks: list[int], rng: random.Random
) -> Iterator[tuple[list[int], float]]:
    """(meetings to free, CP-SAT deterministic time): targeted neighbourhoods first (recomputed after
    each pass, each target tried once, with a longer solve), then random ones."""
    tried: set[tuple[str, int]] = set()
    while True:
        targets = [t for t in _targets(inst, occ, breaks) if t not in tried]
        if not targets:
            break
        for target in targets:
            tried.add(target)
            kind, ident = target
            if kind == "meeting" and occ.assign[ident] == UNPLACED:
                yield _around_meeting(inst, ident), TARGETED_SLICE
            elif kind == "person" and _above_cap(inst, breaks, ident):
                yield _around_broken(inst, ident, occ), TARGETED_SLICE
    while True:
        yield _random_neighbourhood(inst, occ, breaks, rng), SLICE


def _targets(inst: Instance, occ: Occupancy, breaks: list[int]) -> list[tuple[str, int]]:
    required = [("meeting", m) for m in range(inst.n_meetings)
                if inst.required[m] and inst.feasible[m] and occ.assign[m] == UNPLACED]  # fmt: skip
    unfair = sorted((p for p in range(len(inst.people)) if _above_cap(inst, breaks, p)), key=lambda p: (-breaks[p], p))
    return required + [("person", p) for p in unfair]


def _above_cap(inst: Instance, breaks: list[int], p: int) -> bool:
    # The cap counts from the fewest breaks anyone has, which is 0 in any sizeable mission.
    cap = inst.problem.max_break_spread
    return cap is not None and breaks[p] > cap


def _random_neighbourhood(inst: Instance, occ: Occupancy, breaks: list[int], rng: random.Random) -> list[int]:
    if rng.random() < 0.5:
        broken = [p for p, b in enumerate(breaks) if b]
        p = rng.choice(broken) if broken and rng.random() < 0.8 else rng.randrange(len(inst.people))
        return _around_participant(inst, p, rng)
    return _slot_window(inst, occ, rng)


def _around_meeting(inst: Instance, m: int) -> list[int]:
    """The meeting, its participants' meetings, then their partners' meetings in its slots."""
    chosen = [m]
    seen = {m}
    slots = set(inst.feasible[m])
    partners = sorted({q for p in inst.members[m] for x in inst.meetings_of[p] for q in inst.members[x]})
    own = [x for p in inst.members[m] for x in inst.meetings_of[p]]
    nearby = [x for q in partners for x in inst.meetings_of[q] if slots.intersection(inst.feasible[x])]
    for group in (own, nearby):
        for x in group:
            if x not in seen and inst.feasible[x] and len(chosen) < NEIGHBOURHOOD:
                seen.add(x)
                chosen.append(x)
    return chosen


def _around_broken(inst: Instance, p: int, occ: Occupancy) -> list[int]:
    """p's meetings, then its partners' meetings in the sessions where p has a break."""
    own = [m for m in inst.meetings_of[p] if inst.feasible[m]]
    busy = sorted(t for t in range(inst.n_slots) if occ.load[p][t])
    gaps = {inst.session[a] for a, b in zip(busy, busy[1:], strict=False) if b > a + 1 and inst.same_session(a, b)}
    partners = {q for m in own for q in inst.members[m] if q != p}
    nearby = sorted({x for q in partners for x in inst.meetings_of[q]
                     if occ.assign[x] != UNPLACED and inst.session[occ.assign[x]] in gaps} - set(own))  # fmt: skip
    return own + nearby[: max(0, NEIGHBOURHOOD - len(own))]


def _around_participant(inst: Instance, p: int, rng: random.Random) -> list[int]:
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


def _resolve(
    inst: Instance, occ: Occupancy, breaks: list[int], free: list[int], budget: Budget, seed: int, det_time: float
) -> None:
    before = [occ.assign[m] for m in free]
    touched = sorted({p for m in free for p in inst.members[m]})
    old = _local_score(inst, occ, free, touched)
    for m in free:
        if occ.assign[m] != UNPLACED:
            occ.remove(m)
    options = cpmodel.Options(mode="combined", break_cap=inst.problem.max_break_spread)
    built = cpmodel.build(inst, free, occ, options)
    hint(built, _with(occ.assign, free, before))
    status, solver = run(built, budget, seed=seed, det_time=det_time)
    budget.det_used += (SECONDS_PER_ROUND + SECONDS_PER_VAR * len(built.x)) * DET_PER_SECOND
    after = before
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solved = read_assign(inst, built, solver, occ.assign)
        after = [solved[m] for m in free]
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
