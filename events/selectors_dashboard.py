"""Reads for the organiser dashboard of one mission: every figure in five queries, whatever its size.

The queries: the participations with their firms, the requests counted by status, the meetings
(their two firms, slot and table), the slots and the number of tables. Everything else is counted
in Python from those rows, so the page, the API and the tests read the same numbers.

Definitions (docs/missions.md):
- registrations: participations by the day they were created, that day taken in the mission's zone;
- acceptance rate: accepted / (accepted + declined) requests, None while none was answered;
- meetings per firm: confirmed meetings (placed or not) of each participating firm;
- table use: per slot, confirmed meetings placed at a table and placed without one.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count

from companies import labels
from events.enums import MeetingStatus, RequestStatus
from events.models import Meeting, MeetingRequest, Mission, Participation, Slot


@dataclass(frozen=True)
class DayCount:
    day: date  # the mission's local date
    joined: int
    total: int  # participants registered by the end of that day


@dataclass(frozen=True)
class LabelledCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class SlotUse:
    slot_id: int
    start: datetime  # in the mission's zone
    at_table: int
    without_table: int


@dataclass(frozen=True)
class Dashboard:
    mission_id: int
    time_zone: str
    participants: int
    registrations: list[DayCount]
    requests: list[LabelledCount]  # every status, in the order of RequestStatus, zeros included
    requests_total: int
    acceptance_rate: float | None  # 0..1
    meetings_confirmed: int
    meetings_placed: int
    meetings_cancelled: int
    meetings_per_firm: list[tuple[int, int]]  # (number of meetings, number of firms), every number from 0 to the most
    tables: int
    table_use: list[SlotUse]  # every slot not removed, in time order
    countries: list[LabelledCount]  # most firms first, then by label
    sectors: list[LabelledCount]  # a firm in two sectors counts in both

    def count_of(self, status: str) -> int:
        return next((item.count for item in self.requests if item.code == status), 0)


def _registrations(created: list[datetime], zone: ZoneInfo) -> list[DayCount]:
    per_day = Counter(moment.astimezone(zone).date() for moment in created)
    days, total = [], 0
    for day in sorted(per_day):
        total += per_day[day]
        days.append(DayCount(day=day, joined=per_day[day], total=total))
    return days


def _labelled(counts: Counter, kind: str) -> list[LabelledCount]:
    items = [LabelledCount(code, labels.label(kind, code), n) for code, n in counts.items()]
    return sorted(items, key=lambda item: (-item.count, item.label))


def _requests(mission: Mission) -> tuple[list[LabelledCount], int, float | None]:
    rows = dict(MeetingRequest.objects.filter(mission=mission).values_list("status").annotate(n=Count("id")).order_by())
    items = [LabelledCount(status.value, str(status.label), rows.get(status.value, 0)) for status in RequestStatus]
    accepted, declined = rows.get(RequestStatus.ACCEPTED, 0), rows.get(RequestStatus.DECLINED, 0)
    rate = accepted / (accepted + declined) if accepted + declined else None
    return items, sum(rows.values()), rate


def _distribution(per_firm: Counter, firm_ids: list[int]) -> list[tuple[int, int]]:
    firms_with = Counter(per_firm.get(firm_id, 0) for firm_id in firm_ids)
    most = max(firms_with, default=-1)
    return [(k, firms_with.get(k, 0)) for k in range(most + 1)]


def _table_use(mission: Mission, placed: Sequence[tuple[int, int | None]], zone: ZoneInfo) -> list[SlotUse]:
    at_table = Counter(slot for slot, table in placed if table is not None)
    without = Counter(slot for slot, table in placed if table is None)
    slots = Slot.objects.filter(mission=mission, removed=False).order_by("start").values_list("pk", "start")
    return [SlotUse(pk, start.astimezone(zone), at_table[pk], without[pk]) for pk, start in slots]


def mission_dashboard(*, mission: Mission) -> Dashboard:
    zone = ZoneInfo(mission.time_zone)
    firms = list(
        Participation.objects.filter(mission=mission).values_list(
            "pk", "created_at", "company__country", "company__sectors"
        )
    )
    requests, requests_total, rate = _requests(mission)
    meetings = list(
        Meeting.objects.filter(mission=mission).values_list("a_id", "b_id", "status", "slot_id", "table_id")
    )
    confirmed = [m for m in meetings if m[2] == MeetingStatus.CONFIRMED]
    per_firm = Counter(firm for a, b, *_rest in confirmed for firm in (a, b))
    placed = [(slot, table) for *_ab, _status, slot, table in confirmed if slot is not None]
    return Dashboard(
        mission_id=mission.pk, time_zone=mission.time_zone, participants=len(firms),
        registrations=_registrations([f[1] for f in firms], zone),
        requests=requests, requests_total=requests_total, acceptance_rate=rate,
        meetings_confirmed=len(confirmed), meetings_placed=len(placed),
        meetings_cancelled=len(meetings) - len(confirmed),
        meetings_per_firm=_distribution(per_firm, [f[0] for f in firms]),
        tables=mission.tables.count(), table_use=_table_use(mission, placed, zone),
        countries=_labelled(Counter(f[2] for f in firms), "country"),
        sectors=_labelled(Counter(sector for f in firms for sector in f[3] or []), "sector"),
    )  # fmt: skip
