"""The bulk conversion planner: plain data in, plain data out (no database)."""

import subprocess
import sys
from pathlib import Path

import pytest

from matchmaking.conversion import (
    ALREADY_MEETING,
    DECLINED_BEFORE,
    NOT_IN_MISSION,
    NOT_INTERESTED_SIDE,
    OPEN_REQUEST,
    OVER_QUOTA,
    Candidate,
    Firm,
    FirmCount,
    LeftOut,
    PairHistory,
    Planned,
    conversion_plan,
    requester_side,
)

ROOT = Path(__file__).resolve().parents[2]
# EU firms 1..4, JP firms 11..14.
FIRMS = [Firm(company_id=i) for i in (1, 2, 3, 4, 11, 12, 13, 14)]
NO_HISTORY = PairHistory()


def _plan(candidates, firms=FIRMS, history=NO_HISTORY, target="meetings"):
    return conversion_plan(candidates=candidates, firms=firms, history=history, target=target)


def test_conversion_module_imports_no_django():
    check = "import sys, matchmaking.conversion; print(','.join(m for m in sys.modules if m.startswith('django')))"
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.stdout.strip() == ""


def test_plan_orders_mutual_first_then_score_then_id():
    candidates = [
        Candidate(5, 1, 11, 60.0),
        Candidate(3, 2, 12, 90.0),
        Candidate(4, 3, 13, 60.0),
        Candidate(9, 4, 14, 20.0, eu_answer="interested", jp_answer="interested"),
    ]

    plan = _plan(candidates)

    assert [p.suggestion_id for p in plan.planned] == [9, 3, 4, 5]
    assert plan.planned[0] == Planned(9, 4, 14, 20.0, True)


def test_plan_is_deterministic_whatever_the_input_order():
    candidates = [Candidate(i, 1 + i % 4, 11 + (i // 4) % 4, 50.0 + i % 3) for i in range(16)]

    first = _plan(candidates, target="requests")
    again = _plan(list(reversed(candidates)), target="requests")

    assert (first.planned, first.left_out, first.fingerprint) == (again.planned, again.left_out, again.fingerprint)


def test_plan_leaves_out_with_reasons_in_order():
    candidates = [
        Candidate(1, 1, 99, 90.0),  # JP firm 99 is not in the mission
        Candidate(2, 1, 11, 80.0, jp_answer="not_interested"),
        Candidate(3, 2, 12, 70.0),
        Candidate(4, 3, 13, 60.0),
        Candidate(5, 4, 14, 50.0),
        Candidate(6, 1, 12, 40.0, eu_answer="not_interested", jp_answer="not_interested"),
    ]
    history = PairHistory(
        meeting=frozenset({frozenset((2, 12))}),
        open=frozenset({frozenset((3, 13))}),
        declined=frozenset({frozenset((4, 14))}),
    )

    plan = _plan(candidates, history=history)

    assert plan.planned == []
    assert plan.left_out == [
        LeftOut(1, 1, 99, NOT_IN_MISSION, 99),
        LeftOut(2, 1, 11, NOT_INTERESTED_SIDE, 11),
        LeftOut(3, 2, 12, ALREADY_MEETING),
        LeftOut(4, 3, 13, OPEN_REQUEST),
        LeftOut(5, 4, 14, DECLINED_BEFORE),
        LeftOut(6, 1, 12, NOT_INTERESTED_SIDE, 1),
    ]


def test_plan_meetings_respect_both_firms_limits():
    firms = [Firm(1, meetings=1, meetings_limit=2), Firm(11), Firm(12), Firm(13, meetings=3, meetings_limit=3), Firm(2)]
    candidates = [Candidate(1, 1, 11, 90.0), Candidate(2, 1, 12, 80.0), Candidate(3, 2, 13, 70.0)]

    plan = _plan(candidates, firms=firms)

    assert [p.suggestion_id for p in plan.planned] == [1]
    assert plan.left_out == [LeftOut(2, 1, 12, OVER_QUOTA, 1), LeftOut(3, 2, 13, OVER_QUOTA, 13)]
    assert plan.firms[1] == FirmCount(1, used=1, limit=2, added=1)
    assert (plan.firms[1].after, plan.firms[11].after) == (2, 1)


def test_plan_requests_count_against_the_requester_only():
    firms = [Firm(1, requests_sent=1, requests_limit=2), Firm(11, requests_sent=5, requests_limit=2), Firm(12)]
    candidates = [
        Candidate(1, 1, 11, 90.0, eu_answer="interested"),  # EU keener: EU sends
        Candidate(2, 1, 12, 80.0, rank_eu=3, rank_jp=1),  # JP ranks EU higher: JP sends
        Candidate(3, 1, 12, 70.0),  # tie: EU sends, but EU has used its two
    ]

    plan = _plan(candidates, firms=firms, target="requests")

    assert [(p.suggestion_id, p.first, p.second) for p in plan.planned] == [(1, 1, 11), (2, 12, 1)]
    assert plan.left_out == [LeftOut(3, 1, 12, OVER_QUOTA, 1)]
    assert (plan.firms[1].added, plan.firms[1].received, plan.firms[11].received) == (1, 1, 1)


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (Candidate(1, 1, 11, 50.0), (1, 11)),
        (Candidate(1, 1, 11, 50.0, jp_answer="interested"), (11, 1)),
        (Candidate(1, 1, 11, 50.0, eu_answer="interested", jp_answer="interested", rank_eu=2, rank_jp=1), (11, 1)),
        (Candidate(1, 1, 11, 50.0, rank_eu=1, rank_jp=None), (1, 11)),
    ],
)
def test_requester_side(candidate, expected):
    assert requester_side(candidate) == expected


def test_fingerprint_changes_with_the_pairs_and_the_target():
    base = [Candidate(1, 1, 11, 90.0), Candidate(2, 2, 12, 80.0)]

    one = _plan(base).fingerprint

    assert one == _plan(list(base)).fingerprint
    assert one != _plan(base[:1]).fingerprint
    assert one != _plan(base, target="requests").fingerprint


def test_plan_unknown_target_refused():
    with pytest.raises(ValueError):
        _plan([], target="dinner")
