"""An agenda as an A4 PDF: the mission, then one table per day (time, partner, table).

Every string is set in a Japanese CID font that reportlab ships (HeiseiKakuGo-W5, no font file to
vendor); it covers Latin text as well, so company names in either script render. Every style wraps
Japanese between any two characters (wordWrap="CJK"), as Japanese has no spaces between words.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from events.agenda import Agenda, AgendaDay, AgendaEntry

FONT = "HeiseiKakuGo-W5"
MARGIN = 15 * mm
COLUMNS = [52 * mm, 98 * mm, 30 * mm]  # time, partner, table: the A4 width less the margins

_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    # CJK wrapping breaks Japanese between any two characters and still keeps Latin words whole.
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=16, leading=20, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=body, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4),
        "body": body,
        "muted": ParagraphStyle("muted", parent=body, textColor=colors.grey),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _header(agenda: Agenda, st: dict[str, ParagraphStyle]) -> list:
    mission, firm = agenda.mission, agenda.firm
    place = ", ".join(part for part in (mission.venue, mission.city) if part)
    zones = _("Times in %(zone)s") % {"zone": mission.time_zone}
    if agenda.viewer_tz:
        zones += " · " + _("and in %(zone)s") % {"zone": agenda.viewer_tz}
    flow = [_p(mission.title, st["title"]), _p(place, st["body"]), _p(zones, st["body"])]
    flow.append(_p(_("Agenda of %(firm)s") % {"firm": firm.name}, st["body"]))
    if firm.name_ja:
        flow.append(_p(firm.name_ja, st["body"]))
    return flow


def _partner_cell(entry: AgendaEntry, st: dict[str, ParagraphStyle]) -> list:
    partner = entry.partner
    cell = [_p(partner.name, st["body"])]
    if partner.name_ja:
        cell.append(_p(partner.name_ja, st["body"]))
    if partner.delegates:
        cell.append(_p(", ".join(d.name for d in partner.delegates), st["muted"]))
    return cell


def _time_cell(entry: AgendaEntry, st: dict[str, ParagraphStyle]) -> list:
    cell = [_p(entry.timing.local.label, st["body"])]
    if entry.timing.viewer_label is not None:
        cell.append(_p(entry.timing.viewer_label, st["muted"]))
    return cell


def _day(day: AgendaDay, st: dict[str, ParagraphStyle]) -> list:
    flow: list = [_p(formats.date_format(day.date, "DAY_FORMAT"), st["h2"])]
    if day.entries:
        rows = [[_p(_("Time"), st["body"]), _p(_("Partner"), st["body"]), _p(_("Table"), st["body"])]]
        rows += [[_time_cell(e, st), _partner_cell(e, st), _p(e.table or "—", st["body"])] for e in day.entries]
        table = Table(rows, colWidths=COLUMNS, repeatRows=1)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
        ]))  # fmt: skip
        flow.append(table)
    else:
        flow.append(_p(_("No meetings on this day."), st["muted"]))
    free = [f"{f.timing.local.start:%H:%M}" for f in day.free if f.available]
    if free:
        flow.append(Spacer(1, 2 * mm))
        flow.append(_p(_("Free: %(times)s") % {"times": ", ".join(free)}, st["muted"]))
    return flow


def agenda_pdf(agenda: Agenda) -> bytes:
    """The agenda as PDF bytes (A4, page numbers at the foot)."""
    st = _styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=agenda.mission.title, subject=agenda.firm.name, author="Kizuna", creator="Kizuna",
    )  # fmt: skip
    flow = _header(agenda, st)
    for day in agenda.days:
        flow += _day(day, st)
    if agenda.unscheduled:
        flow.append(_p(_("Meetings not scheduled yet"), st["h2"]))
        flow += [_p(f"{p.name} {p.name_ja}".strip(), st["body"]) for p in agenda.unscheduled]
    if not agenda.days and not agenda.unscheduled:
        flow.append(_p(_("No meetings yet."), st["muted"]))

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(_font(), 8)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, _("Page %(n)d") % {"n": document.page})
        canvas.restoreState()

    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
