"""The time limit is a wall-clock promise: the answer comes within the limit plus a small margin
whatever the load, and the figures say what stopped the run.

These check a guarantee, not speed: the bounds are generous (limit 2 s, answer under 3.5 s), and
the instances are big enough that neither budget is spent before the deadline on a fast machine.
"""

import random
import time

from events.scheduler import io
from events.scheduler.exact import Budget
from events.scheduler.greedy import compact_assign
from events.scheduler.instance import compile_problem
from events.scheduler.lns import improve
from events.scheduler.solver import schedule

LIMIT = 2.0
MARGIN = 1.5


def _busy_mission(seed: int = 7, firms: int = 160, meetings: int = 1100):
    """Random meetings among `firms` over two sessions of 7 slots: far from solved in 2 s."""
    rng = random.Random(seed)
    slots = [{"id": f"{s}{i}", "session": s} for s in ("am", "pm") for i in range(7)]
    participants = [{"id": f"f{i}", "unavailable": rng.sample([s["id"] for s in slots], rng.choice([0, 0, 1, 2]))}
                    for i in range(firms)]  # fmt: skip
    pairs = [rng.sample(range(firms), 2) for _ in range(meetings)]
    rows = [{"id": n, "participants": [f"f{a}", f"f{b}"], "weight": rng.randint(1, 6)}
            for n, (a, b) in enumerate(pairs)]  # fmt: skip
    return io.problem_from_dict({"slots": slots, "tables": firms // 3, "participants": participants, "meetings": rows})


def test_schedule_answers_within_the_limit_and_says_what_stopped_it():
    problem = _busy_mission()
    started = time.monotonic()
    solution = schedule(problem, time_limit=LIMIT, seed=0)
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT + MARGIN
    stats = solution.stats
    assert stats["stopped_on"] in ("optimal", "deterministic budget", "wall clock")
    assert stats["deterministic"] == (stats["stopped_on"] != "wall clock")


def test_the_wall_clock_stops_work_planned_for_much_longer():
    # Deterministic work for 1,000 s but a deadline 2 s away: only the clock can stop it.
    inst = compile_problem(_busy_mission())
    start = compact_assign(inst)
    started = time.monotonic()
    budget = Budget(1000.0, deadline=started + LIMIT)
    improve(inst, start, budget, seed=0)
    assert time.monotonic() - started < LIMIT + MARGIN
    assert budget.wall_hit
    assert budget.stopped_on == "wall clock"


def test_a_small_problem_proven_optimal_says_so():
    problem = io.problem_from_dict(
        {
            "slots": [{"id": i} for i in range(1, 5)],
            "tables": 2,
            "participants": [{"id": p} for p in "abc"],
            "meetings": [{"id": 1, "participants": ["a", "b"]}, {"id": 2, "participants": ["b", "c"]}],
        }
    )
    stats = schedule(problem, time_limit=LIMIT).stats
    assert stats["stopped_on"] == "optimal"
    assert stats["deterministic"] is True


def test_a_budget_stopped_by_its_planned_work_is_not_the_clock():
    budget = Budget(1.0, deadline=time.monotonic() + 60)
    budget.det_used = budget.det_left() + 1
    assert budget.exhausted()
    assert budget.stopped_on == "deterministic budget"
