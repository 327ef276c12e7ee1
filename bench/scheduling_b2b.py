"""The scheduler on the 20 published B2B instances (JAIR 2022), checked by the independent checker.

    .venv/bin/python bench/scheduling_b2b.py [--time-limit 10] [--only tic-12,forum-14] [--exact]

Reads ../shared/benchmarks/b2b (or $KIZUNA_SHARED/benchmarks/b2b); never copies it into the repo.
Prints one row per instance and writes bench/out/scheduling_b2b.json.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from events.scheduler import checker  # noqa: E402
from events.scheduler.b2b import problem_from_b2b  # noqa: E402
from events.scheduler.solver import schedule  # noqa: E402

# Optimum total breaks with fairness d = 2, JAIR 74 (2022) Table 5 (also in the instances' JSON).
PUBLISHED = {
    "forum-13": 0, "forum-13crafb": 6, "forum-13crafc": 1, "forum-14": 2, "forumt-14": 5, "forumt-14crafc": 5,
    "forumt-14crafd": 4, "forumt-14crafe": 5, "tic-12": 0, "tic-12crafc": 0, "tic-13": 0, "tic-13crafb": 0,
    "tic-13crafc": 4, "tic-14crafa": 0, "tic-14crafc": 0, "tic-14crafd": 0, "ticf-13crafa": 0, "ticf-13crafb": 3,
    "ticf-13crafc": 1, "ticf-14crafa": 0,
}  # fmt: skip


def b2b_dir() -> Path:
    shared = Path(os.environ.get("KIZUNA_SHARED", REPO.parent / "shared"))
    return shared / "benchmarks" / "b2b"


def run_instance(name: str, time_limit: float, seed: int) -> dict:
    data = json.loads((b2b_dir() / "instances" / f"{name}.original.json").read_text())
    problem = problem_from_b2b(data)
    started = time.monotonic()
    solution = schedule(problem, time_limit=time_limit, seed=seed)
    seconds = time.monotonic() - started
    violations = checker.check(problem, solution)
    figures = checker.recompute(problem, solution)
    return {
        "instance": name, "meetings": len(problem.meetings), "placed": figures["placed"],
        "breaks": figures["breaks"], "max_breaks": figures["max_breaks"], "seconds": round(seconds, 2),
        "published": PUBLISHED[name], "violations": len(violations), "status": solution.stats["status"],
        "breaks_bound": solution.stats.get("breaks_bound_proven", solution.stats["breaks_bound"]),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated instance names")
    args = parser.parse_args()
    if not b2b_dir().is_dir():
        sys.exit(f"B2B instances not found at {b2b_dir()} (set KIZUNA_SHARED)")
    names = args.only.split(",") if args.only else sorted(PUBLISHED)
    header = f"{'instance':16} {'placed':>9} {'breaks':>6} {'max':>4} {'bound':>5} {'published':>9} {'seconds':>7}  ok"
    print(header)
    rows = []
    for name in names:
        row = run_instance(name, args.time_limit, args.seed)
        rows.append(row)
        ok = row["violations"] == 0 and row["placed"] == row["meetings"] and row["breaks"] <= row["published"]
        row["reached"] = ok
        print(f"{name:16} {row['placed']:>4}/{row['meetings']:<4} {row['breaks']:>6} {row['max_breaks']:>4} "
              f"{row['breaks_bound']:>5} {row['published']:>9} {row['seconds']:>7.2f}  {'yes' if ok else 'no'}",
              flush=True)  # fmt: skip
    reached = sum(r["reached"] for r in rows)
    all_placed = sum(r["placed"] == r["meetings"] for r in rows)
    print(
        f"published optimum reached on {reached}/{len(rows)}; all meetings placed on {all_placed}/{len(rows)}; "
        f"violations {sum(r['violations'] for r in rows)}; max seconds {max(r['seconds'] for r in rows):.2f}"
    )
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "scheduling_b2b.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
