"""The schedule grid's rows, cells and meetings as HTML, written in Python.

A grid of 60 tables × 30 slots has 1,800 cells: one template include per cell cost about a second,
these functions a few milliseconds. The page and the cells redrawn after an edit (events.views_grid)
use the same functions, so both always carry the same markup and hooks (`td.cell[data-cell]`,
`.mtg[data-meeting]`). Every text is escaped here.
"""

from html import escape  # the standard library's: Django's lazy-aware wrapper costs more than the grid

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from events.schedule_grid import GridCell, GridDay, GridMeeting, GridRow

register = template.Library()


def _flags() -> tuple[str, str, str]:
    """The hidden words that tell a screen reader what the pin and the must-meet marks mean, and the
    visible one of a meeting short of delegates ("%s" for the firms)."""
    return (f'<span class="visually-hidden"> ({escape(gettext("pinned"))})</span>',
            f'<span class="visually-hidden"> ({escape(gettext("must meet"))})</span>',
            escape(gettext("too few delegates: %s")))  # fmt: skip


def _meeting(m: GridMeeting, query: str, flags: tuple[str, str, str], drag: str) -> str:
    classes = "mtg" + (f" is-{m.tone}" if m.tone else "") + (" is-pinned" if m.pinned else "")
    classes += (" is-required" if m.required else "") + (" is-short" if m.short_of else "")
    marks = (flags[0] if m.pinned else "") + (flags[1] if m.required else "")
    # Why the organisers fixed it, on the chip itself: the grid is where they meet it again.
    why = f'<span class="mtg-why">{escape(m.pinned_reason)}</span>' if m.pinned and m.pinned_reason else ""
    title = escape(m.title)
    if m.short_of:
        short = flags[2] % escape(", ".join(m.short_of))
        why += f'<span class="mtg-short">{short}</span>'
        title += f" · {short}"
    return (
        f'<a class="{classes}" href="?{escape(query)}meeting={m.id}#schedule-panel" data-meeting="{m.id}" '
        f'{drag}title="{title}"><span class="mtg-a">{escape(m.a_short)}</span>'
        f'<span class="mtg-b">{escape(m.b_short)}</span>{marks}{why}</a>'
    )


def _cell(cell: GridCell, query: str, flags: tuple[str, str, str], drag: str) -> str:
    classes = "cell" + (" is-removed" if cell.removed else "") + ("" if cell.meetings else " is-empty")
    inner = "".join(_meeting(m, query, flags, drag) for m in cell.meetings)
    return f'<td class="{classes}" data-cell="{cell.key}">{inner}</td>'


def _row(row: GridRow, query: str, flags: tuple[str, str, str], removed: str, drag: str) -> str:
    label = escape(row.clock) + (f" <small>{escape(row.date_label)}</small>" if row.date_label else "")
    label += f' <span class="badge badge-muted">{removed}</span>' if row.removed else ""
    cells = "".join(_cell(cell, query, flags, drag) for cell in row.cells)
    opening = '<tr class="is-removed">' if row.removed else "<tr>"
    return f'{opening}<th scope="row" class="sched-time">{label}</th>{cells}</tr>'


def _drag(editable: bool) -> str:
    """Meetings can be dragged only where the schedule may be edited now (phase, no computation running)."""
    return 'draggable="true" ' if editable else ""


@register.simple_tag
def grid_rows(day: GridDay, query: str, editable: bool) -> SafeString:
    """Every slot row of one day."""
    flags, removed, drag = _flags(), escape(gettext("removed")), _drag(editable)
    return mark_safe("\n".join(_row(row, query, flags, removed, drag) for row in day.rows))  # escaped in the helpers


@register.simple_tag
def grid_cell(cell: GridCell, query: str, editable: bool) -> SafeString:
    return mark_safe(_cell(cell, query, _flags(), _drag(editable)))  # every text escaped in _meeting


@register.simple_tag
def grid_meeting(m: GridMeeting, query: str, editable: bool) -> SafeString:
    return mark_safe(_meeting(m, query, _flags(), _drag(editable)))  # every text escaped in _meeting


@register.simple_tag
def zone_options(zones: list[str], selected: str | None) -> SafeString:
    """The ~600 `<option>`s of the display-zone select (a template loop over them cost more than the grid)."""
    options = (f"<option{' selected' if zone == selected else ''}>{escape(zone)}</option>" for zone in zones)
    return mark_safe("".join(options))  # escaped
