"""Our scheduler against a plain greedy baseline and the exact CP-SAT solver, on generated missions.

    .venv/bin/python bench/scheduling_scale.py [--sizes small,medium,large] [--seed 0]

Sizes (bench/mission_generator.py): small 60 firms / 300 requests / 1 day, medium 400 / 3,000 /
2 days, large 2,000 / 20,000 / 3 days (14 slots a day). Each solver runs in its own process, so
"MB" is that solver's peak resident memory (problem generation and Python included). Every
solution is validated by the independent checker. Writes bench/out/scheduling_scale.json.
"""

import argparse
import inspect
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from mission_generator import SIZES, generate  # noqa: E402

TIME_LIMITS = {"small": 10.0, "medium": 30.0, "large": 40.0}
# The exact model holds a boolean per (meeting, slot) pair plus the break terms: above this it
# does not fit the time limit (nor, at 2,000 firms, memory).
EXACT_MAX_PAIRS = 200_000
SOLVERS = ("ours", "greedy", "exact")


def solve(name: str, problem, time_limit: float, seed: int):  # type: ignore[no-untyped-def]
    if name == "ours":
        from events.scheduler.solver import schedule

        return schedule(problem, time_limit=time_limit, seed=seed)
    if name == "greedy":
        from events.scheduler.greedy import greedy_schedule

        return greedy_schedule(problem)
    return solve_exact(problem, time_limit, seed)


def solve_exact(problem, time_limit: float, seed: int):  # type: ignore[no-untyped-def]
    """exact.solve_exact on its own: the problem-level entry if there is one, else its pieces."""
    from events.scheduler import exact
    from events.scheduler.assemble import assemble
    from events.scheduler.greedy import compact_assign
    from events.scheduler.instance import compile_problem

    started = time.monotonic()
    inst = compile_problem(problem)
    if sum(len(f) for f in inst.feasible) > EXACT_MAX_PAIRS:
        return None
    if next(iter(inspect.signature(exact.solve_exact).parameters)) == "problem":
        return exact.solve_exact(problem, time_limit=time_limit, seed=seed)
    budget = exact.Budget(time_limit, started=started)
    result = exact.solve_exact(inst, compact_assign(inst), budget, seed=seed)
    status = "optimal" if result.breaks_optimal else "feasible"
    return assemble(inst, result.assign, seconds=time.monotonic() - started, status=status,
                    optimal=result.breaks_optimal, extra={"deterministic": not budget.wall_hit})  # fmt: skip


def worker(size: str, name: str, seed: int) -> dict:
    """One solver on one size, in this process: figures, checker verdict, peak memory."""
    from events.scheduler import checker, io

    problem = io.problem_from_dict(generate(**SIZES[size], seed=seed))
    started = time.monotonic()
    solution = solve(name, problem, TIME_LIMITS[size], seed)
    seconds = time.monotonic() - started
    mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if solution is None:
        return {"size": size, "solver": name, "skipped": f"more than {EXACT_MAX_PAIRS:,} (meeting, slot) pairs"}
    figures = checker.recompute(problem, solution)
    stats = solution.stats
    return {
        "size": size, "solver": name, "meetings": len(problem.meetings), "placed": figures["placed"],
        "weight": figures["weight"], "bound": stats["bound"],
        "gap_pct": round(100 * (stats["bound"] - figures["weight"]) / stats["bound"], 2),
        "required": f"{stats['required_placed']}/{stats['required']}", "breaks": figures["breaks"],
        "max_breaks": figures["max_breaks"], "fairness_ok": figures["fairness_ok"],
        "violations": len(checker.check(problem, solution)), "status": stats["status"],
        "deterministic": stats.get("deterministic", True), "seconds": round(seconds, 1), "mb": round(mb),
    }  # fmt: skip


def run_worker(size: str, name: str, seed: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", f"{size}:{name}", "--seed", str(seed)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        return {"size": size, "solver": name, "skipped": f"failed: {out.stderr.strip().splitlines()[-1:]}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_row(row: dict) -> None:
    if "skipped" in row:
        print(f"{row['size']:7} {row['solver']:7} n/a ({row['skipped']})", flush=True)
        return
    print(f"{row['size']:7} {row['solver']:7} {row['placed']:>6}/{row['meetings']:<6} {row['required']:>9} "
          f"{row['weight']:>7} {row['bound']:>7} {row['gap_pct']:>6.2f} {row['breaks']:>6} {row['max_breaks']:>4} "
          f"{'yes' if row['fairness_ok'] else 'no':>4} {row['violations']:>4} {row['seconds']:>6.1f} {row['mb']:>6} "
          f"{row['status']}{'' if row['deterministic'] else ' (clock)'}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        size, name = args.worker.split(":")
        print(json.dumps(worker(size, name, args.seed)))
        return
    print(f"{'size':7} {'solver':7} {'placed':>13} {'required':>9} {'weight':>7} {'bound':>7} {'gap%':>6} "
          f"{'breaks':>6} {'max':>4} {'fair':>4} {'viol':>4} {'sec':>6} {'MB':>6} status")  # fmt: skip
    rows = []
    for size in args.sizes.split(","):
        for name in SOLVERS:
            rows.append(run_worker(size, name, args.seed))
            print_row(rows[-1])
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "scheduling_scale.json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
