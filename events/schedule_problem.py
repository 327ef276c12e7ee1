"""A mission as a scheduling problem in the interchange format (docs/scheduling-format.md).

Ids in the problem are database ids: slot ids, participation ids and meeting ids. Tables are
numbered 1..N in the mission's table order (by id); `table_ids` maps them back. A mission
without tables has as many virtual tables as meetings (no room limit) and places meetings
without a table.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from events.enums import MeetingStatus
from events.models import Meeting, Mission, Participation, Slot, Table, Unavailability
from events.selectors_availability import mission_delegates_away


@dataclass
class MissionProblem:
    problem: dict[str, Any]
    table_ids: dict[int, int] = field(default_factory=dict)  # table number (1..N) -> Table.pk

    def table_number(self, table_id: int | None) -> int | None:
        inverse = {pk: number for number, pk in self.table_ids.items()}
        return inverse.get(table_id) if table_id is not None else None


def _slots(mission: Mission) -> list[dict[str, Any]]:
    slots = Slot.objects.filter(mission=mission, removed=False).order_by("start")
    return [
        # A break is an idle gap within one session on one day, so a session id is (day, session).
        {"id": s.pk, "session": f"{s.day.isoformat()}/{s.session_id}", "start": s.start.isoformat(),
         "end": s.end.isoformat()}
        for s in slots
    ]  # fmt: skip


def _participants(mission: Mission, table_numbers: dict[int, int], order: dict[int, int]) -> list[dict[str, Any]]:
    """`order`: each non-removed slot id's position in time."""
    unavailable: dict[int, list[int]] = defaultdict(list)
    rows = Unavailability.objects.filter(participation__mission=mission, slot__removed=False).order_by("slot__start")
    for participation_id, slot_id in rows.values_list("participation_id", "slot_id"):
        unavailable[participation_id].append(slot_id)
    hosts: dict[int, int] = {}
    for table in Table.objects.filter(mission=mission).order_by("id"):
        if table.host_id is not None:
            hosts.setdefault(table.host_id, table_numbers[table.pk])
    away_by_firm = mission_delegates_away(mission)
    participants = []
    for p in Participation.objects.filter(mission=mission).annotate(n=Count("delegates")).order_by("id"):
        record: dict[str, Any] = {"id": p.pk, "capacity": max(1, p.n), "unavailable": unavailable[p.pk]}
        if p.pk in hosts:
            record["fixed_table"] = hosts[p.pk]
        # Delegates away: none present = unavailable there, some present = a lower capacity there.
        present = {s: p.n - n for s, n in away_by_firm.get(p.pk, {}).items() if s not in record["unavailable"]}
        if present:
            record["unavailable"] = sorted(record["unavailable"] + [s for s, n in present.items() if n <= 0],
                                           key=order.__getitem__)  # fmt: skip
            fewer = {str(s): n for s, n in sorted(present.items(), key=lambda i: order[i[0]]) if n > 0}
            if fewer:
                record["slot_capacity"] = fewer
        participants.append(record)
    return participants


def _meetings(mission: Mission, table_numbers: dict[int, int]) -> list[dict[str, Any]]:
    # Plain rows, not model instances: the schedule page builds this problem for its pre-check on
    # every load (1,800 meetings: 300 ms of CPU with instances and prefetched slots, most of it ORM).
    allowed: dict[int, list[tuple[int, bool]]] = {}
    through = Meeting.allowed_slots.through.objects.filter(
        meeting__mission=mission, meeting__status=MeetingStatus.CONFIRMED
    )
    for meeting_id, slot_id, removed in through.values_list("meeting_id", "slot_id", "slot__removed"):
        allowed.setdefault(meeting_id, []).append((slot_id, removed))
    rows = (
        Meeting.objects.filter(mission=mission, status=MeetingStatus.CONFIRMED)
        .order_by("id")
        .values_list("id", "a_id", "b_id", "weight", "required", "pinned", "slot_id", "table_id")
    )
    meetings = []
    for pk, a_id, b_id, weight, required, pinned, slot_id, table_id in rows:
        record: dict[str, Any] = {"id": pk, "participants": [a_id, b_id], "weight": weight, "required": required}
        if pk in allowed:  # restricted, perhaps to slots since removed (then to none)
            record["allowed_slots"] = sorted(slot for slot, removed in allowed[pk] if not removed)
        if pinned:
            record["slot"] = slot_id
            if table_id is not None:
                record["table"] = table_numbers[table_id]
        meetings.append(record)
    return meetings


def mission_schedule_problem(*, mission: Mission) -> MissionProblem:
    """The mission's confirmed meetings, slots, tables and participants as a problem dict."""
    tables = list(Table.objects.filter(mission=mission).order_by("id").values_list("pk", flat=True))
    table_numbers = {pk: number for number, pk in enumerate(tables, start=1)}
    meetings = _meetings(mission, table_numbers)
    slots = _slots(mission)
    problem = {
        "slots": slots,
        "tables": len(tables) if tables else max(1, len(meetings)),
        "participants": _participants(mission, table_numbers, {s["id"]: i for i, s in enumerate(slots)}),
        "meetings": meetings,
    }
    return MissionProblem(problem=problem, table_ids={n: pk for pk, n in table_numbers.items()})
