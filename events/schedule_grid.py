"""The organiser's schedule grid as plain data: days of slots × tables, each cell with its meeting.

Built from six queries whatever the mission's size (slots, tables, confirmed meetings with both
firms' names, participants, delegates per firm, delegates away per firm and slot), so the page costs
the same number of round trips at 60 meetings as at 1,800; the template only walks lists. Times are
wall-clock labels in the zone the viewer chose (the mission's by default), computed here so the
template converts nothing.
"""

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.db.models import Count
from django.utils.formats import date_format

from events.enums import MeetingStatus
from events.models import Delegate, Meeting, Mission, Participation, Slot, Table
from events.selectors_availability import mission_delegates_away

NO_TABLE = ""  # the table part of a cell key in the "no table" column
SHORT_NAME_MAX = 22

# Legal forms dropped from a firm's name in a cell (the full name stays in the tooltip and the panel).
_LEGAL_FORMS = re.compile(
    r"(?:[\s,]+(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|SE|SAS|SA|S\.A\.|SARL|S\.r\.l\.|SRL|S\.p\.A\.|SpA|BV|B\.V\.|NV|N\.V\.|"
    r"Oy|AB|AS|A/S|ApS|plc|PLC|Ltd\.?|Limited|LLC|Inc\.?|Corp\.?|Corporation|Co\.,?\s*Ltd\.?|K\.K\.|KK|"
    r"Holdings?|Group)\.?)+$"
    r"|^(?:株式会社|有限会社|合同会社)\s*|\s*(?:株式会社|有限会社|合同会社)$"
)


@lru_cache(maxsize=4096)  # a mission has a few hundred firms, each in many cells
def short_name(name: str) -> str:
    """A firm's name without its legal form, cut to SHORT_NAME_MAX characters ("Alpha GmbH" → "Alpha")."""
    short = _LEGAL_FORMS.sub("", name.strip()).strip(" ,") or name.strip()
    return short if len(short) <= SHORT_NAME_MAX else short[: SHORT_NAME_MAX - 1].rstrip() + "…"


def cell_key(slot_id: int, table_id: int | None) -> str:
    """ "12:3": the slot and the table of a cell (the hook `data-cell` of the page); "12:" without a table."""
    return f"{slot_id}:{NO_TABLE if table_id is None else table_id}"


@dataclass(frozen=True)
class GridFilters:
    """What the viewer asked to see: one firm highlighted, one table, one day, a display zone."""

    firm: int | None = None
    table: int | None = None
    day: date | None = None
    tz: str | None = None


@dataclass(slots=True)
class GridMeeting:
    id: int
    a_id: int
    b_id: int
    a_name: str
    b_name: str
    a_short: str
    b_short: str
    slot_id: int | None
    table_id: int | None
    pinned: bool
    required: bool
    tone: str = ""  # "hi" (the chosen firm's) or "dim" (another firm's) when a firm is chosen
    pinned_reason: str = ""
    # The firms (short names) with fewer delegates present in its slot than meetings placed there.
    short_of: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.a_name} – {self.b_name}" + (f" · {self.pinned_reason}" if self.pinned_reason else "")


@dataclass(slots=True)
class GridCell:
    key: str
    slot_id: int
    table_id: int | None
    removed: bool = False
    meetings: list[GridMeeting] = field(default_factory=list)


@dataclass
class GridRow:
    slot_id: int
    clock: str  # "09:00–09:30" in the display zone
    date_label: str  # the display zone's date, when it is not the mission's day
    removed: bool
    cells: list[GridCell]


@dataclass
class GridDay:
    day: date
    label: str
    rows: list[GridRow] = field(default_factory=list)


@dataclass(frozen=True)
class GridColumn:
    id: int | None
    name: str
    host: str


@dataclass(frozen=True)
class SlotChoice:
    id: int
    label: str  # "Mon 6 Oct 09:00–09:30" in the display zone


