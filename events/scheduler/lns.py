"""Large-neighbourhood search: free about a hundred meetings, re-solve them exactly with CP-SAT while
everything else stays put, keep the result when it is lexicographically no worse.

Neighbourhoods come first from what is wrong (a required meeting left out, a participant above the
fairness cap, in that order, each tried once), then from a seeded random generator: a participant
with breaks and its partners, or a window of consecutive slots in one session. A participant above
the cap is repaired in two steps: its own meetings alone (its partners' schedules stay, so the
model is small and CP-SAT with its LP relaxation solves it at once), then with its partners'
meetings in the sessions where it has a break. The same repair runs once more at the end, after
the last pass that places what still fits (a meeting placed there may add a break).

Determinism: every round is charged to the budget's deterministic time, CP-SAT's own count plus a
modelled cost of the Python work (building the model, reading the answer), so the number of
rounds, and the schedule, depend only on the input and the seed. The modelled costs are CPU seconds
measured on the 2-core machine, multiplied by LOAD_MARGIN: the planned work fits the time limit
even when the process gets only 1/LOAD_MARGIN of a core, so the wall clock (the safety net) does
not stop it on a shared machine.
"""

import random
from collections.abc import Iterator

from ortools.sat.python import cp_model

from events.scheduler import cpmodel
from events.scheduler.exact import DET_PER_SECOND, Budget, hint, read_assign, run
from events.scheduler.greedy import fill, insert_by_moving
from events.scheduler.instance import UNPLACED, Instance
from events.scheduler.polish import polish
from events.scheduler.state import Occupancy

NEIGHBOURHOOD = 100
SLICE = 0.2
TARGETED_SLICE = 1.0
# CP-SAT's LP relaxation level: 2 solves the fairness repairs in a few hundredths of a unit where
# the default (0) stalls for seconds; the default stays better on the random neighbourhoods.
REPAIR_LINEARIZATION = 2
# CPU seconds of work, measured on the 2-core machine at 400 and 2,000 firms and rounded up to what
# it costs there under load: compiling, the constructions, the polish passes and writing the
# solution, per (meeting, slot) pair; a round, plus per free variable (building the model, reading
# the answer); per unit of CP-SAT's own deterministic time.
SECONDS_PER_PAIR = 1.2e-5
SECONDS_PER_ROUND = 0.015
SECONDS_PER_VAR = 5e-5
SECONDS_PER_DET = 1.5
# Planned work = time limit / LOAD_MARGIN CPU seconds: with the load average at 4-5 on 2 cores a
# process gets a little under half a core.
LOAD_MARGIN = 2.5
# Deterministic budget kept back for the repair of the fairness cap at the end (CPU seconds).
REPAIR_RESERVE = 1.0


def improve(inst: Instance, assign: list[int], budget: Budget, *, seed: int, rounds: int | None = None) -> list[int]:
    _charge(budget, SECONDS_PER_PAIR * sum(len(f) for f in inst.feasible) + REPAIR_RESERVE)
    rng = random.Random(seed)
    # The Python passes stop at the wall-clock deadline too (their work is charged, not clocked).
    moved = insert_by_moving(inst, assign, deadline=budget.deadline)
    occ = Occupancy(inst, polish(inst, moved, deadline=budget.deadline))
    breaks = inst.breaks_per_participant(occ.assign)
    for done, (free, det_time, linearization) in enumerate(_neighbourhoods(inst, occ, breaks, rng), start=1):
        if rounds is not None and done > rounds:
            break
        if budget.exhausted():
            break
        if free:
            _resolve(inst, occ, breaks, free, budget, seed + done, det_time, linearization)
        else:  # an empty neighbourhood still costs its round: without the clock, nothing else ends the loop
            _charge(budget, SECONDS_PER_ROUND)
    _charge(budget, -REPAIR_RESERVE)
    occ = Occupancy(inst, polish(inst, fill(inst, occ.assign), deadline=budget.deadline))
    repair_fairness(inst, occ, inst.breaks_per_participant(occ.assign), budget, seed=seed)
    return occ.assign


def repair_fairness(inst: Instance, occ: Occupancy, breaks: list[int], budget: Budget, *, seed: int) -> None:
    """Bring every participant above the cap within it where the meetings allow, never dropping one
    (`breaks` per participant is kept in step)."""
    for p in sorted((p for p in range(len(inst.people)) if _above_cap(inst, breaks, p)), key=lambda p: (-breaks[p], p)):
        for widen in (False, True):
            if not _above_cap(inst, breaks, p):
                break
            if budget.exhausted():
                return
            free = _around_broken(inst, p, occ) if widen else _own(inst, p)
            _resolve(inst, occ, breaks, free, budget, seed + p, TARGETED_SLICE, REPAIR_LINEARIZATION)


def _charge(budget: Budget, cpu_seconds: float) -> None:
    budget.det_used += cpu_seconds * LOAD_MARGIN * DET_PER_SECOND


def _neighbourhoods(
    inst: Instance, occ: Occupancy, breaks: list[int], rng: random.Random
) -> Iterator[tuple[list[int], float, int]]:
    """(meetings to free, CP-SAT deterministic time, linearization): targeted neighbourhoods first
    (recomputed after each pass, each target tried once, with a longer solve), then random ones."""
    tried: set[tuple[str, int]] = set()
    while True:
        targets = [t for t in _targets(inst, occ, breaks) if t not in tried]
        if not targets:
            break
        for target in targets:
            tried.add(target)
            kind, ident = target
            if kind == "meeting" and occ.assign[ident] == UNPLACED:
                yield _around_meeting(inst, ident), TARGETED_SLICE, 0
            elif kind == "own" and _above_cap(inst, breaks, ident):
                yield _own(inst, ident), TARGETED_SLICE, REPAIR_LINEARIZATION
            elif kind == "person" and _above_cap(inst, breaks, ident):
                yield _around_broken(inst, ident, occ), TARGETED_SLICE, REPAIR_LINEARIZATION
    while True:
        yield _random_neighbourhood(inst, occ, breaks, rng), SLICE, 0


def _targets(inst: Instance, occ: Occupancy, breaks: list[int]) -> list[tuple[str, int]]:
    required = [("meeting", m) for m in range(inst.n_meetings)
                if inst.required[m] and inst.feasible[m] and occ.assign[m] == UNPLACED]  # fmt: skip
    unfair = sorted((p for p in range(len(inst.people)) if _above_cap(inst, breaks, p)), key=lambda p: (-breaks[p], p))
    return required + [(kind, p) for p in unfair for kind in ("own", "person")]


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


def _own(inst: Instance, p: int) -> list[int]:
    return [m for m in inst.meetings_of[p] if inst.feasible[m]]


def _around_broken(inst: Instance, p: int, occ: Occupancy) -> list[int]:
    """p's meetings, then its partners' meetings in the sessions where p has a break."""
    own = _own(inst, p)
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
    inst: Instance,
    occ: Occupancy,
    breaks: list[int],
    free: list[int],
    budget: Budget,
    seed: int,
    det_time: float,
    linearization: int,
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
    status, solver = run(built, budget, seed=seed, det_time=det_time, linearization=linearization)
    cpsat_det = solver.response_proto.deterministic_time  # already charged once by run()
    _charge(budget, SECONDS_PER_ROUND + SECONDS_PER_VAR * len(built.x) + SECONDS_PER_DET * cpsat_det)
    budget.det_used -= cpsat_det
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
