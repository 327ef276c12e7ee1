"""The CP-SAT model shared by the exact solver and the neighbourhood search.

Some meetings are free (a boolean x[m, t] per slot where they fit), the others stay where the
base occupancy has them. Breaks are counted exactly: b[p, t] says p is busy at t, a block starts
where b goes from 0 to 1 inside a session, and p's breaks in a session are its blocks there minus
one when it is busy at all. Three redundant additions make the solver fast on tight events
(measured on the B2B benchmark, where they turn timeouts into proofs): a "window" encoding (a
participant with no break holds all its k meetings in k consecutive slots), the implied limit "at
most 2 busy participants per table" in every slot, and the count of each participant's busy slots
(see `_slots_used`).
"""

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from events.scheduler.instance import Instance
from events.scheduler.state import Occupancy

Bool = cp_model.IntVar | int


@dataclass
class Options:
    """`mode`: "place" (most required, then weight; no break terms), "breaks" (every free meeting
    placed, fewest breaks) or "combined" (both, lexicographically, as one weighted sum).
    `break_cap`: most breaks per participant, hard or (when `hard_cap` is False) penalised; with
    `relative` the cap counts from the fewest breaks anyone has (the fairness rule max - min <= cap)
    instead of from 0."""

    mode: str = "combined"
    break_cap: int | None = None
    hard_cap: bool = False
    relative: bool = False
    windows: bool = False
    implied: bool = True
    slots_used: bool = True


@dataclass
class Built:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    placement: cp_model.LinearExpr | int = 0
    breaks: cp_model.LinearExpr | int = 0
    excess: cp_model.LinearExpr | int = 0
    ladders: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)
    breaks_max: int = 0


def build(inst: Instance, free: list[int], base: Occupancy, options: Options) -> Built:
    """`base` must not hold the free meetings; its loads are the fixed part of the schedule."""
    built = Built(cp_model.CpModel())
    _placement_vars(inst, free, base, options, built)
    if options.mode != "place":
        _break_terms(inst, free, base, options, built)
    if options.mode == "place":
        built.model.maximize(built.placement)
    elif options.mode == "breaks":
        penalty = built.breaks_max + 1
        built.model.minimize(penalty * built.excess + built.breaks)
    else:
        penalty = built.breaks_max + 1
        built.model.maximize(penalty * (penalty * built.placement - built.excess) - built.breaks)
    return built


def _placement_vars(inst: Instance, free: list[int], base: Occupancy, options: Options, built: Built) -> None:
    model, x = built.model, built.x
    required_weight = sum(inst.weight[m] for m in free) + 1
    by_person: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    by_slot: dict[int, list[cp_model.IntVar]] = {}
    by_table: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    terms = []
    for m in free:
        options_m = [t for t in inst.feasible[m] if base.fits(m, t)]
        for t in options_m:
            x[m, t] = var = model.new_bool_var(f"x{m}_{t}")
            by_slot.setdefault(t, []).append(var)
            for p in inst.members[m]:
                by_person.setdefault((p, t), []).append(var)
            if inst.table_of[m] is not None:
                by_table.setdefault((inst.table_of[m], t), []).append(var)  # type: ignore[arg-type]
        slots = [x[m, t] for t in options_m]
        if options.mode == "breaks":
            model.add_exactly_one(slots)
        elif slots:
            model.add_at_most_one(slots)
            value = inst.weight[m] + (required_weight if inst.required[m] else 0)
            terms.extend(value * v for v in slots)
    for (p, t), xs in by_person.items():
        room = inst.capacity_at[p][t] - base.load[p][t]
        if len(xs) > room:
            model.add(sum(xs) <= room) if room > 1 else model.add_at_most_one(xs)
    for t, xs in by_slot.items():
        room = inst.tables[t] - base.tables_used[t]
        if len(xs) > room:
            model.add(sum(xs) <= room)
    for xs in by_table.values():
        if len(xs) > 1:
            model.add_at_most_one(xs)
    built.placement = sum(terms) if terms else 0


