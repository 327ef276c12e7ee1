"""The pre-check: before solving, the meetings that fixed meetings and unavailability rule out."""

from collections import Counter

from events.scheduler import checker, io
from events.scheduler.precheck import SOLVER_KIND, Finding, precheck
from events.scheduler.solver import schedule


def check(data):
    return precheck(io.problem_from_dict(data))


def solve(data):
    problem = io.problem_from_dict(data)
    solution = schedule(problem, time_limit=5)
    assert checker.check(problem, solution) == []
    return solution


def test_precheck_finds_nothing_in_a_problem_that_fits(make_problem):
    data = make_problem(meetings=[{"id": "ab", "participants": ["a", "b"], "slot": 1}])
    assert check(data) == []


def test_precheck_names_a_meeting_whose_firms_are_never_free_together(make_problem):
    data = make_problem(
        slots=2,
        participants=[{"id": "a", "unavailable": [1]}, {"id": "b", "slot_capacity": {"2": 0}}],
        meetings=[{"id": "ab", "participants": ["a", "b"]}],
    )
    assert check(data) == [
        Finding(
            "no_common_slot",
            ("ab",),
            "meeting 'ab': no common free slot: its participants are never all available in the mission",
        )
    ]


def test_precheck_allows_for_allowed_slots(make_problem):
    data = make_problem(
        slots=3,
        participants=[{"id": "a", "unavailable": [1, 2]}, "b"],
        meetings=[{"id": "ab", "participants": ["a", "b"], "allowed_slots": [1, 2]}],
    )
    assert [(f.kind, f.meetings) for f in check(data)] == [("no_common_slot", ("ab",))]


def test_precheck_names_a_fixed_meeting_where_a_firm_is_unavailable(make_problem):
    data = make_problem(
        participants=[{"id": "a", "unavailable": [2]}, "b"],
        meetings=[{"id": "ab", "participants": ["a", "b"], "slot": 2}],
    )
    assert check(data) == [
        Finding(
            "pinned", ("ab",), "meeting 'ab': it is pinned to slot 2, where 'a' is unavailable", participant="a", slot=2
        )
    ]


def test_precheck_finds_fixed_meetings_of_a_firm_beyond_its_delegates_present(make_problem):
    data = make_problem(
        tables=5,
        participants=[{"id": "a", "capacity": 2, "slot_capacity": {"1": 1}}, "b", "c"],
        meetings=[
            {"id": "ab", "participants": ["a", "b"], "slot": 1},
            {"id": "ac", "participants": ["a", "c"], "slot": 1},
        ],
    )
    assert check(data) == [
        Finding(
            "fixed_over_capacity",
            ("ab", "ac"),
            "2 meetings of 'a' are fixed in slot 1, where it holds 1 at once",
            participant="a",
            slot=1,
            count=2,
            limit=1,
        )
    ]


def test_precheck_finds_more_fixed_meetings_than_tables_and_a_table_clash(make_problem):
    data = make_problem(
        tables=1,
        meetings=[
            {"id": "ab", "participants": ["a", "b"], "slot": 1, "table": 1},
            {"id": "cd", "participants": ["c", "d"], "slot": 1, "table": 1},
        ],
    )
    assert [(f.kind, f.meetings, f.slot, f.count, f.limit) for f in check(data)] == [
        ("fixed_table_clash", ("ab", "cd"), 1, 2, 1),
        ("fixed_over_tables", ("ab", "cd"), 1, 2, 1),
    ]


def test_precheck_finds_a_firm_with_more_must_meet_meetings_than_seats(make_problem):
    data = make_problem(
        slots=3,
        participants=[{"id": "a", "unavailable": [3], "slot_capacity": {"2": 0}}, "b", "c", "d"],
        meetings=[
            {"id": "ab", "participants": ["a", "b"], "required": True},
            {"id": "ac", "participants": ["a", "c"], "required": True},
            {"id": "ad", "participants": ["a", "d"]},
        ],
    )
    assert check(data) == [
        Finding(
            "required_over_seats",
            ("ab", "ac"),
            "'a' has 2 must-meet meetings but only 1 seats in the slots they may use",
            participant="a",
            count=2,
            limit=1,
        )
    ]


def test_precheck_finds_a_firm_with_more_meetings_than_seats(make_problem):
    data = make_problem(
        slots=2,
        participants=[{"id": "a", "capacity": 2, "slot_capacity": {"2": 0}}, "b", "c", "d"],
        meetings=[{"id": x, "participants": ["a", x[1]]} for x in ("ab", "ac", "ad")],
    )
    assert [(f.kind, f.participant, f.count, f.limit) for f in check(data)] == [("over_seats", "a", 3, 2)]


def test_precheck_agrees_with_the_reasons_the_solver_gives(make_problem):
    """Each finding with a solver kind: the solver leaves out (count - limit) of its meetings, or the
    one meeting, with that kind; a per-meeting finding carries the solver's own words."""
    data = make_problem(
        slots=3,
        tables=2,
        participants=[
            {"id": "a", "capacity": 2, "slot_capacity": {"1": 1}},
            {"id": "b", "unavailable": [3]},
            "c",
            "d",
            {"id": "e", "unavailable": [1, 2, 3]},
            "f",
        ],
        meetings=[
            {"id": "ab", "participants": ["a", "b"], "slot": 1},
            {"id": "ac", "participants": ["a", "c"], "slot": 1},
            {"id": "bd", "participants": ["b", "d"], "slot": 3},
            {"id": "ef", "participants": ["e", "f"]},
            {"id": "cf", "participants": ["c", "f"], "slot": 2, "table": 1},
            {"id": "df", "participants": ["d", "a"], "slot": 2, "table": 1},
        ],
    )
    findings = check(data)
    solution = solve(data)
    left_out = {u.id: (u.kind, u.reason) for u in solution.unscheduled}
    assert [f.kind for f in findings] == ["pinned", "no_common_slot", "fixed_over_capacity", "fixed_table_clash"]
    for finding in findings:
        kind = SOLVER_KIND[finding.kind]
        if finding.count:
            out = Counter(left_out[m][0] for m in finding.meetings if m in left_out)
            assert out == {kind: finding.count - finding.limit}
        else:
            [meeting] = finding.meetings
            assert left_out[meeting] == (kind, finding.message.split(": ", 1)[1])
