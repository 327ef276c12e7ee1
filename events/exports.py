"""Files organisers download from the dashboard: participants and meetings as CSV or .xlsx, every
firm's agenda in one PDF, and a zip of one iCalendar file per firm.

Participants and meetings are the live state (what the schedule grid shows, unpublished edits
included); agendas are what each firm sees (events.agenda: the published version). Every text
cell goes through config.spreadsheet.cell_safe, so a firm named "=HYPERLINK(...)" stays text in
Excel and LibreOffice. CSV files are UTF-8 with a byte-order mark, which Excel needs to read
Japanese correctly.
"""

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from companies import labels
from config.spreadsheet import cell_safe
from events.agenda import Agenda, agenda_for
from events.enums import MeetingStatus
from events.models import Delegate, Meeting, Mission, Participation

Cell = str | int | date | None


@dataclass(frozen=True)
class Sheet:
    name: str  # the worksheet's title and the file's base name
    header: list[str]
    rows: list[list[Cell]]


def _delegates(participation: Participation) -> str:
    parts = []
    for d in participation.delegates.all():
        text = f"{d.name} ({d.role})" if d.role else d.name
        parts.append(f"{text} <{d.email}>" if d.email else text)
    return "; ".join(parts)


def participants_sheet(*, mission: Mission) -> Sheet:
    """One row per participating firm, by name; three queries."""
    zone = ZoneInfo(mission.time_zone)
    firms = (
        Participation.objects.filter(mission=mission)
        .select_related("company")
        .prefetch_related(Prefetch("delegates", queryset=Delegate.objects.order_by("id")))
        .order_by("company__name", "id")
    )
    confirmed = Meeting.objects.filter(mission=mission, status=MeetingStatus.CONFIRMED)
    meetings: Counter[int] = Counter()
    placed: Counter[int] = Counter()
    for a, b, slot in confirmed.values_list("a_id", "b_id", "slot_id"):
        meetings.update((a, b))
        if slot is not None:
            placed.update((a, b))
    rows: list[list[Cell]] = [[
        p.company.name, p.company.name_ja, labels.label("country", p.company.country), p.company.city,
        ", ".join(labels.label("sector", s) for s in p.company.sectors), p.company.website,
        p.created_at.astimezone(zone).date(), p.get_joined_via_display(), _delegates(p), p.max_meetings,
        meetings[p.pk], placed[p.pk],
    ] for p in firms]  # fmt: skip
    header = [
        _("Company"), _("Name in Japanese"), _("Country"), _("City"), _("Sectors"), _("Website"), _("Joined on"),
        _("Joined via"), _("Delegates"), _("Most meetings wanted"), _("Confirmed meetings"), _("Placed meetings"),
    ]  # fmt: skip
    return Sheet(_("Participants"), header, rows)


def meetings_sheet(*, mission: Mission) -> Sheet:
    """One row per meeting (cancelled ones too), placed ones by time then table, then the rest; one query."""
    zone = ZoneInfo(mission.time_zone)
    meetings = Meeting.objects.filter(mission=mission).select_related("a__company", "b__company", "slot", "table")
    rows: list[list[Cell]] = []
    for m in sorted(meetings, key=lambda m: (m.slot is None, m.slot.start if m.slot else 0, str(m.table or ""), m.pk)):
        start = m.slot.start.astimezone(zone) if m.slot else None
        end = m.slot.end.astimezone(zone) if m.slot else None
        rows.append([
            m.pk, start.date() if start else None, f"{start:%H:%M}" if start else "", f"{end:%H:%M}" if end else "",
            m.table.name if m.table else "", m.a.company.name, m.a.company.name_ja, m.b.company.name,
            m.b.company.name_ja, m.get_status_display(), _("yes") if m.pinned else _("no"), m.cancelled_reason,
        ])  # fmt: skip
    header = [
        _("Meeting"), _("Day"), _("Start"), _("End"), _("Table"), _("Firm A"), _("Firm A in Japanese"), _("Firm B"),
        _("Firm B in Japanese"), _("Status"), _("Pinned"), _("Reason for cancelling"),
    ]  # fmt: skip
    return Sheet(_("Meetings"), header, rows)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return cell_safe(str(value)) if isinstance(value, str) else str(value)


def sheet_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell_safe(h) for h in sheet.header])
    writer.writerows([_text(value) for value in row] for row in sheet.rows)
    return out.getvalue().encode("utf-8-sig")


def sheet_xlsx(sheet: Sheet) -> bytes:
    """An .xlsx workbook of one sheet: numbers and dates keep their type, text is never a formula."""
    from openpyxl import Workbook  # loads only when a workbook is asked for
    from openpyxl.styles import Font

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet.name[:31]  # Excel's limit
    ws.append([cell_safe(h) for h in sheet.header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append([cell_safe(v) if isinstance(v, str) else v for v in row])
    for column, header in zip(ws.iter_cols(min_row=1, max_row=1), sheet.header, strict=True):
        ws.column_dimensions[column[0].column_letter].width = max(10, min(40, len(header) + 4))
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def mission_agendas(*, mission: Mission) -> list[Agenda]:
    """Every participating firm's agenda as the firm sees it, by firm name (a few queries per firm)."""
    firms = Participation.objects.filter(mission=mission).select_related("company", "mission")
    return [agenda_for(participation=p, viewer_tz=None) for p in firms.order_by("company__name", "id")]


def agenda_filename(agenda: Agenda, extension: str) -> str:
    return f"{slugify(agenda.firm.name) or 'firm'}-{agenda.firm.participation_id}.{extension}"


def agendas_ics_zip(agendas: Sequence[Agenda], *, stamp: datetime) -> bytes:
    """A zip of one .ics file per firm (events.agenda_ics), named after the firm."""
    from events.agenda_ics import agenda_ics  # icalendar loads only when asked for

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for agenda in agendas:
            archive.writestr(agenda_filename(agenda, "ics"), agenda_ics(agenda, stamp=stamp))
    return buffer.getvalue()