@dataclass
class ScheduleGrid:
    zone: str
    mission_zone: str
    columns: list[GridColumn]
    days: list[GridDay]
    unplaced: list[GridMeeting]
    firms: list[tuple[int, str]]
    tables: list[GridColumn]  # every table, for the filter (columns may be one of them)
    day_choices: list[tuple[date, str]]
    slot_choices: list[SlotChoice]
    meetings: dict[int, GridMeeting]
    filters: GridFilters
    cells: dict[str, GridCell] = field(default_factory=dict)

    @property
    def placed_count(self) -> int:
        return sum(1 for m in self.meetings.values() if m.slot_id is not None)

    @property
    def short_count(self) -> int:
        """Placed meetings where a firm has fewer delegates present than meetings (after an organiser's
        change of availability: the editor and the scheduler never place them so)."""
        return sum(1 for m in self.meetings.values() if m.short_of)

    @property
    def shows_other_zone(self) -> bool:
        return self.zone != self.mission_zone

    def slot_label(self, slot_id: int | None) -> str:
        return next((c.label for c in self.slot_choices if c.id == slot_id), "")

    def table_name(self, table_id: int | None) -> str:
        return next((t.name for t in self.tables if t.id == table_id), "")

    def placement_label(self, meeting: GridMeeting) -> str:
        """ "Mon 6 Oct 09:00–09:30 · T3", or "" for an unplaced meeting."""
        if meeting.slot_id is None:
            return ""
        parts = (self.slot_label(meeting.slot_id), self.table_name(meeting.table_id))
        return " · ".join(part for part in parts if part)

    def swap_choices(self, meeting: GridMeeting) -> list[tuple[str, list[tuple[int, str]]]]:
        """The placed meetings `meeting` could swap with, grouped by slot: (slot label, [(id, "T3 · A – B")])."""
        groups: dict[int, list[tuple[int, str]]] = {}
        tables = {t.id: t.name for t in self.tables}
        for other in sorted(self.meetings.values(), key=lambda m: (m.table_id or 0, m.id)):
            if other.slot_id is not None and other.id != meeting.id:
                label = f"{tables.get(other.table_id, '')} · {other.a_short} – {other.b_short}".lstrip(" ·")
                groups.setdefault(other.slot_id, []).append((other.id, label))
        return [(choice.label, groups[choice.id]) for choice in self.slot_choices if choice.id in groups]


def _names(row: Mapping[str, Any], side: str, japanese: bool) -> tuple[str, str]:
    name = row[f"{side}__company__name"]
    shown = row[f"{side}__company__name_ja"] if japanese and row[f"{side}__company__name_ja"] else name
    return shown, short_name(shown)


def _meetings(mission: Mission, filters: GridFilters, japanese: bool) -> dict[int, GridMeeting]:
    rows = (
        Meeting.objects.filter(mission=mission, status=MeetingStatus.CONFIRMED)
        .order_by("id")
        .values("id", "a_id", "b_id", "slot_id", "table_id", "pinned", "pinned_reason", "required",
                "a__company__name", "a__company__name_ja", "b__company__name", "b__company__name_ja")
    )  # fmt: skip
    meetings = {}
    for row in rows:
        (a_name, a_short), (b_name, b_short) = _names(row, "a", japanese), _names(row, "b", japanese)
        tone = ""
        if filters.firm is not None:
            tone = "hi" if filters.firm in (row["a_id"], row["b_id"]) else "dim"
        meetings[row["id"]] = GridMeeting(
            id=row["id"], a_id=row["a_id"], b_id=row["b_id"], a_name=a_name, b_name=b_name,
            a_short=a_short, b_short=b_short, slot_id=row["slot_id"], table_id=row["table_id"],
            pinned=row["pinned"], required=row["required"], tone=tone, pinned_reason=row["pinned_reason"],
        )  # fmt: skip
    return meetings


def _mark_short_of_delegates(mission: Mission, meetings: dict[int, GridMeeting]) -> None:
    """Name, on each placed meeting, the firms holding more meetings in its slot than they have
    delegates present there (no delegates listed: one present, as the scheduler counts)."""
    delegates = dict(
        Delegate.objects.filter(participation__mission=mission)
        .values("participation").annotate(n=Count("id")).values_list("participation", "n")
    )  # fmt: skip
    away = mission_delegates_away(mission)
    held: defaultdict[tuple[int, int], list[GridMeeting]] = defaultdict(list)
    for m in meetings.values():
        if m.slot_id is not None:
            held[m.a_id, m.slot_id].append(m)
            held[m.b_id, m.slot_id].append(m)
    for (firm, slot), placed in held.items():
        present = delegates[firm] - away.get(firm, {}).get(slot, 0) if firm in delegates else 1
        if len(placed) > present:
            for m in placed:
                m.short_of.append(m.a_short if firm == m.a_id else m.b_short)


