"""Exact CP-SAT solving for small and medium problems, in two lexicographic stages.

1. Place: most required meetings, then most weight (skipped when the start already meets the bound).
2. Breaks: keep the placed meetings, choose their slots for the fewest breaks under the fairness
   cap. It asks "is there a schedule with at most B breaks?" for B = lower bound, bound + 1, ...;
   the first yes is optimal, because every smaller B was refuted. These yes/no questions are
   much easier for CP-SAT than one big minimisation (B2B benchmark: most refutations take < 1 s).
   If a question stays open, it falls back to minimising from the best schedule found.

Determinism: CP-SAT runs on one worker with a fixed seed and stops on *deterministic* time (a
count of work, not the clock), so the same input and seed give the same schedule. The wall clock
is only a safety net; `Budget.wall_hit` records when it fired (the result may then differ).
"""

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from events.scheduler import cpmodel
from events.scheduler.bounds import PlacementBound, breaks_lower_bound, placement_bound
from events.scheduler.instance import UNPLACED, Instance
from events.scheduler.state import Occupancy

# Deterministic time units per wall-clock second, measured on the B2B set on a 2-core VM.
DET_PER_SECOND = 1.6


@dataclass
class Budget:
    seconds: float
    started: float = field(default_factory=time.monotonic)
    det_used: float = 0.0
    wall_hit: bool = False

    def det_left(self) -> float:
        return self.seconds * DET_PER_SECOND - self.det_used

    def wall_left(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def exhausted(self) -> bool:
        return self.det_left() <= 0.01 or self.wall_left() <= 0.01


@dataclass
class ExactResult:
    assign: list[int]
    placement_optimal: bool
    breaks_optimal: bool
    breaks_bound: int
    notes: list[str] = field(default_factory=list)


def run(built: cpmodel.Built, budget: Budget, *, seed: int, det_time: float, linearization: int = 0):  # type: ignore[no-untyped-def]
    """Solve on one worker within `det_time` (and the wall-clock safety net); returns (status, solver)."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = seed
    params.linearization_level = linearization
    params.max_deterministic_time = max(0.01, min(det_time, budget.det_left()))
    params.max_time_in_seconds = max(0.05, budget.wall_left())
    status = solver.solve(built.model)
    response = solver.response_proto
    budget.det_used += response.deterministic_time
    if (
        status in (cp_model.UNKNOWN, cp_model.FEASIBLE)
        and response.deterministic_time < params.max_deterministic_time * 0.99
    ):
        budget.wall_hit = True
    return status, solver


def read_assign(inst: Instance, built: cpmodel.Built, solver: cp_model.CpSolver, assign: list[int]) -> list[int]:
    result = list(assign)
    free = {m for m, _ in built.x}
    for m in free:
        result[m] = UNPLACED
    for (m, t), var in built.x.items():
        if solver.boolean_value(var):
            result[m] = t
    return result


def hint(built: cpmodel.Built, assign: list[int]) -> None:
    for (m, t), var in built.x.items():
        built.model.add_hint(var, assign[m] == t)


def solve_exact(inst: Instance, start: list[int], budget: Budget, *, seed: int) -> ExactResult:
    bound = placement_bound(inst)
    assign, placement_optimal = _place(inst, start, bound, budget, seed)
    assign, optimal, lower = _min_breaks(inst, assign, budget, seed)
    return ExactResult(assign, placement_optimal, optimal and placement_optimal, lower)


def _meets_bound(inst: Instance, assign: list[int], bound: PlacementBound) -> bool:
    placed = [m for m, t in enumerate(assign) if t != UNPLACED]
    required = sum(1 for m in placed if inst.required[m])
    return required == bound.required and sum(inst.weight[m] for m in placed) == bound.weight


def _place(
    inst: Instance, start: list[int], bound: PlacementBound, budget: Budget, seed: int
) -> tuple[list[int], bool]:
    if _meets_bound(inst, start, bound):
        return start, True
    free = [m for m in range(inst.n_meetings) if inst.feasible[m]]
    built = cpmodel.build(inst, free, Occupancy(inst), cpmodel.Options(mode="place"))
    hint(built, start)
    status, solver = run(built, budget, seed=seed, det_time=budget.det_left() / 3, linearization=1)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start, False
    return read_assign(inst, built, solver, start), status == cp_model.OPTIMAL


def _min_breaks(inst: Instance, assign: list[int], budget: Budget, seed: int) -> tuple[list[int], bool, int]:
    """(assignment, proven optimal, proven lower bound on breaks) for the placed meetings."""
    placed = [m for m, t in enumerate(assign) if t != UNPLACED]
    cap = _hard_cap(inst, assign)
    best, best_breaks = assign, _total_breaks(inst, assign)
    lower = breaks_lower_bound(inst, assign)
    fair = _fair(inst, assign)
    if cap is None and inst.problem.max_break_spread is not None:
        return _minimise_breaks(inst, best, placed, budget, seed), False, lower
    while lower < best_breaks or not fair:
        if budget.exhausted():
            return best, False, lower
        options = cpmodel.Options(mode="breaks", break_cap=cap, hard_cap=cap is not None, windows=True)
        built = cpmodel.build(inst, placed, Occupancy(inst), options)
        built.model.clear_objective()
        built.model.add(built.breaks <= lower)
        # Try "no break" for each participant first: the refutations then point at who must have one.
        built.model.add_decision_strategy(built.rungs, cp_model.CHOOSE_FIRST, cp_model.SELECT_MIN_VALUE)
        status, solver = run(built, budget, seed=seed, det_time=max(1.0, budget.det_left() / 2))
        if status == cp_model.INFEASIBLE:
            lower += 1
            continue
        if status == cp_model.OPTIMAL:
            return read_assign(inst, built, solver, assign), True, lower
        break
    if lower >= best_breaks and fair:
        return best, True, lower
    return _minimise_breaks(inst, best, placed, budget, seed), False, lower


def _minimise_breaks(inst: Instance, best: list[int], placed: list[int], budget: Budget, seed: int) -> list[int]:
    if budget.exhausted():
        return best
    cap = inst.problem.max_break_spread
    options = cpmodel.Options(mode="breaks", break_cap=cap, hard_cap=False, windows=True)
    built = cpmodel.build(inst, placed, Occupancy(inst), options)
    hint(built, best)
    status, solver = run(built, budget, seed=seed, det_time=budget.det_left())
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        candidate = read_assign(inst, built, solver, best)
        if _score(inst, candidate) < _score(inst, best):
            return candidate
    return best


def _hard_cap(inst: Instance, assign: list[int]) -> int | None:
    """The fairness cap as a per-participant limit, valid when someone surely has 0 breaks
    (a participant with at most one meeting), which makes the minimum 0."""
    cap = inst.problem.max_break_spread
    if cap is None:
        return None
    counts = [0] * len(inst.people)
    for m, t in enumerate(assign):
        if t != UNPLACED:
            for p in inst.members[m]:
                counts[p] += 1
    return cap if min(counts, default=0) <= 1 else None


def _total_breaks(inst: Instance, assign: list[int]) -> int:
    return sum(inst.breaks_per_participant(assign))


def _fair(inst: Instance, assign: list[int]) -> bool:
    cap = inst.problem.max_break_spread
    per = inst.breaks_per_participant(assign)
    return cap is None or max(per, default=0) - min(per, default=0) <= cap


def _score(inst: Instance, assign: list[int]) -> tuple[int, int]:
    """(fairness excess, breaks), smaller is better."""
    cap = inst.problem.max_break_spread
    per = inst.breaks_per_participant(assign)
    low = min(per, default=0)
    excess = 0 if cap is None else sum(max(0, b - low - cap) for b in per)
    return excess, sum(per)
