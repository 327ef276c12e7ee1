"""B2B variants built as JAIR 2022 builds them, with our own seeds, and the scheduler measured on them.

    .venv/bin/python bench/b2b_variants.py generate [--seeds 1,2]
    .venv/bin/python bench/b2b_reference.py [--jobs 2]      # long exact runs -> bench/data/b2b_variant_refs.json
    .venv/bin/python bench/b2b_variants.py evaluate [--time-limit 10] [--jobs 2] [--only NAME,...]

`generate` reads the 20 originals from ../shared/benchmarks/b2b (or $KIZUNA_SHARED/benchmarks/b2b;
never copied into the repo) and writes the variants to var/b2b_variants/ (gitignored), in the
benchmark's own schema (`b2b-instance/1`), deterministically from the seeds:

- `forb0003` / `forb0007`: the original forbidden slots removed, then alpha = 0.3 % / 0.7 % of all
  participant-slots (participants x slots, rounded) forbidden, drawn at random without repeats;
- `fixed020` / `fixed040`: the original forbidden slots kept, then beta = 20 % / 40 % of the meetings
  (rounded) fixed to a random slot each. Meetings are drawn in random order and each is fixed to a
  random slot among those still consistent with the meetings fixed before it: within its session
  and both participants' available slots, neither participant already fixed there, and fewer
  fixed meetings there than tables. A meeting with no such slot stays free and the next is drawn.

`evaluate` writes each variant as an interchange-format problem, runs the product's command
(`manage.py schedule_problem --time-limit 10`) on it in its own process, timing the process from
spawn to exit, and checks the output with the checker below, written on the benchmark's JSON
directly (it shares no code with the scheduler). Writes bench/out/b2b_variants.json.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

VAR = REPO / "var" / "b2b_variants"
REFS = REPO / "bench" / "data" / "b2b_variant_refs.json"
FAIRNESS_D = 2
FORBIDDEN = {"forb0003": 0.003, "forb0007": 0.007}
FIXED = {"fixed020": 0.20, "fixed040": 0.40}
# A miss is "large" above max(10 % of the reference, 2 breaks).
LARGE_SHARE, LARGE_BREAKS = 0.10, 2


def b2b_dir() -> Path:
    shared = Path(os.environ.get("KIZUNA_SHARED", REPO.parent / "shared"))
    return shared / "benchmarks" / "b2b"


def originals() -> dict[str, dict]:
    folder = b2b_dir() / "instances"
    if not folder.is_dir():
        sys.exit(f"B2B instances not found at {folder} (set KIZUNA_SHARED)")
    paths = sorted(folder.glob("*.original.json"))
    return {p.name.removesuffix(".original.json"): json.loads(p.read_text()) for p in paths}


# --- generation -----------------------------------------------------------------------------


def forbidden_variant(data: dict, alpha: float, rng: random.Random) -> dict:
    slots = [s["id"] for s in data["slots"]]
    pairs = [(p["id"], t) for p in data["participants"] for t in slots]
    chosen = rng.sample(pairs, round(alpha * len(pairs)))
    unavailable: dict[int, set[int]] = {p["id"]: set() for p in data["participants"]}
    for pid, t in chosen:
        unavailable[pid].add(t)
    return _rebuild(data, unavailable, {})


def fixed_variant(data: dict, beta: float, rng: random.Random) -> dict:
    unavailable = {p["id"]: set(p["unavailable_slots"]) for p in data["participants"]}
    tables = {s["id"]: n for s, n in zip(data["slots"], data["tables_per_slot"], strict=True)}
    wanted = round(beta * len(data["meetings"]))
    order = list(data["meetings"])
    rng.shuffle(order)
    fixed: dict[int, int] = {}
    busy: set[tuple[int, int]] = set()
    used: dict[int, int] = {}
    for meeting in order:
        if len(fixed) == wanted:
            break
        a, b = meeting["participants"]
        options = [t for t in _session_slots(data, meeting)
                   if t not in unavailable[a] and t not in unavailable[b] and (a, t) not in busy
                   and (b, t) not in busy and used.get(t, 0) < tables[t]]  # fmt: skip
        if options:
            t = rng.choice(options)
            fixed[meeting["id"]] = t
            busy.update({(a, t), (b, t)})
            used[t] = used.get(t, 0) + 1
    return _rebuild(data, unavailable, fixed)


def _session_slots(data: dict, meeting: dict) -> list[int]:
    slots = [s["id"] for s in data["slots"]]
    if not meeting["session"]:
        return slots
    session = next(s for s in data["sessions"] if s["id"] == meeting["session"])
    return [t for t in slots if session["first_slot"] <= t <= session["last_slot"]]


def _rebuild(data: dict, unavailable: dict[int, set[int]], fixed: dict[int, int]) -> dict:
    """The instance with new forbidden slots and fixed meetings; derived fields recomputed."""
    out = json.loads(json.dumps(data))
    slots = [s["id"] for s in data["slots"]]
    for p in out["participants"]:
        p["unavailable_slots"] = sorted(unavailable[p["id"]])
        p["available_slots"] = [t for t in slots if t not in unavailable[p["id"]]]
    for m in out["meetings"]:
        m["fixed_slot"] = fixed.get(m["id"])
        a, b = m["participants"]
        allowed = [t for t in _session_slots(data, m) if t not in unavailable[a] and t not in unavailable[b]]
        m["allowed_slots"] = [t for t in allowed if m["fixed_slot"] in (None, t)]
    for key in ("reference", "bounds", "source"):
        out.pop(key, None)
    return out


def variant_of(data: dict, base: str, variant: str, seed: int) -> dict:
    """One variant of the original `data` (named `base`), e.g. ("forum-14", "fixed020", 1)."""
    # A string seed is hashed with SHA-512 by `random`: the same on every run and machine.
    rng = random.Random(f"{base}/{variant}/{seed}")
    if variant in FORBIDDEN:
        out, family, share = forbidden_variant(data, FORBIDDEN[variant], rng), "forbidden", FORBIDDEN[variant]
    else:
        out, family, share = fixed_variant(data, FIXED[variant], rng), "fixed", FIXED[variant]
    params = {"share": share, "seed": seed, "generator": "bench/b2b_variants.py"}
    out.update(name=f"{base}.{variant}.s{seed}", variant=variant, family=family, variant_parameters=params)
    return out


def generate(seeds: list[int]) -> list[Path]:
    VAR.mkdir(parents=True, exist_ok=True)
    written = []
    for base, data in originals().items():
        for seed in seeds:
            for variant in [*FORBIDDEN, *FIXED]:
                out = variant_of(data, base, variant, seed)
                path = VAR / f"{out['name']}.json"
                path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
                written.append(path)
    return written


def variant_paths() -> list[Path]:
    return sorted(VAR.glob("*.s*.json"))


# --- independent checker ----------------------------------------------------------------------


def check(data: dict, slot_of: dict[int, int]) -> dict:
    """Validity and figures of a schedule (meeting id -> slot) from the benchmark's JSON alone.
    Breaks: gaps between consecutive meetings of a participant over all slots (AM/PM included)."""
    errors = []
    tables = {s["id"]: n for s, n in zip(data["slots"], data["tables_per_slot"], strict=True)}
    forbidden = {p["id"]: set(p["unavailable_slots"]) for p in data["participants"]}
    per_slot: dict[int, int] = {}
    busy: dict[int, list[int]] = {p["id"]: [] for p in data["participants"]}
    for m in data["meetings"]:
        t = slot_of.get(m["id"])
        if t is None:
            continue
        if m["fixed_slot"] is not None and t != m["fixed_slot"]:
            errors.append(f"meeting {m['id']} fixed to {m['fixed_slot']} but in {t}")
        if m["session"] and t not in _session_slots(data, m):
            errors.append(f"meeting {m['id']} outside session {m['session']}")
        per_slot[t] = per_slot.get(t, 0) + 1
        for p in m["participants"]:
            if t in forbidden[p]:
                errors.append(f"meeting {m['id']}: participant {p} forbidden in slot {t}")
            busy[p].append(t)
    errors += [f"slot {t}: {n} meetings > {tables.get(t, 0)} tables"
               for t, n in per_slot.items() if n > tables.get(t, 0)]  # fmt: skip
    breaks = {}
    for p, slots in busy.items():
        if len(set(slots)) != len(slots):
            errors.append(f"participant {p} twice in one slot")
        ordered = sorted(set(slots))
        breaks[p] = sum(1 for a, b in zip(ordered, ordered[1:], strict=False) if b > a + 1)
    spread = max(breaks.values(), default=0) - min(breaks.values(), default=0)
    placed = sum(1 for m in data["meetings"] if m["id"] in slot_of)
    return {"errors": errors, "placed": placed, "meetings": len(data["meetings"]), "breaks": sum(breaks.values()),
            "fair": spread <= FAIRNESS_D}  # fmt: skip


# --- evaluation -----------------------------------------------------------------------------


def run_product(data: dict, name: str, time_limit: float, workdir: Path) -> dict:
    """The product's command in its own process: wall time from spawn to exit, output checked."""
    from events.scheduler import io
    from events.scheduler.b2b import problem_from_b2b

    problem_path, solution_path = workdir / f"{name}.problem.json", workdir / f"{name}.solution.json"
    io.write_json(problem_path, io.problem_to_dict(problem_from_b2b(data, fairness=FAIRNESS_D)))
    solution_path.unlink(missing_ok=True)
    cmd = [sys.executable, "manage.py", "schedule_problem", "--input", str(problem_path),
           "--output", str(solution_path), "--time-limit", str(time_limit)]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode != 0:
        return {"name": name, "wall": round(wall, 2), "errors": [done.stderr.strip()[-300:]]}
    solution = json.loads(solution_path.read_text())
    row = check(data, {p["id"]: p["slot"] for p in solution["meetings"]})
    stats = solution["stats"]
    row.update(name=name, wall=round(wall, 2), solver_seconds=stats.get("seconds"), status=stats.get("status"),
               stopped_on=stats.get("stopped_on"), unscheduled=len(solution["unscheduled"]))  # fmt: skip
    return row