def _firms(mission: Mission, japanese: bool) -> list[tuple[int, str]]:
    rows = Participation.objects.filter(mission=mission).values_list("id", "company__name", "company__name_ja")
    firms = [(pk, name_ja if japanese and name_ja else name) for pk, name, name_ja in rows]
    return sorted(firms, key=lambda firm: firm[1].casefold())


def _tables(mission: Mission) -> list[GridColumn]:
    rows = Table.objects.filter(mission=mission).order_by("id").values_list("id", "name", "host__company__name")
    return [GridColumn(id=pk, name=name, host=short_name(host) if host else "") for pk, name, host in rows]


def _row(slot: Mapping[str, Any], zone: ZoneInfo, columns: list[GridColumn], cells: dict[str, GridCell]) -> GridRow:
    start, end = slot["start"].astimezone(zone), slot["end"].astimezone(zone)
    row_cells = []
    for column in columns:
        cell = GridCell(key=cell_key(slot["id"], column.id), slot_id=slot["id"], table_id=column.id,
                        removed=slot["removed"])  # fmt: skip
        cells[cell.key] = cell
        row_cells.append(cell)
    return GridRow(
        slot_id=slot["id"], clock=f"{start:%H:%M}–{end:%H:%M}", removed=slot["removed"], cells=row_cells,
        date_label=date_format(start.date(), "DAY_MONTH_FORMAT") if start.date() != slot["day"] else "",
    )  # fmt: skip


def schedule_grid(*, mission: Mission, filters: GridFilters = GridFilters(), japanese: bool = False) -> ScheduleGrid:
    """The grid of `mission` as the viewer asked for it (`filters.tz` must be a valid IANA name or None)."""
    zone_name = filters.tz or mission.time_zone
    zone = ZoneInfo(zone_name)
    meetings = _meetings(mission, filters, japanese)
    _mark_short_of_delegates(mission, meetings)
    tables = _tables(mission)
    if filters.table not in {t.id for t in tables}:  # an unknown table shows them all
        filters = GridFilters(firm=filters.firm, day=filters.day, tz=filters.tz)
    untabled = not tables or any(m.slot_id is not None and m.table_id is None for m in meetings.values())
    columns = [t for t in tables if filters.table in (None, t.id)]
    if untabled and filters.table is None:
        columns.append(GridColumn(id=None, name="", host=""))
    slots = list(
        Slot.objects.filter(mission=mission).order_by("start", "id").values("id", "day", "start", "end", "removed")
    )
    days: dict[date, GridDay] = {}
    cells: dict[str, GridCell] = {}
    for slot in slots:
        if filters.day is None or slot["day"] == filters.day:
            if slot["day"] not in days:
                days[slot["day"]] = GridDay(day=slot["day"], label=date_format(slot["day"], "DAY_FORMAT"))
            days[slot["day"]].rows.append(_row(slot, zone, columns, cells))
    unplaced = []
    for meeting in meetings.values():
        if meeting.slot_id is None:
            unplaced.append(meeting)
        elif (cell := cells.get(cell_key(meeting.slot_id, meeting.table_id))) is not None:
            cell.meetings.append(meeting)
    return ScheduleGrid(
        zone=zone_name, mission_zone=mission.time_zone, columns=columns, days=list(days.values()),
        unplaced=[m for m in unplaced if filters.firm is None or m.tone == "hi"], firms=_firms(mission, japanese),
        tables=tables, day_choices=_day_choices(slots), slot_choices=_slot_choices(slots, zone),
        meetings=meetings, filters=filters, cells=cells,
    )  # fmt: skip


def _day_choices(slots: Sequence[Mapping[str, Any]]) -> list[tuple[date, str]]:
    days = sorted({slot["day"] for slot in slots})
    return [(day, date_format(day, "DAY_MONTH_FORMAT")) for day in days]


def _slot_choices(slots: Sequence[Mapping[str, Any]], zone: ZoneInfo) -> list[SlotChoice]:
    """Every usable slot, labelled in the display zone (the Move form lists them: no ids to type)."""
    choices = []
    for slot in slots:
        if not slot["removed"]:
            start: datetime = slot["start"].astimezone(zone)
            label = f"{date_format(start, 'DAY_MONTH_TIME_FORMAT')}–{slot['end'].astimezone(zone):%H:%M}"
            choices.append(SlotChoice(id=slot["id"], label=label))
    return choices


@lru_cache(maxsize=1)
def zone_choices() -> list[str]:
    """Every IANA zone name, sorted, for the display-zone select (the tz database cannot change while we run)."""
    return sorted(available_timezones())
