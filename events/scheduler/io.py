"""Read and write the JSON interchange format (docs/scheduling-format.md), without a database.

Bad input raises `ProblemError`, which lists every field-level reason found, e.g.
"meetings[3].participants: unknown participant 'x'". Nothing is returned half-read.
"""

import json
from pathlib import Path
from typing import Any

from events.scheduler.model import (
    DEFAULT_BREAK_SPREAD,
    DEFAULT_SESSION,
    Id,
    Meeting,
    Participant,
    Placement,
    Problem,
    Slot,
    Solution,
    Unscheduled,
)

_MISSING = object()


class ProblemError(ValueError):
    """Invalid problem or solution; `errors` lists "path: reason" strings."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


class _Reader:
    """Collects errors while converting, so that one pass reports all of them."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, reason: str) -> None:
        self.errors.append(f"{path}: {reason}")

    def obj(self, value: Any, path: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.fail(path, f"expected an object, got {_kind(value)}")
        return None

    def items(self, data: dict[str, Any], key: str, path: str, *, default: Any = _MISSING) -> list[Any]:
        value = data.get(key, default)
        if value is _MISSING:
            self.fail(f"{path}{key}", "missing")
            return []
        if value is None and default is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{path}{key}", f"expected a list, got {_kind(value)}")
            return []
        return value

    def ident(self, value: Any, path: str) -> Id | None:
        if isinstance(value, str | int) and not isinstance(value, bool):
            return value
        self.fail(path, f"expected a string or integer id, got {_kind(value)}")
        return None

    def integer(self, data: dict[str, Any], key: str, path: str, *, default: Any, minimum: int) -> Any:
        value = data.get(key, default)
        if value is None and default is None:
            return None
        if value is _MISSING:
            self.fail(f"{path}.{key}", "missing")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path}.{key}", f"expected an integer, got {_kind(value)}")
            return default
        if value < minimum:
            self.fail(f"{path}.{key}", f"must be at least {minimum}, got {value}")
            return default
        return value

    def text(self, data: dict[str, Any], key: str, path: str) -> str | None:
        value = data.get(key)
        if value is None or isinstance(value, str):
            return value
        self.fail(f"{path}.{key}", f"expected a string, got {_kind(value)}")
        return None

    def unique(self, ids: list[Id | None], path: str, what: str) -> None:
        seen: set[Id] = set()
        for i, ident in enumerate(ids):
            if ident is not None and ident in seen:
                self.fail(f"{path}[{i}].id", f"duplicate {what} id {ident!r}")
            elif ident is not None:
                seen.add(ident)

    def raise_if_failed(self) -> None:
        if self.errors:
            raise ProblemError(self.errors)


