"""Reference optima for the B2B variants (bench/b2b_variants.py) from long exact runs.

    .venv/bin/python bench/b2b_reference.py [--jobs 2] [--place 10] [--product 15] [--exact 30] [--only ...]

Per variant, in its own process (at most --jobs at once, one CP-SAT worker each). Every limit is
deterministic work (CP-SAT's deterministic time; the product's planned work with `wall_clock=False`),
not wall-clock seconds: the machine is shared and its load must not weaken the references.

1. Can every meeting be placed at all? An own CP-SAT model of the hard rules only (written here
   from the benchmark's definition, sharing no code with the scheduler). No -> "infeasible".
2. The product's scheduler with a long limit of planned work (its staged exact solver proves most optima).
3. Unless 2 proved it: an own CP-SAT model of the whole benchmark objective (every meeting
   placed, fairness d = 2 hard, fewest total breaks), hinted with 2's schedule, for --exact s.
   CP-SAT proving no fair schedule exists -> "fairness infeasible".

Records per variant: status (feasible / infeasible / fairness_infeasible / unknown), best value,
best lower bound (CP-SAT's, or the product's proven bound), proved (value == bound), seconds.
Results accumulate in var/b2b_variants/refs.jsonl (a rerun skips what is done) and are written
to bench/data/b2b_variant_refs.json: our own computed numbers, small, committed.
"""

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from b2b_variants import FAIRNESS_D, REFS, VAR, check, variant_paths  # noqa: E402

PARTIAL = VAR / "refs.jsonl"


def hard_model(data: dict):  # type: ignore[no-untyped-def]
    """x[m, t] for every meeting and allowed slot: each meeting once, a participant once per slot,
    at most `tables` meetings per slot. Returns (model, x, busy[p][t] expressions)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    slots = [s["id"] for s in data["slots"]]
    tables = dict(zip(slots, data["tables_per_slot"], strict=True))
    x = {}
    by_person: dict[tuple[int, int], list] = {}
    by_slot: dict[int, list] = {}
    for m in data["meetings"]:
        row = [x.setdefault((m["id"], t), model.new_bool_var(f"x{m['id']}_{t}")) for t in m["allowed_slots"]]
        model.add_exactly_one(row)
        for t in m["allowed_slots"]:
            by_slot.setdefault(t, []).append(x[m["id"], t])
            for p in m["participants"]:
                by_person.setdefault((p, t), []).append(x[m["id"], t])
    for xs in by_person.values():
        model.add_at_most_one(xs)
    for t, xs in by_slot.items():
        model.add(sum(xs) <= tables[t])
    busy = {p["id"]: [sum(by_person.get((p["id"], t), [])) for t in slots] for p in data["participants"]}
    return model, x, busy


def breaks_model(data: dict):  # type: ignore[no-untyped-def]
    """The benchmark objective: breaks of p = blocks of busy slots - 1; max - min <= d."""
    model, x, busy = hard_model(data)
    low = model.new_int_var(0, len(data["slots"]), "low")
    total = []
    for p in data["participants"]:
        row = busy[p["id"]]
        if len(p["meetings"]) < 2:
            model.add(low == 0)  # H = 0 for a participant with 0 or 1 meetings
            continue
        starts = []
        for t, now in enumerate(row):
            start = model.new_bool_var("")
            before = row[t - 1] if t else 0
            model.add(start >= now - before)
            model.add(start <= now)
            if t:
                model.add(start <= 1 - before)
            starts.append(start)
        h = model.new_int_var(0, len(row), f"h{p['id']}")
        model.add(h == sum(starts) - 1)
        model.add(low <= h)
        model.add(h <= low + FAIRNESS_D)
        total.append(h)
    model.minimize(sum(total))
    return model, x


def solve(model, det_seconds: float):  # type: ignore[no-untyped-def]
    """One worker, stopped on CP-SAT's deterministic time (a count of work), so that a loaded
    machine changes how long it takes, not what it finds."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = det_seconds
    solver.parameters.random_seed = 0
    return solver.solve(model), solver


