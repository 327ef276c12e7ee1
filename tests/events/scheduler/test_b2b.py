"""The B2B benchmark converter, and one published instance solved to its optimum."""

import importlib.util
import json
import math
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from events.scheduler import checker, cpmodel, exact
from events.scheduler.b2b import problem_from_b2b
from events.scheduler.greedy import compact_assign
from events.scheduler.instance import UNPLACED, compile_problem
from events.scheduler.model import Meeting, Participant, Slot, Solution
from events.scheduler.solver import schedule

B2B = Path(__file__).resolve().parents[3].parent / "shared" / "benchmarks" / "b2b" / "instances"
BENCH = Path(__file__).resolve().parents[3] / "bench"


def b2b_instance() -> dict:
    return {
        "slots": [{"id": 1, "session": "AM"}, {"id": 2, "session": "AM"}, {"id": 3, "session": "PM"}],
        "sessions": [{"id": "AM", "first_slot": 1, "last_slot": 2}, {"id": "PM", "first_slot": 3, "last_slot": 3}],
        "tables_per_slot": [1, 1, 2],
        "participants": [
            {"id": 1, "unavailable_slots": [3]},
            {"id": 2, "unavailable_slots": []},
            {"id": 3, "unavailable_slots": []},
        ],
        "meetings": [
            {"id": 1, "participants": [1, 2], "session": "AM", "fixed_slot": None},
            {"id": 2, "participants": [2, 3], "session": None, "fixed_slot": 3},
        ],
    }


def test_problem_from_b2b_one_session_required_meetings():
    problem = problem_from_b2b(b2b_instance())
    assert problem.slots == (Slot(1, "all"), Slot(2, "all"), Slot(3, "all"))
    assert problem.tables == {1: 1, 2: 1, 3: 2}
    assert problem.participants == (
        Participant(1, 1, frozenset({3})),
        Participant(2, 1, frozenset()),
        Participant(3, 1, frozenset()),
    )
    assert problem.meetings == (
        Meeting(1, (1, 2), required=True, allowed_slots=frozenset({1, 2})),
        Meeting(2, (2, 3), required=True, slot=3),
    )
    assert problem.max_break_spread == 2


def test_problem_from_b2b_fairness_can_be_lifted():
    assert problem_from_b2b(b2b_instance(), fairness=None).max_break_spread is None


def b2b_original(base: str) -> dict:
    path = B2B / f"{base}.original.json"
    if not path.exists():
        pytest.skip(f"B2B benchmark not found at {path}")
    return json.loads(path.read_text())


