"""Lower bounds on breaks: valid (never above what a schedule reaches) and aware of pinned meetings."""

from events.scheduler import io
from events.scheduler.bounds import breaks_lower_bound
from events.scheduler.instance import compile_problem
from events.scheduler.solver import schedule


def _pinned_apart():
    """Firm a meets b, c, d in six slots of one session; a-b pinned to slot 1, a-c to slot 5."""
    return io.problem_from_dict(
        {
            "slots": [{"id": i} for i in range(1, 7)],
            "tables": 2,
            "participants": [{"id": p} for p in "abcd"],
            "meetings": [
                {"id": 1, "participants": ["a", "b"], "slot": 1},
                {"id": 2, "participants": ["a", "c"], "slot": 5},
                {"id": 3, "participants": ["a", "d"]},
            ],
        }
    )


def test_pinned_meetings_apart_force_a_break_in_the_bound():
    problem = _pinned_apart()
    inst = compile_problem(problem)
    assign = [0, 4, 1]
    # Three meetings fit in three adjacent slots, but not with two of them pinned four slots apart.
    assert breaks_lower_bound(inst, assign) == 1


def test_the_bound_with_pinned_meetings_is_met_and_proven():
    solution = schedule(_pinned_apart(), time_limit=5, wall_clock=False)
    stats = solution.stats
    assert (stats["breaks"], stats["breaks_bound"], stats["optimal"]) == (1, 1, True)