def reference(path: str, place_s: float, product_s: float, exact_s: float) -> dict:
    from ortools.sat.python import cp_model

    from events.scheduler.b2b import problem_from_b2b
    from events.scheduler.solver import schedule

    started = time.monotonic()
    data = json.loads(Path(path).read_text())
    row: dict = {"name": data["name"]}
    model, _, _ = hard_model(data)
    status, _ = solve(model, place_s)
    if status == cp_model.INFEASIBLE:
        return row | {"status": "infeasible", "proved": True, "seconds": round(time.monotonic() - started, 1)}
    problem = problem_from_b2b(data, fairness=FAIRNESS_D)
    solution = schedule(problem, time_limit=product_s, seed=0, wall_clock=False)
    slot_of = {p.id: p.slot for p in solution.meetings}
    figures = check(data, slot_of)
    usable = not figures["errors"] and figures["placed"] == figures["meetings"] and figures["fair"]
    value = figures["breaks"] if usable else None
    bound = solution.stats.get("breaks_bound_proven", 0) if usable else 0
    row["product"] = {"breaks": figures["breaks"], "fair": figures["fair"], "placed": figures["placed"],
                      "optimal": bool(solution.stats.get("optimal"))}  # fmt: skip
    if usable and solution.stats.get("optimal"):
        return row | {"status": "feasible", "value": value, "bound": value, "proved": True, "by": "product",
                      "seconds": round(time.monotonic() - started, 1)}  # fmt: skip
    model, x = breaks_model(data)
    if usable:
        for (m, t), var in x.items():
            model.add_hint(var, slot_of.get(m) == t)
    status, solver = solve(model, exact_s)
    seconds = round(time.monotonic() - started, 1)
    if status == cp_model.INFEASIBLE:
        return row | {"status": "fairness_infeasible", "proved": True, "seconds": seconds}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        own = round(solver.objective_value)
        if value is None or own < value:
            value = own
        bound = max(bound, round(solver.best_objective_bound))
    if value is None:
        return row | {"status": "unknown", "proved": False, "seconds": seconds}
    return row | {"status": "feasible", "value": value, "bound": bound, "proved": bound >= value,
                  "by": "product + own CP-SAT", "seconds": seconds}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--place", type=float, default=10.0, help="deterministic time for the placement check")
    parser.add_argument("--product", type=float, default=15.0, help="time limit of the product's run (planned work)")
    parser.add_argument("--exact", type=float, default=30.0, help="deterministic time for the own CP-SAT model")
    parser.add_argument("--only", default="")
    parser.add_argument("--write", action="store_true", help="only write the JSON from the runs done so far")
    parser.add_argument("--redo-unproven", action="store_true",
                        help="run the feasible variants not proven optimal again (give longer limits): the "
                        "best value and the best bound of all runs are kept")  # fmt: skip
    args = parser.parse_args()
    done = {}
    if PARTIAL.exists():
        done = {r["name"]: r for r in map(json.loads, PARTIAL.read_text().splitlines())}
    if args.write:
        write_refs(done)
        return
    only = set(filter(None, args.only.split(",")))
    # Seed 1 of every variant before seed 2: a run cut short still covers every base and family.
    paths = sorted(variant_paths(), key=lambda p: (p.stem.rsplit(".", 1)[1], p.stem))

    def wanted(name: str) -> bool:
        if args.redo_unproven:
            row = done.get(name, {})
            return row.get("status") in ("feasible", "unknown") and not row.get("proved")
        return name not in done

    todo = [str(p) for p in paths if wanted(p.stem) and (not only or p.stem in only)]
    print(f"{len(done)} done, {len(todo)} to run", flush=True)
    with ProcessPoolExecutor(max_workers=args.jobs, max_tasks_per_child=1) as pool:
        futures = [pool.submit(reference, p, args.place, args.product, args.exact) for p in todo]
        for future in futures:
            row = future.result()
            if args.redo_unproven:
                row = merge(done.get(row["name"]), row)
            done[row["name"]] = row
            with PARTIAL.open("a") as f:
                f.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)
    write_refs(done)


def merge(old: dict | None, new: dict) -> dict:
    """Two runs of one variant: the lowest value and the highest bound of the two (both are valid)."""
    if not old or old.get("status") != "feasible":
        return new
    if new.get("status") != "feasible":
        return old

    value, bound = min(old["value"], new["value"]), max(old["bound"], new["bound"])
    by = "best of runs" if (value, bound) != (new["value"], new["bound"]) else new["by"]
    return new | {"value": value, "bound": bound, "proved": bound >= value, "by": by, "runs": old.get("runs", 1) + 1}


def write_refs(done: dict) -> None:
    keep = ("status", "value", "bound", "proved", "by")
    variants = {name: {k: row[k] for k in keep if k in row} for name, row in sorted(done.items())}
    counts: dict[str, int] = {}
    for row in variants.values():
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    payload = {
        "about": "Reference values for var/b2b_variants (bench/b2b_variants.py generate --seeds 1,2), computed "
        "by bench/b2b_reference.py: total breaks with every meeting placed and fairness d = 2. Our own numbers.",
        "counts": counts,
        "proved": sum(1 for r in variants.values() if r["status"] == "feasible" and r["proved"]),
        "variants": variants,
    }
    REFS.write_text(json.dumps(payload, indent=1) + "\n")


if __name__ == "__main__":
    main()
