"""Our scheduler: `schedule(problem, time_limit=..., seed=...) -> Solution`.

Order of aims: every required meeting placed, then the most weight, then the fairness cap on
breaks (max - min per participant), then the fewest breaks. The cap never costs a meeting.

Small and medium problems go to the exact two-stage CP-SAT solver (exact.py), which often proves
optimality; bigger ones (or time left over) to the neighbourhood search (lns.py). Both start from
the break-aware greedy schedule and end with a pass placing anything that still fits.
"""

import time

from events.scheduler.assemble import assemble
from events.scheduler.bounds import placement_bound
from events.scheduler.exact import Budget, solve_staged
from events.scheduler.greedy import compact_assign, fill
from events.scheduler.instance import compile_problem
from events.scheduler.lns import improve
from events.scheduler.model import Problem, Solution

# Above this many (meeting, slot) pairs the full model is too slow to build and solve: use LNS.
EXACT_MAX_PAIRS = 40_000


def schedule(problem: Problem, *, time_limit: float = 10.0, seed: int = 0) -> Solution:
    started = time.monotonic()
    inst = compile_problem(problem)
    budget = Budget(time_limit, started=started)
    bound = placement_bound(inst)
    assign = compact_assign(inst)
    optimal, extra = False, {}
    if sum(len(f) for f in inst.feasible) <= EXACT_MAX_PAIRS:
        result = solve_staged(inst, assign, budget, seed=seed)
        assign, optimal = result.assign, result.breaks_optimal
        extra["breaks_bound_proven"] = result.breaks_bound
    if not optimal:
        assign = improve(inst, fill(inst, assign), budget, seed=seed)
    assign = fill(inst, assign)
    status = "optimal" if optimal else "feasible"
    extra["deterministic"] = not budget.wall_hit
    extra["seed"] = seed
    solution = assemble(inst, assign, seconds=time.monotonic() - started, status=status, bound=bound,
                        optimal=optimal, extra=extra)  # fmt: skip
    if not solution.stats["all_required_placed"]:
        solution.stats["status"] = "required_unplaced"
    return solution
