"""Agendas as A4 PDFs to hand out: one firm's (`agenda_pdf`) or every firm's in one file (`agendas_pdf`).

Each agenda opens with the firm, the mission, the place and the zone of the times; each day starts
on a new page with a table of its meetings: local time, partner (both scripts) with the delegates
to ask for, table, and a QR code. Every page repeats the mission and the firm at its head.

Text is set in Noto Sans JP Kizuna (events/fonts, a TrueType subset of Noto Sans CJK JP under the
SIL Open Font License, built by scripts/build_pdf_font.py): reportlab embeds the glyphs each file
uses, with their real widths and a ToUnicode map, so "EU–Japan" and "Mitteleuropäisches" keep
their spacing in any viewer and the text can be searched and copied. Japanese wraps between any
two characters (wordWrap="CJK"), as Japanese has no spaces between words.

The QR code holds the address of the firm's agenda for the organisers, at the meeting
(`.../agendas/<participation>/#meeting-<id>`): staff scan it to find the meeting; check-in can read
the same address later.
"""

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from events.agenda import Agenda, AgendaDay, AgendaEntry, zone_label

FONT = "NotoSansJPKizuna"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSansJP-Kizuna.ttf"
MARGIN = 15 * mm
HEAD = 12 * mm  # the band at the top of every page (mission and firm)
QR_SIZE = 20 * mm
COLUMNS = [34 * mm, 96 * mm, 24 * mm, 26 * mm]  # time, partner, table, QR: the A4 width less the margins
ACCENT = colors.HexColor("#1f3a5f")


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))  # subset-embedded in each file
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=23, textColor=ACCENT),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=12, leading=16, spaceAfter=2),
        "h2": ParagraphStyle(
            "h2", parent=body, fontSize=13, leading=17, spaceBefore=4, spaceAfter=6, textColor=ACCENT
        ),  # fmt: skip
        "body": body,
        "partner": ParagraphStyle("partner", parent=body, fontSize=10.5, leading=14),
        "th": ParagraphStyle("th", parent=body, fontSize=8.5, textColor=colors.white),
        "muted": ParagraphStyle("muted", parent=body, fontSize=8.5, leading=11.5, textColor=colors.HexColor("#555555")),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


class QRCode(Flowable):
    """A QR code drawn as vector squares (sharp at any zoom, no image library)."""

    def __init__(self, data: str, size: float = QR_SIZE):
        super().__init__()
        self.data, self.width, self.height = data, size, size

    def draw(self) -> None:
        matrix = [list(row) for row in segno.make(self.data, error="m").matrix_iter(scale=1, border=0)]
        module = self.width / len(matrix)
        self.canv.setFillColor(colors.black)
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    self.canv.rect(x * module, self.height - (y + 1) * module, module, module, stroke=0, fill=1)


class _FirmMark(Flowable):
    """Marks where an agenda starts: the page head and number follow the firm it names."""

    def __init__(self, state: dict, agenda: Agenda):
        super().__init__()
        self.state, self.agenda, self.width, self.height = state, agenda, 0, 0

    def draw(self) -> None:
        self.state.update(agenda=self.agenda, first_page=self.canv.getPageNumber())


def meeting_qr_data(agenda: Agenda, entry: AgendaEntry) -> str:
    path = reverse("events:participant_agenda", args=[agenda.mission.id, agenda.firm.participation_id])
    return f"{settings.SITE_URL}{path}#meeting-{entry.meeting_id}"


def _intro(agenda: Agenda, st: dict[str, ParagraphStyle]) -> list:
    mission, firm = agenda.mission, agenda.firm
    flow: list = [_p(_("Agenda of %(firm)s") % {"firm": firm.name}, st["title"])]
    if firm.name_ja:
        flow.append(_p(firm.name_ja, st["subtitle"]))
    flow.append(Spacer(1, 2 * mm))
    flow.append(_p(mission.title, st["subtitle"]))
    place = ", ".join(part for part in (mission.venue, mission.city) if part)
    if place:
        flow.append(_p(place, st["body"]))
    zones = _("All times are local times in %(zone)s.") % {"zone": mission.time_zone}
    if agenda.viewer_tz:
        zones += " " + _("Second time: %(zone)s.") % {"zone": agenda.viewer_tz}
    flow.append(_p(zones, st["body"]))
    count = agenda.meeting_count
    flow.append(_p(ngettext("%(n)d meeting", "%(n)d meetings", count) % {"n": count}, st["muted"]))
    return [*flow, Spacer(1, 5 * mm)]


def _partner_cell(entry: AgendaEntry, st: dict[str, ParagraphStyle]) -> list:
    partner = entry.partner
    cell = [_p(partner.name, st["partner"])]
    if partner.name_ja:
        cell.append(_p(partner.name_ja, st["body"]))
    if partner.delegates:
        people = ", ".join(f"{d.name} ({d.role})" if d.role else d.name for d in partner.delegates)
        cell.append(_p(_("Contact: %(people)s") % {"people": people}, st["muted"]))
    if entry.fixed_reason:  # in the wide column: the time column would break it into words
        cell.append(_p(_("Fixed by the organisers: %(reason)s") % {"reason": entry.fixed_reason}, st["muted"]))
    return cell


