"""Capacity per slot: a firm with delegates away in some slots holds fewer meetings there."""

import pytest

from events.scheduler import checker, io
from events.scheduler.instance import compile_problem
from events.scheduler.model import Participant, Placement, Solution
from events.scheduler.solver import schedule


def solve(data):
    problem = io.problem_from_dict(data)
    solution = schedule(problem, time_limit=5)
    assert checker.check(problem, solution) == []
    return problem, solution


def test_slot_capacity_lowers_what_a_firm_holds_in_that_slot(make_problem):
    # a has two delegates but one is away in slot 1: only one of its two meetings fits there.
    data = make_problem(
        slots=1,
        tables=5,
        participants=[{"id": "a", "capacity": 2, "slot_capacity": {"1": 1}}, "b", "c"],
        meetings=[{"id": "ab", "participants": ["a", "b"], "weight": 2}, {"id": "ac", "participants": ["a", "c"]}],
    )
    _, solution = solve(data)
    assert [(p.id, p.slot) for p in solution.meetings] == [("ab", 1)]
    assert [(u.id, u.kind) for u in solution.unscheduled] == [("ac", "capacity")]


def test_slot_capacity_elsewhere_keeps_the_full_capacity(make_problem):
    data = make_problem(
        slots=2,
        tables=5,
        participants=[{"id": "a", "capacity": 2, "slot_capacity": {"1": 0}}, "b", "c"],
        meetings=[{"id": "ab", "participants": ["a", "b"]}, {"id": "ac", "participants": ["a", "c"]}],
    )
    _, solution = solve(data)
    assert sorted((p.id, p.slot) for p in solution.meetings) == [("ab", 2), ("ac", 2)]


def test_slot_capacity_zero_is_unavailable(make_problem):
    data = make_problem(
        slots=1,
        participants=[{"id": "a", "slot_capacity": {"1": 0}}, "b"],
        meetings=[{"id": "ab", "participants": ["a", "b"]}],
    )
    _, solution = solve(data)
    assert [(u.id, u.kind) for u in solution.unscheduled] == [("ab", "no_common_slot")]


def test_slot_capacity_keeps_a_pinned_meeting_out_of_a_slot_without_delegates(make_problem):
    data = make_problem(
        slots=2,
        participants=[{"id": "a", "slot_capacity": {"2": 0}}, "b"],
        meetings=[{"id": "ab", "participants": ["a", "b"], "slot": 2}],
    )
    _, solution = solve(data)
    assert [(u.id, u.kind, u.reason) for u in solution.unscheduled] == [
        ("ab", "pinned", "it is pinned to slot 2, where 'a' is unavailable")
    ]


def test_capacity_at_shares_rows_of_firms_without_slot_capacity(make_problem):
    problem = io.problem_from_dict(
        make_problem(slots=3, participants=["a", "b", {"id": "c", "capacity": 3, "slot_capacity": {"2": 1}}])
    )
    inst = compile_problem(problem)
    assert inst.capacity_at == [[1, 1, 1], [1, 1, 1], [3, 1, 3]]
    assert inst.capacity_at[0] is inst.capacity_at[1]


def test_checker_counts_capacity_per_slot(make_problem):
    problem = io.problem_from_dict(
        make_problem(
            slots=1,
            tables=5,
            participants=[{"id": "a", "capacity": 2, "slot_capacity": {"1": 1}}, "b", "c"],
            meetings=[{"id": "ab", "participants": ["a", "b"]}, {"id": "ac", "participants": ["a", "c"]}],
        )
    )
    solution = Solution([Placement("ab", 1, 1), Placement("ac", 1, 2)])
    assert [str(v) for v in checker.check(problem, solution)] == ["'a' is in 2 meetings in slot 1 but has capacity 1"]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ({"9": 1}, "participants[0].slot_capacity['9']: unknown slot '9'"),
        ({"1": 3}, "participants[0].slot_capacity['1']: expected an integer from 0 to its capacity 2, got 3"),
        ({"1": -1}, "participants[0].slot_capacity['1']: expected an integer from 0 to its capacity 2, got -1"),
        ([1], "participants[0].slot_capacity: expected an object, got a list"),
    ],
)
def test_slot_capacity_bad_values_are_field_errors(make_problem, value, error):
    data = make_problem(slots=1, participants=[{"id": "a", "capacity": 2, "slot_capacity": value}])
    with pytest.raises(io.ProblemError) as caught:
        io.problem_from_dict(data)
    assert caught.value.errors == [error]


def test_slot_capacity_round_trips_through_the_format(make_problem):
    data = make_problem(slots=2, participants=[{"id": "a", "capacity": 2, "slot_capacity": {"2": 1}}, "b"])
    problem = io.problem_from_dict(data)
    again = io.problem_from_dict(io.problem_to_dict(problem))
    assert again.participants[0].slot_capacity == {2: 1}
    assert again.participants[0] == Participant("a", 2, frozenset(), None, {2: 1})
