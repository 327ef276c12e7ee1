"""Simulated annealing on the slots of placed meetings (anneal.py): keeps every rule, never drops a
meeting, never ranks worse than its start, and rearranges full slots by Kempe swaps."""

import random

from events.scheduler import checker, io
from events.scheduler.anneal import anneal
from events.scheduler.assemble import assemble
from events.scheduler.exact import _score
from events.scheduler.greedy import compact_assign
from events.scheduler.instance import UNPLACED, compile_problem


def at(inst, slots):
    """An assignment from {meeting id: slot id}."""
    index = {sid: t for t, sid in enumerate(inst.slot_ids)}
    ids = [m.id for m in inst.problem.meetings]
    return [index[slots[mid]] if mid in slots else UNPLACED for mid in ids]


def test_a_full_slot_is_rearranged_by_swapping_two_chains(make_problem):
    # One table a slot, every slot full: x meets a in 1 and b in 3, with y-z between, a break for x.
    # No meeting can move alone; swapping x-b (3 -> 2) with y-z (2 -> 3) closes the gap.
    problem = io.problem_from_dict(make_problem(
        slots=3, tables=1, participants="xabyz",
        meetings=[{"id": "xa", "participants": ["x", "a"]}, {"id": "yz", "participants": ["y", "z"]},
                  {"id": "xb", "participants": ["x", "b"]}],
    ))  # fmt: skip
    inst = compile_problem(problem)
    start = at(inst, {"xa": 1, "yz": 2, "xb": 3})
    assert sum(inst.breaks_per_participant(start)) == 1
    result = anneal(inst, start, moves=2_000, seed=0)
    assert (result.breaks, result.excess) == (0, 0)
    assert sorted(result.assign) == [0, 1, 2]


def test_pinned_meetings_stay_and_unavailable_slots_stay_free(make_problem):
    problem = io.problem_from_dict(make_problem(
        slots=4, tables=1, participants=["x", "a", "b", {"id": "c", "unavailable": [2]}],
        meetings=[{"id": "xa", "participants": ["x", "a"], "slot": 1},
                  {"id": "xb", "participants": ["x", "b"]}, {"id": "xc", "participants": ["x", "c"]}],
    ))  # fmt: skip
    inst = compile_problem(problem)
    start = at(inst, {"xa": 1, "xb": 2, "xc": 4})
    result = anneal(inst, start, moves=2_000, seed=0)
    # x-a stays in slot 1 and c is away in 2: the only schedule without a break for x.
    assert result.assign == at(inst, {"xa": 1, "xb": 2, "xc": 3})
    assert result.breaks == 0


def random_problem(seed):
    """A tight random mission: few tables, pinned meetings, away slots, a firm with two delegates
    who are not all there, hosts at fixed tables."""
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(14)]
    participants = []
    for i, pid in enumerate(people):
        row = {"id": pid, "unavailable": rng.sample(range(1, 9), k=rng.choice([0, 0, 1, 2]))}
        if i == 0:
            row.update(capacity=2, slot_capacity={"3": 1, "4": 1})
        if i in (1, 2):
            row["fixed_table"] = i
        participants.append(row)
    pairs = rng.sample([(a, b) for i, a in enumerate(people) for b in people[i + 1 :]], k=30)
    meetings = [{"id": f"m{i}", "participants": list(pair)} for i, pair in enumerate(pairs)]
    for m in rng.sample(meetings, k=3):
        m["allowed_slots"] = [1, 2, 3, 4]
    data = {"slots": [{"id": i, "session": "am" if i <= 4 else "pm"} for i in range(1, 9)],
            "tables": 5, "participants": participants, "meetings": meetings}  # fmt: skip
    return io.problem_from_dict(data)


def test_every_rule_kept_and_never_worse_than_the_start():
    for seed in range(6):
        problem = random_problem(seed)
        inst = compile_problem(problem)
        start = compact_assign(inst)
        result = anneal(inst, start, moves=20_000, seed=seed)
        placed = [m for m, t in enumerate(start) if t != UNPLACED]
        assert [m for m, t in enumerate(result.assign) if t != UNPLACED] == placed
        assert (result.excess, result.breaks) == _score(inst, result.assign)
        assert _score(inst, result.assign) <= _score(inst, start)
        solution = assemble(inst, result.assign, seconds=0.0, status="feasible")
        assert checker.check(problem, solution) == [], seed


def test_the_same_seed_gives_the_same_schedule():
    inst = compile_problem(random_problem(3))
    start = compact_assign(inst)
    first = anneal(inst, start, moves=5_000, seed=7)
    assert anneal(inst, start, moves=5_000, seed=7).assign == first.assign


def test_the_deadline_stops_the_search(make_problem):
    inst = compile_problem(random_problem(1))
    calls = []

    def passed():
        calls.append(1)
        return True

    result = anneal(inst, compact_assign(inst), moves=1_000_000, seed=0, deadline_passed=passed)
    assert len(calls) == 1 and result.moves < 5_000
