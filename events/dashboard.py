"""The organiser dashboard as the page shows it: each figure of events.selectors_dashboard as a
chart (events.charts) with the same numbers as a table, labels in the active language."""

from dataclasses import dataclass

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events import charts
from events.selectors_dashboard import Dashboard


@dataclass(frozen=True)
class Panel:
    id: str
    title: str
    svg: SafeString  # built by events.charts, which escapes every text
    headers: list[str]
    rows: list[list[str]]
    empty: str = ""  # said instead of the chart when there is nothing to draw


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f} %"


def _registrations(d: Dashboard) -> Panel:
    title = _("Registrations over time")
    points = [(formats.date_format(day.day, "MONTH_DAY_FORMAT"), day.total) for day in d.registrations]
    desc = _("Participants registered by the end of each day; %(n)d in all.") % {"n": d.participants}
    return Panel(
        id="registrations", title=title,
        svg=mark_safe(charts.line_chart(chart_id="chart-registrations", title=title, desc=desc, points=points)),
        headers=[_("Day"), _("Joined that day"), _("Registered in all")],
        rows=[[formats.date_format(day.day, "DATE_FORMAT"), str(day.joined), str(day.total)]
              for day in d.registrations],
        empty=_("No firm has joined yet.") if not d.registrations else "",
    )  # fmt: skip


def _requests(d: Dashboard) -> Panel:
    title = _("Meeting requests by status")
    desc = _("%(n)d requests; acceptance rate %(rate)s (accepted out of accepted and declined).") % {
        "n": d.requests_total, "rate": percent(d.acceptance_rate),
    }  # fmt: skip
    bars = [(item.label, item.count) for item in d.requests]
    return Panel(
        id="requests", title=title,
        svg=mark_safe(charts.bar_chart(chart_id="chart-requests", title=title, desc=desc, bars=bars)),
        headers=[_("Status"), _("Requests")], rows=[[label, str(n)] for label, n in bars],
        empty=_("No meeting request yet.") if not d.requests_total else "",
    )  # fmt: skip


def _meetings_per_firm(d: Dashboard) -> Panel:
    title = _("Meetings per firm")
    desc = _("How many firms have 0, 1, 2... confirmed meetings.")
    columns = [(str(k), firms) for k, firms in d.meetings_per_firm]
    return Panel(
        id="meetings-per-firm", title=title,
        svg=mark_safe(charts.column_chart(chart_id="chart-meetings", title=title, desc=desc, columns=columns)),
        headers=[_("Confirmed meetings"), _("Firms")], rows=[[k, str(n)] for k, n in columns],
        empty=_("No firm has joined yet.") if not d.participants else "",
    )  # fmt: skip


def _table_use(d: Dashboard) -> Panel:
    title = _("Table use per slot")
    desc = ngettext(
        "Meetings placed in each slot, at a table or without one; the line is the %(n)d table.",
        "Meetings placed in each slot, at a table or without one; the line is the %(n)d tables.", d.tables,
    ) % {"n": d.tables}  # fmt: skip
    # Day as the site writes it ("3 January" / "1月3日"), not a US-style 1/3.
    categories = [f"{formats.date_format(use.start, 'MONTH_DAY_FORMAT')} {use.start:%H:%M}" for use in d.table_use]
    series = [
        (_("At a table"), [use.at_table for use in d.table_use]),
        (_("Without a table"), [use.without_table for use in d.table_use]),
    ]
    svg = charts.stacked_chart(
        chart_id="chart-tables", title=title, desc=desc, categories=categories, series=series,
        limit=d.tables or None, limit_label=_("Tables"),
    )  # fmt: skip
    rows = [[label, str(use.at_table), str(use.without_table), str(d.tables)]
            for label, use in zip(categories, d.table_use, strict=True)]  # fmt: skip
    return Panel(
        id="table-use", title=title, svg=mark_safe(svg),
        headers=[_("Slot (mission time)"), _("At a table"), _("Without a table"), _("Tables")], rows=rows,
        empty=_("The mission has no slots.") if not d.table_use else "",
    )  # fmt: skip


def _mix(chart_id: str, title: str, desc: str, header: str, items) -> Panel:
    bars = [(item.label, item.count) for item in items]
    return Panel(
        id=chart_id, title=title,
        svg=mark_safe(charts.bar_chart(chart_id=f"chart-{chart_id}", title=title, desc=desc, bars=bars)),
        headers=[header, _("Firms")], rows=[[label, str(n)] for label, n in bars],
        empty=_("No firm has joined yet.") if not bars else "",
    )  # fmt: skip


def dashboard_panels(d: Dashboard) -> list[Panel]:
    return [
        _registrations(d), _requests(d), _meetings_per_firm(d), _table_use(d),
        _mix("countries", _("Country mix"), _("Participating firms by country."), _("Country"), d.countries),
        _mix("sectors", _("Sector mix"), _("Participating firms by sector; a firm in two sectors counts in both."),
             _("Sector"), d.sectors),
    ]  # fmt: skip
