"""Every meeting left out gets a reason a person understands, and a kind programs can read."""

from events.scheduler import io
from events.scheduler.solver import schedule


def reasons(data):
    solution = schedule(io.problem_from_dict(data), time_limit=5)
    return [(u.id, u.kind, u.reason) for u in solution.unscheduled]


def test_reason_no_common_slot_when_never_both_available(make_problem):
    data = make_problem(
        slots=2,
        participants=[{"id": "a", "unavailable": [1]}, {"id": "b", "unavailable": [2]}],
        meetings=[{"id": "ab", "participants": ["a", "b"]}],
    )
    assert reasons(data) == [
        ("ab", "no_common_slot", "no common free slot: its participants are never all available in the mission")
    ]


def test_reason_no_common_slot_names_allowed_slots(make_problem):
    data = make_problem(
        slots=2,
        participants=[{"id": "a", "unavailable": [2]}, "b"],
        meetings=[{"id": "ab", "participants": ["a", "b"], "allowed_slots": [2]}],
    )
    assert reasons(data) == [
        ("ab", "no_common_slot", "no common free slot: its participants are never all available in its allowed slots")
    ]


def test_reason_table_conflict_between_two_hosts(make_problem):
    data = make_problem(
        participants=[{"id": "a", "fixed_table": 1}, {"id": "b", "fixed_table": 2}],
        meetings=[{"id": "ab", "participants": ["a", "b"]}],
    )
    assert reasons(data) == [
        ("ab", "table_conflict", "its tables conflict: 'a' hosts at table 1, 'b' hosts at table 2")
    ]


def test_reason_pinned_where_a_participant_is_away(make_problem):
    data = make_problem(
        participants=[{"id": "a", "unavailable": [1]}, "b"],
        meetings=[{"id": "ab", "participants": ["a", "b"], "slot": 1}],
    )
    assert reasons(data) == [("ab", "pinned", "it is pinned to slot 1, where 'a' is unavailable")]


def test_reason_capacity_when_a_participant_is_booked(make_problem):
    data = make_problem(
        slots=1,
        tables=3,
        meetings=[{"id": "ab", "participants": ["a", "b"], "weight": 2}, {"id": "ac", "participants": ["a", "c"]}],
    )
    assert reasons(data) == [
        (
            "ac",
            "capacity",
            "capacity: in each of its 1 common free slot a participant is "
            "already in as many meetings as it has delegates ('a' in 1)",
        )
    ]


def test_reason_tables_when_every_table_is_taken(make_problem):
    data = make_problem(
        slots=1,
        tables=1,
        meetings=[{"id": "ab", "participants": ["a", "b"], "weight": 2}, {"id": "cd", "participants": ["c", "d"]}],
    )
    assert reasons(data) == [("cd", "tables", "tables full: all tables are taken in each of its 1 common free slot")]


def test_reason_mixed_when_slots_are_taken_both_ways(make_problem):
    data = make_problem(
        slots=2,
        tables=1,
        participants="abcef",
        meetings=[
            {"id": "ab", "participants": ["a", "b"], "weight": 3},
            {"id": "ef", "participants": ["e", "f"], "weight": 3},
            {"id": "ac", "participants": ["a", "c"]},
        ],
    )
    assert reasons(data) == [
        (
            "ac",
            "mixed",
            "each of its 2 common free slots is taken: a participant is fully "
            "booked in 1 ('a' in 1), all tables are taken in 1",
        )
    ]
