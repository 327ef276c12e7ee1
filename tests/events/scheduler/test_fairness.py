"""The fairness cap (max - min breaks per participant): it can cost breaks, never a meeting."""

import math

from events.scheduler import checker, io
from events.scheduler.exact import Budget
from events.scheduler.greedy import compact_assign, fill
from events.scheduler.instance import UNPLACED, compile_problem
from events.scheduler.lns import improve, repair_fairness
from events.scheduler.solver import schedule
from events.scheduler.state import Occupancy

# Each partner p1..p4 of "a" has two pinned meetings around one slot (p1 at 1 and 3, around 2):
# meeting "a" there costs the partner no break. Those slots (2, 5, 8, 11) are spread out, so the
# fewest breaks (3) all fall on "a". Meeting a-p4 may also take slot 6, next to a's slot 5: "a"
# then has 2 breaks and p4 (busy at 6, 10 and 12) has 2, 4 in all, but within the cap of 2.
NATURAL = {"p1": 2, "p2": 5, "p3": 8, "p4": 11}
ALTERNATIVE = {"p4": [6]}


def spread_problem(*, alternatives=ALTERNATIVE, **extra):
    meetings, fillers = [], []
    for p, slot in NATURAL.items():
        meetings.append({"id": f"a-{p}", "participants": ["a", p], "allowed_slots": [slot, *alternatives.get(p, [])]})
        for side in (slot - 1, slot + 1):
            fillers.append(f"f-{p}-{side}")
            meetings.append({"id": f"{p}-{side}", "participants": [p, fillers[-1]], "slot": side})
    data = {
        "slots": [{"id": i, "session": "am"} for i in range(1, 13)],
        "tables": 10,
        "participants": [{"id": p} for p in ["a", *NATURAL, *fillers]],
        "meetings": meetings,
    }
    data.update(extra)
    return io.problem_from_dict(data)


def breaks_of(problem, solution):
    inst = compile_problem(problem)
    slot_index = {sid: t for t, sid in enumerate(inst.slot_ids)}
    index = {m.id: i for i, m in enumerate(problem.meetings)}
    assign = [UNPLACED] * inst.n_meetings
    for placement in solution.meetings:
        assign[index[placement.id]] = slot_index[placement.slot]
    return dict(zip(inst.people, inst.breaks_per_participant(assign), strict=True))


def test_fairness_cap_costs_a_break_to_keep_everyone_within_two():
    problem = spread_problem()
    solution = schedule(problem, time_limit=5, wall_clock=False)
    breaks = breaks_of(problem, solution)
    assert checker.check(problem, solution) == []
    assert (solution.stats["placed"], solution.stats["breaks"], solution.stats["fairness_ok"]) == (12, 4, True)
    assert (breaks["a"], breaks["p4"], solution.stats["above_cap"]) == (2, 2, [])


def test_fairness_cap_off_gives_fewer_breaks_all_on_one_participant():
    problem = spread_problem(max_break_spread=None)
    solution = schedule(problem, time_limit=5, wall_clock=False)
    assert checker.check(problem, solution) == []
    assert (solution.stats["placed"], solution.stats["breaks"], breaks_of(problem, solution)["a"]) == (12, 3, 3)


def test_fairness_cap_never_costs_a_meeting_and_is_reported_when_unmet():
    problem = spread_problem(alternatives={})
    solution = schedule(problem, time_limit=1, wall_clock=False)
    assert checker.check(problem, solution) == []
    assert (solution.stats["placed"], solution.stats["fairness_ok"], solution.stats["above_cap"]) == (12, False, ["a"])


def test_large_path_respects_the_cap_and_repeats_itself():
    inst = compile_problem(spread_problem())
    start = fill(inst, compact_assign(inst))
    assert max(inst.breaks_per_participant(start)) == 3
    first = improve(inst, start, Budget(5, deadline=math.inf), seed=0, rounds=20)
    second = improve(inst, start, Budget(5, deadline=math.inf), seed=0, rounds=20)
    assert (first == second, max(inst.breaks_per_participant(first))) == (True, 2)
    assert UNPLACED not in first


def test_repair_fairness_moves_meetings_without_dropping_any():
    inst = compile_problem(spread_problem())
    occ = Occupancy(inst, fill(inst, compact_assign(inst)))
    breaks = inst.breaks_per_participant(occ.assign)
    repair_fairness(inst, occ, breaks, Budget(5, deadline=math.inf), seed=0)
    assert (breaks, inst.breaks_per_participant(occ.assign)[0], UNPLACED in occ.assign) == (
        inst.breaks_per_participant(occ.assign),
        2,
        False,
    )