def _kind(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def problem_from_dict(data: Any) -> Problem:
    """A validated `Problem` from parsed JSON; raises `ProblemError` listing every mistake."""
    r = _Reader()
    top = r.obj(data, "problem")
    if top is None:
        r.raise_if_failed()
    assert top is not None
    slots = _slots(r, r.items(top, "slots", ""))
    slot_ids = {s.id for s in slots}
    tables = _tables(r, top.get("tables", _MISSING), slots)
    participants = _participants(r, r.items(top, "participants", ""), slot_ids)
    meetings = _meetings(r, r.items(top, "meetings", ""), slot_ids, {p.id for p in participants})
    spread = None  # an explicit null: no fairness cap
    if top.get("max_break_spread", DEFAULT_BREAK_SPREAD) is not None:
        spread = r.integer(top, "max_break_spread", "problem", default=DEFAULT_BREAK_SPREAD, minimum=0)
    r.raise_if_failed()
    return Problem(tuple(slots), tables, tuple(participants), tuple(meetings), spread)


def _slots(r: _Reader, rows: list[Any]) -> list[Slot]:
    slots: list[Slot] = []
    for i, row in enumerate(rows):
        path = f"slots[{i}]"
        data = r.obj(row, path)
        if data is None:
            continue
        ident = r.ident(data.get("id"), f"{path}.id")
        session = data.get("session", DEFAULT_SESSION)
        if isinstance(session, bool) or not isinstance(session, str | int):
            r.fail(f"{path}.session", f"expected a string or integer, got {_kind(session)}")
            session = DEFAULT_SESSION
        start, end = r.text(data, "start", path), r.text(data, "end", path)
        if ident is not None:
            slots.append(Slot(ident, session, start, end))
    r.unique([s.id for s in slots], "slots", "slot")
    _check_sessions_contiguous(r, slots)
    return slots


def _check_sessions_contiguous(r: _Reader, slots: list[Slot]) -> None:
    # Breaks are counted between neighbouring slots of a session, so a session must be one run.
    closed: set[Id] = set()
    for i, slot in enumerate(slots):
        if i > 0 and slots[i - 1].session != slot.session:
            closed.add(slots[i - 1].session)
        if slot.session in closed:
            r.fail(f"slots[{i}].session", f"session {slot.session!r} is split by another session")
            closed.discard(slot.session)


def _tables(r: _Reader, value: Any, slots: list[Slot]) -> dict[Id, int]:
    if value is _MISSING:
        r.fail("tables", "missing")
        return {}
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            r.fail("tables", f"must be at least 0, got {value}")
        return {s.id: max(value, 0) for s in slots}
    if not isinstance(value, dict):
        r.fail("tables", f"expected an integer or an object, got {_kind(value)}")
        return {}
    # JSON object keys are strings: match them to slot ids by their text.
    by_text = {str(s.id): s.id for s in slots}
    tables: dict[Id, int] = {}
    for key, count in value.items():
        if str(key) not in by_text:
            r.fail(f"tables[{key!r}]", f"unknown slot {key!r}")
        elif isinstance(count, bool) or not isinstance(count, int) or count < 0:
            r.fail(f"tables[{key!r}]", f"expected an integer of at least 0, got {count!r}")
        else:
            tables[by_text[str(key)]] = count
    given = {str(key) for key in value}
    for slot in slots:
        if str(slot.id) not in given:
            r.fail("tables", f"no entry for slot {slot.id!r}")
    return tables


def _slot_refs(r: _Reader, data: dict[str, Any], key: str, path: str, slot_ids: set[Id]) -> frozenset[Id] | None:
    if data.get(key) is None:
        return None
    refs = set()
    for j, ref in enumerate(r.items(data, key, f"{path}.")):
        if ref not in slot_ids or isinstance(ref, bool):
            r.fail(f"{path}.{key}[{j}]", f"unknown slot {ref!r}")
        else:
            refs.add(ref)
    return frozenset(refs)


def _participants(r: _Reader, rows: list[Any], slot_ids: set[Id]) -> list[Participant]:
    result: list[Participant] = []
    for i, row in enumerate(rows):
        path = f"participants[{i}]"
        data = r.obj(row, path)
        if data is None:
            continue
        ident = r.ident(data.get("id"), f"{path}.id")
        capacity = r.integer(data, "capacity", path, default=1, minimum=1)
        fixed = r.integer(data, "fixed_table", path, default=None, minimum=1)
        unavailable = _slot_refs(r, data, "unavailable", path, slot_ids) or frozenset()
        per_slot = _slot_capacity(r, data.get("slot_capacity"), path, slot_ids, capacity or 1)
        if ident is not None:
            result.append(Participant(ident, capacity, unavailable, fixed, per_slot))
    r.unique([p.id for p in result], "participants", "participant")
    return result


def _slot_capacity(r: _Reader, value: Any, path: str, slot_ids: set[Id], capacity: int) -> dict[Id, int]:
    """`{slot id: 0..capacity}`; keys are matched to slot ids by their text, as in `tables`."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        r.fail(f"{path}.slot_capacity", f"expected an object, got {_kind(value)}")
        return {}
    by_text = {str(s): s for s in slot_ids}
    result: dict[Id, int] = {}
    for key, count in value.items():
        where = f"{path}.slot_capacity[{key!r}]"
        if str(key) not in by_text:
            r.fail(where, f"unknown slot {key!r}")
        elif isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= capacity:
            r.fail(where, f"expected an integer from 0 to its capacity {capacity}, got {count!r}")
        else:
            result[by_text[str(key)]] = count
    return result


def _meetings(r: _Reader, rows: list[Any], slot_ids: set[Id], people: set[Id]) -> list[Meeting]:
    result: list[Meeting] = []
    for i, row in enumerate(rows):
        path = f"meetings[{i}]"
        data = r.obj(row, path)
        if data is None:
            continue
        ident = r.ident(data.get("id"), f"{path}.id")
        who = _meeting_participants(r, data, path, people)
        weight = r.integer(data, "weight", path, default=1, minimum=1)
        required = data.get("required", False)
        if not isinstance(required, bool):
            r.fail(f"{path}.required", f"expected true or false, got {_kind(required)}")
            required = False
        allowed = _slot_refs(r, data, "allowed_slots", path, slot_ids)
        slot = data.get("slot")
        if slot is not None and (slot not in slot_ids or isinstance(slot, bool)):
            r.fail(f"{path}.slot", f"unknown slot {slot!r}")
            slot = None
        table = r.integer(data, "table", path, default=None, minimum=1)
        if ident is not None and who is not None:
            result.append(Meeting(ident, who, weight, required, allowed, slot, table))
    r.unique([m.id for m in result], "meetings", "meeting")
    return result


def _meeting_participants(r: _Reader, data: dict[str, Any], path: str, people: set[Id]) -> tuple[Id, ...] | None:
    refs = r.items(data, "participants", f"{path}.")
    ok = True
    for ref in refs:
        if isinstance(ref, bool) or ref not in people:
            r.fail(f"{path}.participants", f"unknown participant {ref!r}")
            ok = False
    if len(refs) < 2 or len(set(refs)) != len(refs):
        r.fail(f"{path}.participants", "needs two or more different participants")
        ok = False
    return tuple(refs) if ok else None


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """The problem in the interchange format (every field written, sets in a stable order)."""
    order = {s.id: i for i, s in enumerate(problem.slots)}

    def slot_list(ids: frozenset[Id]) -> list[Id]:
        return sorted(ids, key=order.__getitem__)

    return {
        "slots": [{"id": s.id, "session": s.session, "start": s.start, "end": s.end} for s in problem.slots],
        "tables": {str(s.id): problem.tables[s.id] for s in problem.slots},
        "participants": [
            {
                "id": p.id,
                "capacity": p.capacity,
                "unavailable": slot_list(p.unavailable),
                "fixed_table": p.fixed_table,
                "slot_capacity": {str(s): p.slot_capacity[s] for s in slot_list(frozenset(p.slot_capacity))},
            }
            for p in problem.participants
        ],
        "meetings": [
            {
                "id": m.id,
                "participants": list(m.participants),
                "weight": m.weight,
                "required": m.required,
                "allowed_slots": None if m.allowed_slots is None else slot_list(m.allowed_slots),
                "slot": m.slot,
                "table": m.table,
            }
            for m in problem.meetings
        ],  # fmt: skip
        "max_break_spread": problem.max_break_spread,
    }


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    return {
        "meetings": [{"id": p.id, "slot": p.slot, "table": p.table} for p in solution.meetings],
        "unscheduled": [{"id": u.id, "reason": u.reason, "kind": u.kind} for u in solution.unscheduled],
        "stats": dict(solution.stats),
    }


def solution_from_dict(data: Any) -> Solution:
    """A `Solution` from parsed JSON (types only: the checker compares it with a problem)."""
    r = _Reader()
    top = r.obj(data, "solution")
    if top is None:
        r.raise_if_failed()
    assert top is not None
    placements = []
    for i, row in enumerate(r.items(top, "meetings", "")):
        item = r.obj(row, f"meetings[{i}]")
        if item is None:
            continue
        ident = r.ident(item.get("id"), f"meetings[{i}].id")
        slot = r.ident(item.get("slot"), f"meetings[{i}].slot")
        table = r.integer(item, "table", f"meetings[{i}]", default=_MISSING, minimum=1)
        if ident is not None and slot is not None and table is not _MISSING:
            placements.append(Placement(ident, slot, table))
    unscheduled = []
    for i, row in enumerate(r.items(top, "unscheduled", "", default=[])):
        item = r.obj(row, f"unscheduled[{i}]")
        if item is None:
            continue
        ident = r.ident(item.get("id"), f"unscheduled[{i}].id")
        reason = r.text(item, "reason", f"unscheduled[{i}]") or ""
        kind = r.text(item, "kind", f"unscheduled[{i}]") or ""
        if ident is not None:
            unscheduled.append(Unscheduled(ident, reason, kind))
    stats = top.get("stats", {})
    if not isinstance(stats, dict):
        r.fail("stats", f"expected an object, got {_kind(stats)}")
    r.raise_if_failed()
    return Solution(placements, unscheduled, dict(stats))


def read_problem(path: str | Path) -> Problem:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ProblemError([f"{path}: not valid JSON ({exc})"]) from exc
    return problem_from_dict(data)


def read_solution(path: str | Path) -> Solution:
    return solution_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def write_json(path: str | Path, data: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
