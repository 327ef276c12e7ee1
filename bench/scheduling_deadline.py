"""Does the answer come within the time limit on a loaded machine? Overrun of the scheduler, now
and in a baseline checkout (the old behaviour: deterministic budget, wall clock at 2.5x the limit).

    git -C /work/main archive <old commit> events | tar -x -C /tmp/sched-old   # the baseline code
    .venv/bin/python bench/scheduling_deadline.py [--baseline /tmp/sched-old] [--busy 2] [--limit 10]

For each instance and code base: start `--busy` busy-loop processes, then the scheduler in its own
process; the child notes when it is ready (imports done, problem read) and when the answer is
written, on the system's monotonic clock. Overrun = answer - ready - limit (process start-up is
reported apart). Instances: B2B originals the solver does not prove within the limit (from
../shared/benchmarks/b2b) and a generated 400-firm mission (bench/mission_generator.py).
"""

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KIZUNA_SHARED", REPO.parent / "shared")) / "benchmarks" / "b2b" / "instances"
INSTANCES = ("forum-13crafb", "ticf-13crafb", "forum-14", "mission-400")

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])
spawned = float(sys.argv[5])
from events.scheduler.solver import schedule
from events.scheduler import io
name = sys.argv[3]
if name.startswith("mission-"):
    from mission_generator import SIZES, generate
    problem = io.problem_from_dict(generate(**SIZES["medium"], seed=0))
else:
    from events.scheduler.b2b import problem_from_b2b
    problem = problem_from_b2b(json.loads(open(name).read()))
ready = time.monotonic()
solution = schedule(problem, time_limit=float(sys.argv[4]), seed=0)
out = io.solution_to_dict(solution)
json.dumps(out)
done = time.monotonic()
stats = out["stats"]
print(json.dumps({"startup": ready - spawned, "solve": done - ready, "breaks": stats["breaks"],
                  "stopped_on": stats.get("stopped_on", "n/a")}))
"""


def busy_loop() -> None:
    while True:
        pass


def run(code: Path, name: str, limit: float, busy: int) -> dict:
    path = name if name.startswith("mission-") else str(SHARED / f"{name}.original.json")
    loops = [multiprocessing.Process(target=busy_loop, daemon=True) for _ in range(busy)]
    for p in loops:
        p.start()
    try:
        spawned = time.monotonic()
        cmd = [sys.executable, "-c", CHILD, str(code), str(REPO / "bench"), path, str(limit), str(spawned)]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=code)
        total = time.monotonic() - spawned
    finally:
        for p in loops:
            p.kill()
    if done.returncode:
        return {"error": done.stderr.strip()[-200:]}
    row = json.loads(done.stdout.strip().splitlines()[-1])
    row.update(total=total, overrun=row["solve"] - limit)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="", help="a checkout of the old scheduler (its events/ folder)")
    parser.add_argument("--busy", type=int, default=2)
    parser.add_argument("--limit", type=float, default=10.0)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    codes = [("now", REPO)] + ([("baseline", Path(args.baseline))] if args.baseline else [])
    names = args.only.split(",") if args.only else INSTANCES
    print(f"limit {args.limit:g} s, {args.busy} busy-loop processes beside each run (2-core machine)")
    print(f"{'instance':16} {'code':9} {'start-up':>8} {'solve':>6} {'overrun':>7} {'breaks':>6}  stopped on")
    for name in names:
        for label, code in codes:
            row = run(code, name, args.limit, args.busy)
            if "error" in row:
                print(f"{name:16} {label:9} failed: {row['error']}")
                continue
            print(f"{name:16} {label:9} {row['startup']:>8.2f} {row['solve']:>6.2f} {row['overrun']:>+7.2f} "
                  f"{row['breaks']:>6}  {row['stopped_on']}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
