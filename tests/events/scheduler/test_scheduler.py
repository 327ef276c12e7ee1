import json
import subprocess
import sys
from pathlib import Path

import pytest

from events.scheduler import checker, io
from events.scheduler.b2b import problem_from_b2b
from events.scheduler.model import Placement, Solution
from events.scheduler.solver import schedule

REPO = Path(__file__).resolve().parents[3]
B2B = REPO.parent / "shared" / "benchmarks" / "b2b" / "instances"


def small_problem(**overrides):
    data = {
        "slots": [{"id": i, "session": "am"} for i in range(1, 5)],
        "tables": 2,
        "participants": [{"id": p} for p in "abcd"],
        "meetings": [
            {"id": "ab", "participants": ["a", "b"]},
            {"id": "ac", "participants": ["a", "c"]},
            {"id": "ad", "participants": ["a", "d"]},
            {"id": "bc", "participants": ["b", "c"], "weight": 3},
        ],
    }
    data.update(overrides)
    return data


def test_scheduler_modules_import_without_django():
    modules = [p.stem for p in (REPO / "events" / "scheduler").glob("*.py") if p.stem != "__init__"]
    code = (
        "import sys\n" + "".join(f"import events.scheduler.{m}\n" for m in modules) + "print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_io_round_trip_keeps_problem():
    problem = io.problem_from_dict(small_problem(tables={"1": 1, "2": 2, "3": 2, "4": 2}))
    assert io.problem_from_dict(json.loads(json.dumps(io.problem_to_dict(problem)))) == problem


def test_io_errors_list_every_field():
    data = small_problem()
    data["meetings"].append({"id": "ab", "participants": ["a", "x"], "weight": "heavy", "slot": 9})
    with pytest.raises(io.ProblemError) as caught:
        io.problem_from_dict(data)
    assert caught.value.errors == [
        "meetings[4].participants: unknown participant 'x'",
        "meetings[4].weight: expected an integer, got a string",
        "meetings[4].slot: unknown slot 9",
    ]


def test_schedule_places_all_with_no_break():
    problem = io.problem_from_dict(small_problem())
    solution = schedule(problem, time_limit=5)
    assert checker.check(problem, solution) == []
    assert (solution.stats["placed"], solution.stats["breaks"], solution.stats["optimal"]) == (4, 0, True)


def test_checker_catches_capacity_and_table_clash():
    problem = io.problem_from_dict(small_problem())
    broken = Solution([Placement("ab", 1, 1), Placement("ac", 1, 1)], [], {})
    kinds = sorted(v.kind for v in checker.check(problem, broken))
    assert kinds == ["capacity", "missing", "missing", "table_clash"]


def test_b2b_tic12_reaches_published_optimum():
    path = B2B / "tic-12.original.json"
    if not path.exists():
        pytest.skip(f"B2B benchmark not found at {path}")
    problem = problem_from_b2b(json.loads(path.read_text()))
    solution = schedule(problem, time_limit=10, wall_clock=False)
    assert checker.check(problem, solution) == []
    assert (checker.recompute(problem, solution)["placed"], checker.recompute(problem, solution)["breaks"]) == (125, 0)
