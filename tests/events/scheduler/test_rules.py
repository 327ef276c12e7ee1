"""The scheduler's hard rules and the order of its aims, on hand-made problems."""

from events.scheduler import checker, io
from events.scheduler.solver import schedule


def solve(data, **options):
    problem = io.problem_from_dict(data)
    solution = schedule(problem, time_limit=options.pop("time_limit", 5), **options)
    assert checker.check(problem, solution) == []
    return problem, solution


def where(solution):
    return {p.id: (p.slot, p.table) for p in solution.meetings}


def kinds(solution):
    return {u.id: u.kind for u in solution.unscheduled}


def test_capacity_one_keeps_a_participant_in_one_meeting_per_slot(make_problem):
    data = make_problem(
        slots=1,
        tables=5,
        meetings=[{"id": "ab", "participants": ["a", "b"], "weight": 2}, {"id": "ac", "participants": ["a", "c"]}],
    )
    _, solution = solve(data)
    assert (where(solution), kinds(solution)) == ({"ab": (1, 1)}, {"ac": "capacity"})


def test_capacity_two_lets_a_participant_hold_two_meetings_at_once(make_problem):
    data = make_problem(
        slots=1,
        tables=5,
        participants=[{"id": "a", "capacity": 2}, "b", "c"],
        meetings=[{"id": "ab", "participants": ["a", "b"]}, {"id": "ac", "participants": ["a", "c"]}],
    )
    _, solution = solve(data)
    assert where(solution) == {"ab": (1, 1), "ac": (1, 2)}


def test_tables_limit_the_meetings_of_a_slot(make_problem):
    data = make_problem(
        slots=1,
        tables=1,
        meetings=[{"id": "ab", "participants": ["a", "b"], "weight": 2}, {"id": "cd", "participants": ["c", "d"]}],
    )
    _, solution = solve(data)
    assert (where(solution), kinds(solution)) == ({"ab": (1, 1)}, {"cd": "tables"})


def test_unavailable_slot_is_never_used(make_problem):
    data = make_problem(
        slots=2,
        participants=[{"id": "a", "unavailable": [1]}, "b"],
        meetings=[{"id": "ab", "participants": ["a", "b"]}],
    )
    _, solution = solve(data)
    assert where(solution) == {"ab": (2, 1)}


def test_allowed_slots_are_respected(make_problem):
    data = make_problem(slots=4, meetings=[{"id": "ab", "participants": ["a", "b"], "allowed_slots": [3]}])
    _, solution = solve(data)
    assert where(solution) == {"ab": (3, 1)}


def test_pinned_meeting_stays_at_its_slot_and_table(make_problem):
    data = make_problem(
        slots=3,
        tables=3,
        meetings=[
            {"id": "ab", "participants": ["a", "b"], "slot": 2, "table": 3},
            {"id": "ac", "participants": ["a", "c"]},
        ],
    )
    _, solution = solve(data)
    assert where(solution)["ab"] == (2, 3)


def test_host_keeps_its_fixed_table(make_problem):
    data = make_problem(
        slots=3,
        tables=3,
        participants=[{"id": "a", "fixed_table": 2}, "b", "c", "d"],
        meetings=[{"id": f"a{p}", "participants": ["a", p]} for p in "bcd"],
    )
    _, solution = solve(data)
    assert sorted(where(solution).values()) == [(1, 2), (2, 2), (3, 2)]


def test_required_meeting_placed_before_a_heavier_one(make_problem):
    data = make_problem(
        slots=1,
        tables=1,
        meetings=[
            {"id": "ab", "participants": ["a", "b"], "weight": 6},
            {"id": "cd", "participants": ["c", "d"], "required": True},
        ],
    )
    _, solution = solve(data)
    assert (where(solution), kinds(solution)) == ({"cd": (1, 1)}, {"ab": "tables"})


def test_weight_placed_before_breaks_avoided(make_problem):
    # Both of a's meetings fit only two slots apart: placing both costs a break, and that is right.
    data = make_problem(
        slots=3,
        meetings=[
            {"id": "ab", "participants": ["a", "b"], "allowed_slots": [1]},
            {"id": "ac", "participants": ["a", "c"], "allowed_slots": [3]},
        ],
    )
    problem, solution = solve(data)
    assert (where(solution), checker.recompute(problem, solution)["breaks"]) == ({"ab": (1, 1), "ac": (3, 1)}, 1)


def test_breaks_minimised_to_known_optimum(make_problem):
    # a meets b, c and d at the one table; b is away in slot 2, d in slot 4: a run of three slots
    # for a still exists (b 1, c 2, d 3), so the optimum is 0 breaks, and the bound proves it.
    data = make_problem(
        slots=5,
        tables=1,
        participants=["a", {"id": "b", "unavailable": [2]}, "c", {"id": "d", "unavailable": [4]}],
        meetings=[{"id": f"a{p}", "participants": ["a", p]} for p in "bcd"],
    )
    problem, solution = solve(data)
    figures = checker.recompute(problem, solution)
    assert (figures["placed"], figures["breaks"], solution.stats["breaks_bound"]) == (3, 0, 0)


def test_breaks_counted_within_a_session_only():
    data = {
        "slots": [{"id": 1, "session": "am"}, {"id": 2, "session": "am"}, {"id": 3, "session": "pm"}],
        "tables": 1,
        "participants": [{"id": p} for p in "abc"],
        "meetings": [
            {"id": "ab", "participants": ["a", "b"], "slot": 1},
            {"id": "ac", "participants": ["a", "c"], "slot": 3},
        ],
    }
    problem, solution = solve(data)
    assert checker.recompute(problem, solution)["breaks"] == 0


def test_fairness_cap_never_costs_a_meeting(make_problem):
    # a's four meetings can only sit in slots 1, 3, 5, 7: 3 breaks for a, 0 for the others.
    data = make_problem(
        slots=7,
        tables=1,
        participants="abcde",
        meetings=[
            {"id": f"a{p}", "participants": ["a", p], "allowed_slots": [s]}
            for p, s in zip("bcde", (1, 3, 5, 7), strict=True)
        ],
    )
    problem, solution = solve(data)
    figures = checker.recompute(problem, solution)
    assert (figures["placed"], figures["max_breaks"], figures["fairness_ok"]) == (4, 3, False)
    assert (solution.stats["break_spread"], solution.stats["fairness_ok"]) == (3, False)


def test_required_meetings_that_cannot_all_fit_are_reported(make_problem):
    data = make_problem(
        slots=1,
        tables=1,
        meetings=[
            {"id": "ab", "participants": ["a", "b"], "required": True},
            {"id": "cd", "participants": ["c", "d"], "required": True},
            {"id": "ac", "participants": ["a", "c"]},
        ],
    )
    _, solution = solve(data)
    stats = solution.stats
    assert (len(solution.meetings), stats["required_placed"], stats["all_required_placed"], stats["status"]) == (
        1,
        1,
        False,
        "required_unplaced",
    )
    assert sorted(kinds(solution).values()) == ["capacity", "tables"]


def test_schedule_same_seed_gives_same_solution(make_problem):
    data = make_problem(
        slots=6,
        tables=2,
        participants="abcdefgh",
        meetings=[
            {"id": f"{p}{q}", "participants": [p, q], "weight": 1 + (ord(p) + ord(q)) % 5}
            for p in "abcd"
            for q in "efgh"
        ],
    )
    _, first = solve(data, seed=3)
    _, second = solve(data, seed=3)
    assert (first.meetings, first.unscheduled) == (second.meetings, second.unscheduled)
