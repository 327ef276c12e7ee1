"""Reading and writing the interchange format (docs/scheduling-format.md)."""

import json

import pytest

from events.scheduler import io
from events.scheduler.model import Meeting, Participant, Placement, Problem, Slot, Solution, Unscheduled


def errors(data):
    with pytest.raises(io.ProblemError) as caught:
        io.problem_from_dict(data)
    return caught.value.errors


def test_problem_round_trip_keeps_every_field(make_problem):
    data = make_problem(
        slots=3,
        tables={"1": 1, "2": 2, "3": 0},
        participants=[{"id": "a", "capacity": 2, "unavailable": [3, 1]}, {"id": 7, "fixed_table": 1}, "c"],
        meetings=[
            {"id": 1, "participants": ["a", 7], "weight": 4, "required": True, "slot": 2, "table": 1},
            {"id": "x", "participants": ["a", "c"], "allowed_slots": [2, 1]},
        ],
        max_break_spread=None,
    )
    problem = io.problem_from_dict(data)
    assert io.problem_from_dict(json.loads(json.dumps(io.problem_to_dict(problem)))) == problem
    assert io.problem_to_dict(problem)["participants"][0]["unavailable"] == [1, 3]


def test_problem_defaults_fill_omitted_fields():
    data = {
        "slots": [{"id": "s1"}],
        "tables": 3,
        "participants": [{"id": "a"}, {"id": "b"}],
        "meetings": [{"id": "m", "participants": ["a", "b"]}],
    }
    assert io.problem_from_dict(data) == Problem(
        slots=(Slot("s1", "default", None, None),),
        tables={"s1": 3},
        participants=(Participant("a", 1, frozenset(), None), Participant("b", 1, frozenset(), None)),
        meetings=(Meeting("m", ("a", "b"), 1, False, None, None, None),),
        max_break_spread=2,
    )


def test_tables_object_with_string_keys_matches_integer_slot_ids(make_problem):
    problem = io.problem_from_dict(make_problem(slots=2, tables={"1": 4, "2": 0}))
    assert problem.tables == {1: 4, 2: 0}


def test_tables_object_must_cover_every_slot(make_problem):
    assert errors(make_problem(slots=2, tables={"1": 4, "9": 1})) == [
        "tables['9']: unknown slot '9'",
        "tables: no entry for slot 2",
    ]


def test_unknown_participant_is_an_error(make_problem):
    data = make_problem(meetings=[{"id": "m", "participants": ["a", "zz"]}])
    assert errors(data) == ["meetings[0].participants: unknown participant 'zz'"]


def test_duplicate_ids_are_errors(make_problem):
    data = make_problem(
        participants="aab", meetings=[{"id": "m", "participants": ["a", "b"]}, {"id": "m", "participants": ["a", "b"]}]
    )
    data["slots"].append({"id": 1, "session": "am"})
    assert errors(data) == [
        "slots[4].id: duplicate slot id 1",
        "participants[1].id: duplicate participant id 'a'",
        "meetings[1].id: duplicate meeting id 'm'",
    ]


def test_bad_types_are_errors(make_problem):
    data = make_problem(
        participants=[{"id": "a", "capacity": "2"}, {"id": True}, "b"],
        meetings=[{"id": 1.5, "participants": ["a", "b"], "weight": 0, "required": "yes"}],
    )
    assert errors(data) == [
        "participants[0].capacity: expected an integer, got a string",
        "participants[1].id: expected a string or integer id, got a boolean",
        "meetings[0].id: expected a string or integer id, got a number",
        "meetings[0].weight: must be at least 1, got 0",
        "meetings[0].required: expected true or false, got a string",
    ]


def test_slot_references_must_name_known_slots(make_problem):
    data = make_problem(
        participants=[{"id": "a", "unavailable": [5]}, "b"],
        meetings=[{"id": "m", "participants": ["a", "b"], "allowed_slots": ["1"], "slot": 0}],
    )
    assert errors(data) == [
        "participants[0].unavailable[0]: unknown slot 5",
        "meetings[0].allowed_slots[0]: unknown slot '1'",
        "meetings[0].slot: unknown slot 0",
    ]


def test_missing_sections_and_non_object_are_errors():
    assert errors({"slots": []}) == ["tables: missing", "participants: missing", "meetings: missing"]
    assert errors([]) == ["problem: expected an object, got a list"]


def test_read_problem_reports_invalid_json(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{not json")
    with pytest.raises(io.ProblemError) as caught:
        io.read_problem(path)
    assert caught.value.errors == [
        f"{path}: not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"
    ]


def test_solution_round_trip():
    solution = Solution([Placement("m", 1, 2)], [Unscheduled(3, "tables full", "tables")], {"placed": 1})
    assert io.solution_from_dict(json.loads(json.dumps(io.solution_to_dict(solution)))) == solution
