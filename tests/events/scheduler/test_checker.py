"""The independent checker finds each kind of broken rule in hand-broken solutions."""

import pytest

from events.scheduler import checker, io
from events.scheduler.model import Placement, Solution, Unscheduled


@pytest.fixture
def problem(make_problem):
    return io.problem_from_dict(
        make_problem(
            slots=3,
            tables=2,
            participants=[{"id": "a", "unavailable": [3]}, "b", {"id": "c", "fixed_table": 2}, "d"],
            meetings=[
                {"id": "ab", "participants": ["a", "b"], "allowed_slots": [1, 2]},
                {"id": "ac", "participants": ["a", "c"]},
                {"id": "cd", "participants": ["c", "d"], "slot": 3, "table": 2},
            ],
        )
    )


VALID = {"ab": Placement("ab", 1, 1), "ac": Placement("ac", 2, 2), "cd": Placement("cd", 3, 2)}


def found(problem, **changes):
    placements = {**VALID, **changes}
    solution = Solution([p for p in placements.values() if p is not None], [])
    return [(v.kind, v.meeting) for v in checker.check(problem, solution)]


def test_check_valid_solution_has_no_violation(problem):
    assert found(problem) == []


def test_check_catches_unknown_meeting(problem):
    assert found(problem, zz=Placement("zz", 1, 2)) == [("unknown_meeting", "zz")]


def test_check_catches_missing_meeting(problem):
    assert found(problem, ab=None) == [("missing", "ab")]


def test_check_catches_duplicate_and_unscheduled_without_reason(problem):
    solution = Solution(list(VALID.values()), [Unscheduled("ab", " ")])
    assert [(v.kind, v.meeting) for v in checker.check(problem, solution)] == [("duplicate", "ab"), ("no_reason", "ab")]


def test_check_catches_unknown_slot(problem):
    assert found(problem, ab=Placement("ab", 9, 1)) == [("unknown_slot", "ab")]


def test_check_catches_unavailable_participant_and_slot_not_allowed(problem):
    assert found(problem, ab=Placement("ab", 3, 1)) == [("unavailable", "ab"), ("not_allowed", "ab")]


def test_check_catches_host_away_from_its_fixed_table(problem):
    assert found(problem, ac=Placement("ac", 2, 1)) == [("fixed_table", "ac")]


def test_check_catches_pinned_meeting_moved(problem):
    assert found(problem, cd=Placement("cd", 1, 2)) == [("pinned", "cd")]


def test_check_catches_pinned_table_changed(problem):
    assert found(problem, cd=Placement("cd", 3, 1)) == [("fixed_table", "cd"), ("pinned", "cd")]


def test_check_catches_table_beyond_the_slot(problem):
    assert found(problem, ab=Placement("ab", 1, 3)) == [("no_table", "ab")]


def test_check_catches_participant_above_capacity(problem):
    assert found(problem, ac=Placement("ac", 1, 2)) == [("capacity", None)]


def test_check_catches_two_meetings_at_one_table(problem):
    assert found(problem, ab=Placement("ab", 2, 2)) == [("capacity", None), ("table_clash", "ab")]


def test_recompute_counts_breaks_per_participant(problem):
    solution = Solution([Placement("ab", 1, 1), Placement("cd", 3, 2)], [Unscheduled("ac", "x")])
    assert checker.participant_breaks(problem, solution) == {"a": 0, "b": 0, "c": 0, "d": 0}
    solution = Solution([Placement("ab", 2, 1), Placement("ac", 1, 2), Placement("cd", 3, 2)], [])
    assert checker.recompute(problem, solution) == {
        "placed": 3,
        "weight": 3,
        "breaks": 1,
        "max_breaks": 1,
        "break_spread": 1,
        "required_placed": 0,
        "fairness_ok": True,
    }