def verdict(row: dict, ref: dict) -> tuple[bool, bool]:
    """(reached the reference, large miss) for a variant whose reference places every meeting fairly."""
    ok = not row.get("errors") and row.get("placed") == row.get("meetings") and row.get("fair")
    if not ok:
        return False, True
    gap = row["breaks"] - ref["value"]
    return gap <= 0, gap > max(LARGE_SHARE * ref["value"], LARGE_BREAKS)


def evaluate(time_limit: float, jobs: int, only: set[str]) -> None:
    refs = json.loads(REFS.read_text())["variants"] if REFS.exists() else {}
    work = VAR / "eval"
    work.mkdir(parents=True, exist_ok=True)
    cases = [(p.name.removesuffix(".json"), json.loads(p.read_text())) for p in variant_paths()]
    cases += [(f"{base}.original", data) for base, data in originals().items()]
    # Only variants whose reference places every meeting fairly are scored: run just those.
    cases = [(n, d) for n, d in cases if n.endswith(".original") or refs.get(n, {}).get("status") == "feasible"]
    cases = [(n, d) for n, d in cases if not only or n in only or n.split(".")[0] in only]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        rows = list(pool.map(lambda case: run_product(case[1], case[0], time_limit, work), cases))
    published = {base: data["reference"]["best_known"] for base, data in originals().items()}
    print(f"{'variant':32} {'placed':>9} {'breaks':>6} {'ref':>4} {'proved':>6} {'wall s':>6}  verdict")
    groups: dict[str, list[tuple[bool, bool]]] = {"variants": [], "originals": []}
    for row in rows:
        name = row["name"]
        if name.endswith(".original"):
            ref = {"value": published[name.removesuffix(".original")], "status": "feasible", "proved": True}
            group = "originals"
        else:
            ref, group = refs.get(name), "variants"
        if not ref or ref.get("status") != "feasible":
            label = "no reference" if not ref else ref["status"]
            row["verdict"] = f"excluded ({label})"
        else:
            reached, large = verdict(row, ref)
            groups[group].append((reached, large))
            row["verdict"] = "reached" if reached else ("LARGE MISS" if large else "miss")
        value = ref["value"] if ref and "value" in ref else "-"
        proved = "yes" if ref and ref.get("proved") else "no"
        errors = " " + "; ".join(row["errors"][:2]) if row.get("errors") else ""
        print(f"{name:32} {row.get('placed', 0):>4}/{row.get('meetings', 0):<4} {row.get('breaks', '-'):>6} "
              f"{value:>4} {proved:>6} {row['wall']:>6.2f}  {row['verdict']}{errors}", flush=True)  # fmt: skip
    for group, results in groups.items():
        walls = [r["wall"] for r in rows if r["name"].endswith(".original") == (group == "originals")]
        n, reached, large = len(results), sum(r for r, _ in results), sum(big for _, big in results)
        if n:
            print(f"{group}: reference reached {reached}/{n} ({100 * reached / n:.0f} %), more than 10 % "
                  f"(or 2 breaks) above: {large}, max wall {max(walls):.2f} s (limit {time_limit:g} s)")  # fmt: skip
    excluded = [r["name"] for r in rows if r["verdict"].startswith("excluded")]
    print(f"excluded (no fair schedule of every meeting, or no reference): {len(excluded)}")
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "b2b_variants.json").write_text(json.dumps(rows, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["generate", "evaluate"])
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--jobs", type=int, default=2, help="processes at once (the machine has 2 cores)")
    parser.add_argument("--only", default="", help="comma-separated variant or base names")
    args = parser.parse_args()
    if args.action == "generate":
        paths = generate([int(s) for s in args.seeds.split(",")])
        print(f"{len(paths)} variants written to {VAR}")
    else:
        evaluate(args.time_limit, args.jobs, set(filter(None, args.only.split(","))))


if __name__ == "__main__":
    main()
