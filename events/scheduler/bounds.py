"""Bounds any schedule obeys: at most this many meetings and this much weight placed, at least
this many breaks for a given set of placed meetings. All are relaxations, so always valid.
"""

import math
from dataclasses import dataclass

from events.scheduler.instance import UNPLACED, Instance


@dataclass(frozen=True)
class PlacementBound:
    placed: int
    weight: int
    required: int


def placement_bound(inst: Instance) -> PlacementBound:
    """Meetings with a common free slot, less what participants' capacity and the tables rule out."""
    candidates = [m for m in range(inst.n_meetings) if inst.feasible[m]]
    return PlacementBound(
        placed=len(candidates) - _forced_loss(inst, candidates, lambda m: 1),
        weight=sum(inst.weight[m] for m in candidates) - _forced_loss(inst, candidates, inst.weight.__getitem__),
        required=_required_bound(inst, candidates),
    )


def _required_bound(inst: Instance, candidates: list[int]) -> int:
    required = [m for m in candidates if inst.required[m]]
    return len(required) - _forced_loss(inst, required, lambda m: 1)


def _forced_loss(inst: Instance, meetings: list[int], value) -> int:  # type: ignore[no-untyped-def]
    """Least total `value` of the meetings that must be left out (each counted once)."""
    per_person: dict[int, list[int]] = {}
    for m in meetings:
        for p in inst.members[m]:
            per_person.setdefault(p, []).append(m)
    losses = []
    for p, ms in per_person.items():
        usable = {t for m in ms for t in inst.feasible[m]}
        seats = len(usable) if _has_fixed_table(inst, ms) else sum(inst.capacity_at[p][t] for t in usable)
        losses.append(sum(sorted(value(m) for m in ms)[: max(0, len(ms) - seats)]))
    widest = max((len(inst.members[m]) for m in meetings), default=2)
    # A meeting left out is counted by each of its participants, hence the division.
    by_people = max(max(losses, default=0), math.ceil(sum(losses) / widest))
    usable_slots = {t for m in meetings for t in inst.feasible[m]}
    table_room = sum(inst.tables[t] for t in usable_slots)
    by_tables = sum(sorted(value(m) for m in meetings)[: max(0, len(meetings) - table_room)])
    return max(by_people, by_tables)


def _has_fixed_table(inst: Instance, ms: list[int]) -> bool:
    return bool(ms) and all(inst.table_of[m] is not None and inst.table_of[m] == inst.table_of[ms[0]] for m in ms)


def breaks_lower_bound(inst: Instance, assign: list[int]) -> int:
    """Fewest breaks any schedule of the same placed meetings can have (per participant, alone)."""
    counts = [0] * len(inst.people)
    usable: list[set[int]] = [set() for _ in inst.people]
    forced: list[set[int]] = [set() for _ in inst.people]
    for m, t in enumerate(assign):
        if t != UNPLACED:
            for p in inst.members[m]:
                counts[p] += 1
                usable[p].update(inst.feasible[m])
                if len(inst.feasible[m]) == 1:
                    forced[p].add(inst.feasible[m][0])
    total = 0
    for p in range(len(inst.people)):
        if forced[p] and inst.capacity[p] == 1:
            total += forced_breaks_bound(inst, counts[p], usable[p], forced[p])
        elif counts[p]:
            total += participant_breaks_bound(inst, p, counts[p], usable[p])
    return total


def forced_breaks_bound(inst: Instance, k: int, usable: set[int], forced: set[int]) -> int:
    """Fewest breaks of a participant holding one meeting at a time, with k meetings in its usable
    slots, busy in every `forced` slot (its pinned meetings). The run bound below ignores where
    pinned meetings sit, and scattered pinned meetings force breaks: on the B2B variants with 20 %
    or 40 % of meetings pinned it was far below the optimum. A DP over the slots: state (meetings
    seated, busy in the previous slot, busy earlier in this session) -> fewest breaks."""
    inf = math.inf
    # best[j][prev][seen]
    best = [[[inf, inf], [inf, inf]] for _ in range(k + 1)]
    best[0][0][0] = 0
    for t in range(inst.n_slots):
        if t > 0 and not inst.same_session(t - 1, t):
            for row in best:  # a new session: no run continues, no earlier meeting in it
                row[0][0] = min(row[0][0], row[0][1], row[1][0], row[1][1])
                row[0][1] = row[1][0] = row[1][1] = inf
        nxt = [[[inf, inf], [inf, inf]] for _ in range(k + 1)]
        for j in range(k + 1):
            for prev in (0, 1):
                for seen in (0, 1):
                    cost = best[j][prev][seen]
                    if cost == inf:
                        continue
                    if t not in forced:  # idle at t
                        nxt[j][0][seen] = min(nxt[j][0][seen], cost)
                    if t in usable and j < k:  # busy at t: a new run after an earlier one is a break
                        gap = 1 if (not prev and seen) else 0
                        nxt[j + 1][1][1] = min(nxt[j + 1][1][1], cost + gap)
        best = nxt
    result = min(min(row) for row in best[k])
    return int(result) if result != inf else 0


def participant_breaks_bound(inst: Instance, p: int, k: int, usable: set[int]) -> int:
    """Within a session, usable slots form runs; k meetings need at least enough runs to seat them,
    and each run beyond the first in a session is a break. Sessions share k by a small DP."""
    costs = [_session_costs(runs, inst.capacity[p], k) for runs in _runs_by_session(inst, usable)]
    best = [0] + [math.inf] * k
    for cost in costs:
        best = [min(best[j - i] + cost[i] for i in range(j + 1)) for j in range(k + 1)]
    return int(best[k]) if best[k] != math.inf else 0


def _runs_by_session(inst: Instance, usable: set[int]) -> list[list[int]]:
    sessions: dict[int, list[int]] = {}
    run = 0
    for t in range(inst.n_slots):
        if t in usable:
            run += 1
        if run and (t not in usable or t + 1 == inst.n_slots or not inst.same_session(t, t + 1)):
            sessions.setdefault(inst.session[t], []).append(run)
            run = 0
    return list(sessions.values())


def _session_costs(runs: list[int], capacity: int, k: int) -> list[float]:
    """cost[i] = fewest breaks to hold i meetings in this session (inf if they cannot fit)."""
    seats = sorted((r * capacity for r in runs), reverse=True)
    cost: list[float] = [0.0]
    used, room = 0, 0
    for i in range(1, k + 1):
        while room < i and used < len(seats):
            room += seats[used]
            used += 1
        cost.append(used - 1 if room >= i else math.inf)
    return cost
