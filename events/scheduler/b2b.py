"""Convert a B2B benchmark instance (schema `b2b-instance/1`, JAIR 2022 set) to our problem.

Breaks in that benchmark run across the AM/PM boundary, so all slots form one session and a
meeting's AM or PM restriction becomes `allowed_slots`. Every meeting is required; tables are
interchangeable; the fairness cap is the benchmark's d.
"""

from typing import Any

from events.scheduler.model import Meeting, Participant, Problem, Slot


def problem_from_b2b(data: dict[str, Any], *, fairness: int | None = 2) -> Problem:
    slots = tuple(Slot(s["id"], "all") for s in data["slots"])
    tables = {s["id"]: n for s, n in zip(data["slots"], data["tables_per_slot"], strict=True)}
    participants = tuple(Participant(p["id"], 1, frozenset(p["unavailable_slots"])) for p in data["participants"])
    session_slots = {s["id"]: frozenset(range(s["first_slot"], s["last_slot"] + 1)) for s in data["sessions"]}
    meetings = tuple(
        Meeting(
            m["id"],
            tuple(m["participants"]),
            required=True,
            allowed_slots=session_slots[m["session"]] if m["session"] else None,
            slot=m["fixed_slot"],
        )
        for m in data["meetings"]
    )
    return Problem(slots, tables, participants, meetings, fairness)
