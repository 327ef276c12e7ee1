"""Turn a slot per meeting into a `Solution`: tables, reasons for the meetings left out, figures."""

from collections.abc import Mapping

from events.scheduler.bounds import PlacementBound, breaks_lower_bound, placement_bound
from events.scheduler.instance import UNPLACED, Instance
from events.scheduler.model import Placement, Solution, Unscheduled
from events.scheduler.reasons import explain
from events.scheduler.state import Occupancy


def assign_tables(inst: Instance, assign: list[int]) -> list[int]:
    """Tables 1..N per slot: fixed tables first, then the lowest free number, in meeting order."""
    tables = [0] * inst.n_meetings
    taken: list[set[int]] = [set() for _ in range(inst.n_slots)]
    for m, t in enumerate(assign):
        if t != UNPLACED and inst.table_of[m] is not None:
            tables[m] = inst.table_of[m]  # type: ignore[assignment]
            taken[t].add(tables[m])
    next_free = [1] * inst.n_slots
    for m, t in enumerate(assign):
        if t != UNPLACED and inst.table_of[m] is None:
            while next_free[t] in taken[t]:
                next_free[t] += 1
            tables[m] = next_free[t]
            taken[t].add(tables[m])
    return tables


def assemble(
    inst: Instance,
    assign: list[int],
    *,
    seconds: float,
    status: str,
    bound: PlacementBound | None = None,
    optimal: bool = False,
    extra: Mapping[str, object] | None = None,
) -> Solution:
    occ = Occupancy(inst, assign)
    tables = assign_tables(inst, assign)
    placed = [Placement(inst.problem.meetings[m].id, inst.slot_ids[t], tables[m]) for m, t in enumerate(assign)
              if t != UNPLACED]  # fmt: skip
    left_out = []
    for m, t in enumerate(assign):
        if t == UNPLACED:
            kind, reason = explain(inst, occ, m)
            left_out.append(Unscheduled(inst.problem.meetings[m].id, reason, kind))
    stats = schedule_stats(inst, assign, bound or placement_bound(inst))
    stats.update(status=status, optimal=optimal, seconds=round(seconds, 3), **(extra or {}))
    return Solution(placed, left_out, stats)


def schedule_stats(inst: Instance, assign: list[int], bound: PlacementBound) -> dict[str, object]:
    placed = [m for m, t in enumerate(assign) if t != UNPLACED]
    weight = sum(inst.weight[m] for m in placed)
    per_person = inst.breaks_per_participant(assign)
    breaks, breaks_bound = sum(per_person), breaks_lower_bound(inst, assign)
    spread = max(per_person, default=0) - min(per_person, default=0)
    cap = inst.problem.max_break_spread
    low = min(per_person, default=0)
    required = sum(inst.required)
    return {
        "placed": len(placed),
        "meetings": inst.n_meetings,
        "weight": weight,
        "breaks": breaks,
        "max_breaks": max(per_person, default=0),
        "min_breaks": min(per_person, default=0),
        "bound": bound.weight,
        "weight_bound": bound.weight,
        "placed_bound": bound.placed,
        "weight_gap": round((bound.weight - weight) / bound.weight, 6) if bound.weight else 0.0,
        "breaks_bound": breaks_bound,
        "required": required,
        "required_placed": sum(1 for m in placed if inst.required[m]),
        "required_bound": bound.required,
        "all_required_placed": all(assign[m] != UNPLACED for m in range(inst.n_meetings) if inst.required[m]),
        "break_spread": spread,
        "fairness_cap": cap,
        "fairness_ok": cap is None or spread <= cap,
        # Who is above the cap: the cap never costs a meeting, so it can be left unmet.
        "above_cap": [] if cap is None else [inst.people[p] for p, b in enumerate(per_person) if b - low > cap],
    }
