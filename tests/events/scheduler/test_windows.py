"""Exact re-solves of windows of consecutive slots (windows.py, exact._windows): the meetings of a
window stay inside it, the rest of the schedule stays put, and a window closes the gaps it holds."""

import math

from events.scheduler import exact, io, windows
from events.scheduler.instance import UNPLACED, compile_problem
from tests.events.scheduler.test_anneal import at

# One table a slot, every slot full: x meets a in 1, b in 3 and c in 5, with y-z and u-v between.
FULL_DAY = {
    "slots": 5, "tables": 1, "participants": "xabcyzuv",
    "meetings": [{"id": "xa", "participants": ["x", "a"]}, {"id": "yz", "participants": ["y", "z"]},
                 {"id": "xb", "participants": ["x", "b"]}, {"id": "uv", "participants": ["u", "v"]},
                 {"id": "xc", "participants": ["x", "c"]}],
}  # fmt: skip
START = {"xa": 1, "yz": 2, "xb": 3, "uv": 4, "xc": 5}


def full_day(make_problem):
    inst = compile_problem(io.problem_from_dict(make_problem(**FULL_DAY)))
    return inst, at(inst, START)


def test_a_window_frees_only_its_meetings_and_keeps_them_inside_it(make_problem):
    inst, start = full_day(make_problem)
    sub, free, occ = windows.window(inst, start, first=0, width=3)
    assert sorted(free) == sorted(m for m, t in enumerate(start) if t in (0, 1, 2))
    assert all(set(sub.feasible[m]) == {0, 1, 2} for m in free)
    assert occ.assign == [UNPLACED if m in free else t for m, t in enumerate(start)]


def test_a_sweep_of_windows_closes_the_gaps_no_single_move_can(make_problem):
    # Every slot is full, so no meeting can move alone; re-solved as one window, x's three
    # meetings come together and nobody has a break.
    inst, start = full_day(make_problem)
    assert sum(inst.breaks_per_participant(start)) == 2
    budget = exact.Budget(5, deadline=math.inf)
    result = exact._windows(inst, start, budget, seed=0)
    assert sum(inst.breaks_per_participant(result)) == 0
    assert sorted(result) == [0, 1, 2, 3, 4]


def test_a_sweep_visits_each_window_once_when_none_improves(make_problem):
    inst, start = full_day(make_problem)
    seen = []

    def resolve(first, width, current):
        seen.append((first, width))
        return None

    result = windows.sweep(inst, start, resolve, lambda a: exact._score(inst, a), stop=lambda: False, width=3)
    assert result == start
    assert seen == [(0, 3), (1, 3), (2, 3)]