def _break_terms(inst: Instance, free: list[int], base: Occupancy, options: Options, built: Built) -> None:
    free_of: dict[int, list[int]] = {}
    for m in free:
        for p in inst.members[m]:
            free_of.setdefault(p, []).append(m)
    breaks, excess = [], []
    busy_count: dict[int, list] = {}
    for p, ms in sorted(free_of.items()):
        busy = _busy_row(inst, p, ms, base, built)
        if options.slots_used and options.mode == "breaks" and inst.capacity[p] == 1:
            _slots_used(busy, len(ms), built.model)
        for t, b in enumerate(busy):
            if not isinstance(b, int):
                busy_count.setdefault(t, []).append(b if inst.capacity[p] == 1 else _xs(built, ms, t))
        if len(inst.meetings_of[p]) < 2:
            continue
        ladder = _ladder(built.model, _breaks_of(inst, busy, built.model), inst, p, options)
        built.breaks_max += len(ladder)
        if options.windows:
            _window(inst, p, ms, base, busy, ladder, built)
        if options.break_cap is not None and not options.hard_cap and not options.relative:
            excess.extend(ladder[options.break_cap :])
        breaks.extend(ladder)
        built.ladders[p] = ladder
    if options.break_cap is not None and options.relative:
        excess.extend(_relative_cap(inst, base, options, built))
    if options.implied:
        _implied_table_limit(inst, base, busy_count, built)
    built.breaks = sum(breaks) if breaks else 0
    built.excess = sum(excess) if excess else 0


def _xs(built: Built, ms: list[int], t: int) -> cp_model.LinearExpr:
    return sum(built.x[m, t] for m in ms if (m, t) in built.x)


def _busy_row(inst: Instance, p: int, ms: list[int], base: Occupancy, built: Built) -> list[Bool]:
    model, row = built.model, []
    for t in range(inst.n_slots):
        xs = [built.x[m, t] for m in ms if (m, t) in built.x]
        if base.load[p][t] > 0:
            row.append(1)
        elif not xs:
            row.append(0)
        elif len(xs) == 1:
            row.append(xs[0])
        else:
            b = model.new_bool_var(f"b{p}_{t}")
            if inst.capacity[p] == 1:
                model.add(sum(xs) == b)
            else:
                for v in xs:
                    model.add_implication(v, b)
                model.add_bool_or(xs).only_enforce_if(b)
            row.append(b)
    return row


def _slots_used(busy: list[Bool], free_meetings: int, model: cp_model.CpModel) -> None:
    """A participant who holds one meeting at a time, with all its free meetings placed, is busy in
    exactly as many of the open slots as it has free meetings. Implied by the rest of the model, but
    CP-SAT does not derive it on one worker without its LP, and stated it prunes most of the search
    for few breaks: deterministic units for "at most B?" at the optimum, four hard B2B variants x
    3 seeds, 178 in all (one question open at 25) -> 54 (forum-14.forb0007.s1's "at most 2?" 17.7,
    19.4 and open -> 0.95 each; ticf-14crafa.fixed020.s2's "at most 26?" 3.9-7.0 -> 1.1-1.4)."""
    model.add(sum(b for b in busy if not isinstance(b, int)) == free_meetings)


def _breaks_of(inst: Instance, busy: list[Bool], model: cp_model.CpModel) -> cp_model.LinearExpr:
    """Blocks started minus sessions in which p is busy at all."""
    starts: list[Bool] = []
    actives: list[Bool] = []
    first = 0
    for t in range(inst.n_slots + 1):
        if t == inst.n_slots or (t > first and not inst.same_session(t - 1, t)):
            actives.append(_any(model, busy[first:t]))
            first = t
        if t < inst.n_slots:
            starts.append(_start(model, busy[t], busy[t - 1] if t > first else 0))
    return sum(starts) - sum(actives)