def b2b_variant(base: str, variant: str, seed: int) -> dict:
    """A variant built by the benchmark's own generator (bench/b2b_variants.py), from the original."""
    spec = importlib.util.spec_from_file_location("b2b_variants", BENCH / "b2b_variants.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    return generator.variant_of(b2b_original(base), base, variant, seed)


def solve(data: dict, seed: int = 0) -> tuple[Solution, dict]:
    """A deterministic 10 s run (planned work only) on a B2B instance: the solution, checked
    against every rule, and its figures recomputed from the problem."""
    problem = problem_from_b2b(data)
    solution = schedule(problem, time_limit=10, seed=seed, wall_clock=False)
    assert checker.check(problem, solution) == []
    return solution, checker.recompute(problem, solution)


def test_b2b_forum13_reaches_published_optimum_and_proves_it():
    solution, figures = solve(b2b_original("forum-13"))
    assert (figures["placed"], figures["breaks"], figures["fairness_ok"]) == (154, 0, True)
    assert solution.stats["optimal"] is True


def test_b2b_ticf13crafc_one_break_found_by_per_participant_questions():
    """Optimum 1: found by asking, per participant, "only p has a break" (exact._one_break)."""
    _, figures = solve(b2b_original("ticf-13crafc"))
    assert (figures["placed"], figures["breaks"], figures["fairness_ok"]) == (154, 1, True)


def test_b2b_fixed_variant_climbs_its_bound_to_the_proven_optimum():
    """forum-14 with 20 % of meetings fixed: the breaks bound climbs by cheap refutations to 28,
    the optimum; "at most 28?" needs 5 units, which it gets only because the bound was climbing
    (with one unit it stayed open and the run ended at 40 breaks)."""
    solution, figures = solve(b2b_variant("forum-14", "fixed020", 1))
    assert (figures["placed"], figures["breaks"], figures["fairness_ok"]) == (302, 28, True)
    assert solution.stats["optimal"] is True


def test_b2b_count_of_busy_slots_answers_the_question_at_the_bound():
    """forum-14 with 0.7 % of participant-slots forbidden: "at most 2?" (the optimum) stayed open
    after 17-25 deterministic units, and the run ended at 10-11 breaks. With each participant's busy
    slots counted (cpmodel._slots_used) it is answered in under one unit, and the run proves 2."""
    data = b2b_variant("forum-14", "forb0007", 1)
    solution, figures = solve(data)
    assert (figures["placed"], figures["breaks"], figures["fairness_ok"]) == (302, 2, True)
    assert solution.stats["optimal"] is True
    inst = compile_problem(problem_from_b2b(data))
    start = compact_assign(inst)
    placed = [m for m, t in enumerate(start) if t != UNPLACED]
    answers = []
    for slots_used in (True, False):
        built = exact._question(inst, placed, 2, exact._hard_cap(inst, start), implied=True, slots_used=slots_used)
        status, _ = exact.run(built, exact.Budget(10, deadline=math.inf), seed=0, det_time=2.0)
        answers.append(status)
    assert answers == [cp_model.OPTIMAL, cp_model.UNKNOWN]


def test_b2b_question_left_unanswered_is_annealed_before_the_minimisation(monkeypatch):
    """forum-14 with 0.7 % of participant-slots forbidden, without the count of busy slots (the only
    B2B run known to take this path; with the count its question is answered at once): "at most
    2?" stays open and CP-SAT's minimisation from the unfair greedy start barely moves (86 -> 84
    breaks, then 17 after the final annealing); annealed first, the run ends at 11."""
    monkeypatch.setattr(cpmodel, "_slots_used", lambda busy, free_meetings, model: None)
    _, figures = solve(b2b_variant("forum-14", "forb0007", 1))
    assert figures["placed"] == 302 and figures["fairness_ok"]
    assert figures["breaks"] <= 12


def test_b2b_forbidden_variant_with_bound_zero_keeps_no_annealing_reserve():
    """ticf-13crafb with 0.3 % of participant-slots forbidden: breaks bound 0, "at most 0?" refuted
    at once. With a quarter of the time kept back for a late annealing the run ended at 9 breaks;
    with the time left to the one-break probes and the minimisation it reached 6, the reference,
    7 once half of the time before the minimisation went to windows; 5 now (the reference is 4,
    proven by a 40 s run)."""
    _, figures = solve(b2b_variant("ticf-13crafb", "forb0003", 1))
    assert figures["placed"] == 195 and figures["fairness_ok"]
    assert figures["breaks"] <= 5


def test_b2b_forbidden_variant_refutes_two_breaks_before_the_one_break_probes():
    """ticf-13crafb with 0.7 % of participant-slots forbidden: "at most 1?" undecided, "at most 2?"
    refuted in under a unit, which refutes one break too, so the 56 one-break probes are skipped.
    With them the run ended at 13 breaks. That refutation is no climb, though quick (0.96 units):
    "at most 3?" gets one unit and stays open, and the windows and the minimisation have the rest,
    6 breaks (7 when "at most 3?" had most of the time as a climb and was refuted), and 5 since
    the minimisation follows the best schedule found (optimum 4, proven by a 40 s run)."""
    solution, figures = solve(b2b_variant("ticf-13crafb", "forb0007", 2))
    assert figures["placed"] == 195 and figures["fairness_ok"]
    assert figures["breaks"] <= 6
    assert solution.stats["breaks_bound_proven"] == 3


def test_b2b_one_break_probes_start_with_who_has_breaks_in_the_schedule_in_hand():
    """ticf-13crafc with 0.3 % of participant-slots forbidden, optimum 1: the participant that can
    hold the break came 49th of 58 when those whose meetings can go anywhere came first, and the
    probes ran out of time (13 breaks). Those with breaks in the annealed schedule come first now."""
    solution, figures = solve(b2b_variant("ticf-13crafc", "forb0003", 2))
    assert (figures["placed"], figures["breaks"], figures["fairness_ok"]) == (154, 1, True)
    assert solution.stats["optimal"] is True


def test_b2b_forum14_forbidden_variant_one_break_proven():
    """forum-14 with 0.3 % of participant-slots forbidden, optimum 1: every one-break probe is
    refuted but "only p0 has a break", open after 10 units with CP-SAT's LP relaxation (the run
    ended at 13 breaks until those probes left open were asked again without it). With the count
    of busy slots, "at most one break?" asked whole is answered in 0.9 units (traced on
    6 December)."""
    solution, figures = solve(b2b_variant("forum-14", "forb0003", 2))
    assert (figures["placed"], figures["breaks"], figures["fairness_ok"]) == (302, 1, True)
    assert solution.stats["optimal"] is True


def test_b2b_minimisation_gets_the_time_the_windows_before_it_had():
    """forum-13crafb with 0.7 % of participant-slots forbidden: "at most 1?" open, "at most 2?"
    refuted, "at most 3?" open (optimum 4, proven by a 40 s run). Half of what was left went to
    windows before the final minimisation while the annealed schedule was far above the bound, and
    the run ended at 8; with all of it, the solution-guided minimisation reaches the optimum."""
    _, figures = solve(b2b_variant("forum-13crafb", "forb0007", 2))
    assert figures["placed"] == 195 and figures["fairness_ok"]
    assert figures["breaks"] <= 4


def test_b2b_fixed_variant_keeps_climbing_through_a_dearer_refutation():
    """ticf-14crafa with 20 % of meetings fixed: "at most 12?" and "at most 13?" are refuted in
    0.06 and 0.12 units, "at most 14?" in 3.1. That last one was no cheap refutation, so "at most
    15?" (the reference) got one unit, stayed open (it needs 4.2), and the run ended at 23 breaks
    after the minimisation, windows and annealing. A refutation within CLIMB_REFUTATION units
    after cheap ones keeps the bound climbing: 15 is answered, and proven by the refutation of 14."""
    solution, figures = solve(b2b_variant("ticf-14crafa", "fixed020", 1))
    assert (figures["placed"], figures["breaks"], figures["fairness_ok"]) == (302, 15, True)
    assert solution.stats["optimal"] is True


def test_b2b_minimisation_from_a_fair_schedule_follows_the_best_one_found():
    """tic-13crafc with 20 % of meetings fixed: "at most 4?" (the optimum) gets one unit and stays
    open, and the minimisation from the annealed schedule ended at 5. Branching towards the best
    schedule found so far (solution-guided search), it reaches 4, the bound, and proves it."""
    solution, figures = solve(b2b_variant("tic-13crafc", "fixed020", 2))
    assert (figures["placed"], figures["breaks"], figures["fairness_ok"]) == (180, 4, True)
    assert solution.stats["optimal"] is True


def test_b2b_minimisation_from_an_unfair_schedule_is_not_held_near_it():
    """forumt-14crafe with 40 % of meetings fixed, seed 1: the questions end with an unfair schedule
    in hand. Held near it by the solution-guided search, the minimisation found no fair schedule
    (22 breaks, unfair); searching freely it finds one with 20, the reference."""
    _, figures = solve(b2b_variant("forumt-14crafe", "fixed040", 1), seed=1)
    assert figures["fairness_ok"]
    assert figures["breaks"] <= 20
