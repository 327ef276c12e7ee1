"""The CP-SAT model's gap literals are redundant: they keep every schedule and its break count."""

import itertools
import random

from ortools.sat.python import cp_model

from events.scheduler import cpmodel, io
from events.scheduler.instance import compile_problem
from events.scheduler.state import Occupancy


def problem(rng: random.Random) -> dict:
    """Six firms meeting each other over two sessions of four slots, most firms away at times."""
    people = "abcdef"
    return {
        "slots": [{"id": i, "session": "am" if i <= 4 else "pm"} for i in range(1, 9)],
        "tables": 3,
        "participants": [{"id": p, "unavailable": rng.sample(range(1, 9), rng.randint(0, 3))} for p in people],
        "meetings": [{"id": f"{a}{b}", "participants": [a, b]} for a, b in itertools.combinations(people, 2)],
    }


def random_schedule(inst, rng: random.Random) -> list[int] | None:  # type: ignore[no-untyped-def]
    """Each meeting in a random slot where it still fits, or None when one no longer fits."""
    occupancy = Occupancy(inst)
    for m in rng.sample(range(inst.n_meetings), inst.n_meetings):
        slots = [t for t in inst.feasible[m] if occupancy.fits(m, t)]
        if not slots:
            return None
        occupancy.place(m, rng.choice(slots))
    return occupancy.assign


def solve(inst, gaps: bool, schedule: list[int] | None = None) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """(status name, breaks) of the fewest-breaks model, with every meeting held in `schedule` if given."""
    options = cpmodel.Options(mode="breaks", gaps=gaps)
    built = cpmodel.build(inst, list(range(inst.n_meetings)), Occupancy(inst), options)
    for (m, t), var in built.x.items():
        if schedule is not None:
            built.model.add(var == int(schedule[m] == t))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(built.model)
    breaks = int(solver.value(built.breaks)) if status == cp_model.OPTIMAL else -1
    return solver.status_name(status), breaks


def test_gap_literals_keep_every_schedule_and_count_its_breaks():
    # Random schedules over two sessions (a gap never runs across the session boundary) with
    # unavailable slots inside the firms' spans: each stays feasible with the gap literals, with
    # exactly the breaks the instance counts.
    rng = random.Random(7)
    checked = 0
    while checked < 40:
        inst = compile_problem(io.problem_from_dict(problem(rng)))
        schedule = random_schedule(inst, rng)
        if schedule is None:
            continue
        expected = sum(inst.breaks_per_participant(schedule))
        assert solve(inst, gaps=True, schedule=schedule) == ("OPTIMAL", expected)
        checked += 1


def test_gap_literals_leave_the_fewest_breaks_unchanged():
    rng = random.Random(11)
    optima = []
    for _ in range(8):
        inst = compile_problem(io.problem_from_dict(problem(rng)))
        plain, with_gaps = solve(inst, gaps=False), solve(inst, gaps=True)
        assert with_gaps == plain
        optima.append(plain[1])
    assert len(set(optima)) > 1  # the instances differ in their optimum, so this compares something