def _start(model: cp_model.CpModel, now: Bool, before: Bool) -> Bool:
    if (isinstance(now, int) and now == 0) or (isinstance(before, int) and before == 1):
        return 0
    if isinstance(before, int):
        return now
    if isinstance(now, int):
        return before.Not()
    start = model.new_bool_var("")
    model.add_bool_or([now.Not(), before, start])
    model.add_implication(start, now)
    model.add_implication(start, before.Not())
    return start


def _any(model: cp_model.CpModel, busy: list[Bool]) -> Bool:
    if any(isinstance(b, int) and b == 1 for b in busy):
        return 1
    variables = [b for b in busy if not isinstance(b, int)]
    if not variables:
        return 0
    if len(variables) == 1:
        return variables[0]
    active = model.new_bool_var("")
    for b in variables:
        model.add_implication(b, active)
    model.add_bool_or(variables).only_enforce_if(active)
    return active


def _relative_cap(inst: Instance, base: Occupancy, options: Options, built: Built) -> list:
    """max - min <= cap: `low` is at most everyone's breaks (0 for anyone with under two meetings,
    the fixed count for participants without free meetings); returns the excess terms (soft cap)."""
    model, cap = built.model, options.break_cap
    assert cap is not None
    fixed = [inst.breaks([t for t in range(inst.n_slots) if base.load[p][t]]) for p in range(len(inst.people))
             if p not in built.ladders]  # fmt: skip
    low = model.new_int_var(0, min(fixed, default=inst.n_slots), "low")
    excess = []
    for p, ladder in built.ladders.items():
        model.add(low <= sum(ladder))
        if len(ladder) <= cap:
            continue
        if options.hard_cap:
            model.add(sum(ladder) <= low + cap)
        else:
            over = model.new_int_var(0, len(ladder) - cap, f"e{p}")
            model.add(over >= sum(ladder) - low - cap)
            excess.append(over)
    return excess


def _ladder(model: cp_model.CpModel, expr: cp_model.LinearExpr, inst: Instance, p: int, options: Options) -> list:
    """p's breaks as booleans z1 >= z2 >= ... (z_j: at least j breaks); a hard absolute cap shortens it."""
    most = min(len(inst.meetings_of[p]) - 1, inst.n_slots // 2)
    if options.break_cap is not None and options.hard_cap and not options.relative:
        most = min(most, options.break_cap)
    ladder = [model.new_bool_var(f"z{p}_{j}") for j in range(most)]
    for lower, higher in zip(ladder, ladder[1:], strict=False):
        model.add_implication(higher, lower)
    model.add(expr == sum(ladder))
    return ladder


def _window(
    inst: Instance, p: int, ms: list[int], base: Occupancy, busy: list[Bool], ladder: list, built: Built
) -> None:
    """No break <=> all k meetings in one run of k slots (only when p's meetings are all free and
    placed, p holds one at a time, and all its slots lie in one session)."""
    k = len(inst.meetings_of[p])
    slots = sorted({t for m in ms for t in inst.feasible[m]})
    if (
        not ladder
        or len(ms) != k
        or inst.capacity[p] != 1
        or any(base.load[p])
        or inst.session[slots[0]] != inst.session[slots[-1]]
    ):
        return
    model, broken = built.model, ladder[0]
    starts = {}
    for s in range(slots[0], slots[-1] - k + 2):
        if all(not isinstance(busy[t], int) or busy[t] == 1 for t in range(s, s + k)):
            starts[s] = model.new_bool_var("")
            for t in range(s, s + k):
                if not isinstance(busy[t], int):
                    model.add_implication(starts[s], busy[t])
    model.add(sum(starts.values()) + broken == 1)
    for t in range(inst.n_slots):
        if not isinstance(busy[t], int):
            model.add(busy[t] <= sum(v for s, v in starts.items() if s <= t < s + k) + broken)


def _implied_table_limit(inst: Instance, base: Occupancy, busy_count: dict[int, list], built: Built) -> None:
    """Every meeting seats its participants at one table: busy participants <= width * free tables."""
    widest = max((len(members) for members in inst.members), default=2)
    for t, terms in busy_count.items():
        room = inst.tables[t] - base.tables_used[t]
        built.model.add(sum(terms) <= widest * room)
