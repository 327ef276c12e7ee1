"""Our scheduler: `schedule(problem, time_limit=..., seed=...) -> Solution`.

Order of aims: every required meeting placed, then the most weight, then the fairness cap on
breaks (max - min per participant), then the fewest breaks. The cap never costs a meeting.

Small and medium problems go to the exact two-stage CP-SAT solver (exact.py), which often proves
optimality; bigger ones (or time left over) to the neighbourhood search (lns.py). Both start from
the break-aware greedy schedule and end with a pass placing anything that still fits.
"""

import math
import time
from typing import Any

from events.scheduler.assemble import assemble
from events.scheduler.bounds import placement_bound
from events.scheduler.exact import Budget, solve_staged
from events.scheduler.greedy import compact_assign, fill
from events.scheduler.instance import compile_problem
from events.scheduler.lns import improve
from events.scheduler.model import Problem, Solution

# Above this many (meeting, slot) pairs the full model is too slow to build and solve: use LNS.
EXACT_MAX_PAIRS = 40_000


def schedule(problem: Problem, *, time_limit: float = 10.0, seed: int = 0, wall_clock: bool = True) -> Solution:
    """Within `time_limit` seconds of wall-clock time, or of planned (deterministic) work if that
    runs out first. `wall_clock=False` drops the wall-clock deadline: the planned work alone stops
    the run, so the schedule depends on the input and seed only, however loaded the machine (for
    tests and benchmarks of the algorithm; the run may then take longer than the limit)."""
    started = time.monotonic()
    inst = compile_problem(problem)
    budget = Budget(time_limit, started=started, deadline=0.0 if wall_clock else math.inf)
    bound = placement_bound(inst)
    assign = compact_assign(inst)
    optimal = False
    extra: dict[str, Any] = {}  # run stats of mixed kinds: counts, flags, the reason it stopped

    if sum(len(f) for f in inst.feasible) <= EXACT_MAX_PAIRS:
        result = solve_staged(inst, assign, budget, seed=seed)
        assign, optimal = result.assign, result.breaks_optimal
        extra["breaks_bound_proven"] = result.breaks_bound
    if not optimal:
        assign = improve(inst, fill(inst, assign), budget, seed=seed)
    assign = fill(inst, assign)
    status = "optimal" if optimal else "feasible"
    extra["deterministic"] = not budget.wall_hit
    # Proven optimal: nothing stopped it. Else the deterministic budget (a rerun gives the same
    # schedule) or the wall-clock deadline (the machine was too slow for the planned work).
    extra["stopped_on"] = "optimal" if optimal else budget.stopped_on
    extra["seed"] = seed
    solution = assemble(inst, assign, seconds=time.monotonic() - started, status=status, bound=bound,
                        optimal=optimal, extra=extra)  # fmt: skip
    if not solution.stats["all_required_placed"]:
        solution.stats["status"] = "required_unplaced"
    return solution
