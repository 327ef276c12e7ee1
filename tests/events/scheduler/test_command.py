"""`manage.py schedule_problem` reads a problem file and writes a valid solution."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events.scheduler import checker, io


def test_schedule_problem_command_writes_a_valid_solution(tmp_path, make_problem):
    source, target = tmp_path / "p.json", tmp_path / "s.json"
    source.write_text(
        json.dumps(
            make_problem(
                meetings=[{"id": "ab", "participants": ["a", "b"]}, {"id": "cd", "participants": ["c", "d"], "slot": 2}]
            )
        )
    )
    out = StringIO()
    call_command("schedule_problem", "--input", str(source), "--output", str(target), "--time-limit", "5", stdout=out)
    solution = io.read_solution(target)
    assert checker.check(io.read_problem(source), solution) == []
    assert (sorted(p.id for p in solution.meetings), solution.unscheduled) == (["ab", "cd"], [])
    assert out.getvalue().startswith("placed 2/2, weight 2 (bound 2), breaks 0 (max 0), ")
    assert out.getvalue().strip().endswith("stopped on optimal")


def test_schedule_problem_command_rejects_bad_input_with_field_reasons(tmp_path, make_problem):
    source = tmp_path / "p.json"
    source.write_text(json.dumps(make_problem(meetings=[{"id": "ab", "participants": ["a", "x"], "weight": -1}])))
    with pytest.raises(CommandError) as caught:
        call_command("schedule_problem", "--input", str(source), "--output", str(tmp_path / "s.json"))
    assert str(caught.value) == (
        "meetings[0].participants: unknown participant 'x'; meetings[0].weight: must be at least 1, got -1"
    )
    assert not (tmp_path / "s.json").exists()


def test_schedule_problem_command_reports_missing_file(tmp_path):
    missing = tmp_path / "none.json"
    with pytest.raises(CommandError) as caught:
        call_command("schedule_problem", "--input", str(missing), "--output", str(tmp_path / "s.json"))
    assert str(caught.value) == f"[Errno 2] No such file or directory: '{missing}'"