def _time_cell(entry: AgendaEntry, st: dict[str, ParagraphStyle]) -> list:
    cell = [_p(entry.timing.local.clock, st["partner"]), _p(zone_label(entry.timing.local.start), st["muted"])]
    if entry.timing.viewer_label is not None:
        cell.append(_p(entry.timing.viewer_label, st["muted"]))
    return cell


def _meetings_table(agenda: Agenda, day: AgendaDay, st: dict[str, ParagraphStyle]) -> Table:
    header = [
        _p(_("Time"), st["th"]),
        _p(_("Partner"), st["th"]),
        _p(_("Table"), st["th"]),
        _p(_("Check-in"), st["th"]),
    ]
    rows = [header] + [
        [_time_cell(e, st), _partner_cell(e, st), _p(e.table or "—", st["partner"]), QRCode(meeting_qr_data(agenda, e))]
        for e in day.entries
    ]
    table = Table(rows, colWidths=COLUMNS, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
        ("TOPPADDING", (0, 1), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
        ("ALIGN", (3, 1), (3, -1), "RIGHT"),
    ]))  # fmt: skip
    return table


def _day(agenda: Agenda, day: AgendaDay, st: dict[str, ParagraphStyle]) -> list:
    flow: list = []
    heading = _p(formats.date_format(day.date, "DAY_FORMAT"), st["h2"])
    if day.entries:
        flow.append(KeepTogether([heading, Spacer(1, 1), _meetings_table(agenda, day, st)]))
    else:
        flow += [heading, _p(_("No meetings on this day."), st["muted"])]
    free = [f"{f.timing.local.start:%H:%M}" for f in day.free if f.available]
    if free:
        flow += [Spacer(1, 3 * mm), _p(_("Free: %(times)s") % {"times": ", ".join(free)}, st["muted"])]
    return flow


def _agenda_flow(agenda: Agenda, st: dict[str, ParagraphStyle], state: dict) -> list:
    """One agenda: the intro, then each day from a new page (the first day follows the intro)."""
    flow: list = [_FirmMark(state, agenda), *_intro(agenda, st)]
    for i, day in enumerate(agenda.days):
        if i:
            flow.append(PageBreak())
        flow += _day(agenda, day, st)
    if agenda.unscheduled:
        flow.append(_p(_("Meetings not scheduled yet"), st["h2"]))
        flow += [_p(f"{p.name} {p.name_ja}".strip(), st["body"]) for p in agenda.unscheduled]
    if not agenda.days and not agenda.unscheduled:
        flow.append(_p(_("No meetings yet."), st["muted"]))
    return flow


def _page(canvas, document, state: dict) -> None:
    """The head (mission · firm) and foot (page within the firm's agenda), drawn after the page's content."""
    agenda: Agenda | None = state.get("agenda")
    if agenda is None:
        return
    width, height = A4
    canvas.saveState()
    canvas.setFont(_font(), 8)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawString(MARGIN, height - MARGIN - 2, f"Kizuna · {agenda.mission.title}"[:90])
    canvas.drawRightString(width - MARGIN, height - MARGIN - 2, agenda.firm.name[:50])
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, height - MARGIN - 6, width - MARGIN, height - MARGIN - 6)
    number = document.page - state["first_page"] + 1
    canvas.drawRightString(width - MARGIN, MARGIN / 2, _("Page %(n)d") % {"n": number})
    canvas.restoreState()


def _doc(buffer: BytesIO, title: str, subject: str, state: dict) -> BaseDocTemplate:
    width, height = A4
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + HEAD, bottomMargin=MARGIN,
        title=title, subject=subject, author="Kizuna", creator="Kizuna",
    )  # fmt: skip
    frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN - HEAD, id="body")
    doc.addPageTemplates([PageTemplate(id="agenda", frames=[frame],
                                       onPageEnd=lambda canvas, d: _page(canvas, d, state))])  # fmt: skip
    return doc


def agendas_pdf(agendas: list[Agenda], *, title: str, subject: str = "") -> bytes:
    """Several agendas in one PDF, each from a new page with its own page numbers."""
    st, state, buffer = _styles(), {}, BytesIO()
    doc = _doc(buffer, title, subject or title, state)
    flow: list = []
    for i, agenda in enumerate(agendas):
        if i:
            flow.append(PageBreak())
        flow += _agenda_flow(agenda, st, state)
    if not flow:
        flow.append(_p(_("No firm takes part in this mission yet."), st["body"]))
    doc.build(flow)
    return buffer.getvalue()


def agenda_pdf(agenda: Agenda) -> bytes:
    """One firm's agenda as PDF bytes (A4)."""
    return agendas_pdf([agenda], title=agenda.mission.title, subject=agenda.firm.name)
