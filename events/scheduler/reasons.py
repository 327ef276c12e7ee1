"""Why a meeting was left out, in words an organiser understands, read off the final schedule.

Kinds: `table_conflict`, `pinned`, `no_common_slot` (decided before solving), and for a meeting
that had common free slots but found each of them taken: `capacity` (a participant already holds
as many meetings as it has delegates), `tables` (every table in use), `mixed` (some of each).
"""

from collections import Counter

from events.scheduler.instance import Instance
from events.scheduler.state import Occupancy


def static_kind(reason: str) -> str:
    if reason.startswith("its tables conflict"):
        return "table_conflict"
    if reason.startswith("it is pinned"):
        return "pinned"
    return "no_common_slot"


def explain(inst: Instance, occ: Occupancy, m: int) -> tuple[str, str]:
    """(kind, reason) for the unplaced meeting m."""
    if m in inst.no_slot_reason:
        reason = inst.no_slot_reason[m]
        return static_kind(reason), reason
    busy: Counter[int] = Counter()
    full_slots = 0
    for t in inst.feasible[m]:
        at_capacity = [p for p in inst.members[m] if occ.load[p][t] >= inst.capacity_at[p][t]]
        busy.update(at_capacity)
        if not at_capacity:
            full_slots += 1
    n = len(inst.feasible[m])
    slots = f"{n} common free slot{'s' if n != 1 else ''}"
    who = ", ".join(f"{inst.people[p]!r} in {count}" for p, count in sorted(busy.items()))
    if not full_slots:
        return (
            "capacity",
            f"capacity: in each of its {slots} a participant is already in as many meetings "
            f"as it has delegates ({who})",
        )
    table = inst.table_of[m]
    what = f"table {table} is" if table is not None else "all tables are"
    if full_slots == n:
        return "tables", f"tables full: {what} taken in each of its {slots}"
    return "mixed", (
        f"each of its {slots} is taken: a participant is fully booked in {n - full_slots} ({who}), "
        f"{what} taken in {full_slots}"
    )
