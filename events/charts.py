"""Charts as SVG text, drawn on the server from plain numbers (no Django, no JavaScript).

Each function returns one `<svg>` element that scales to its container (viewBox, width 100%):
`role="img"` named by its `<title>` and described by its `<desc>`, so a screen reader announces
the chart; pages put the same numbers in a table under it. Colours are CSS classes
(`chart-series-0`...) with a fill attribute as the default, so a page's stylesheet may restyle
them and a file saved alone still shows. Every text is escaped here.
"""

import math
from collections.abc import Callable, Sequence
from html import escape

WIDTH = 440
FONT = 14
PAD = 8
ROW = 24  # height of one bar of a horizontal bar chart
PLOT_HEIGHT = 160  # height of the plotting area of column, line and stacked charts
PALETTE = ("#1f5fa8", "#e08a1e", "#3a9a5b", "#b03a48", "#7a5ba8")


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Axis ticks from 0 to at least `top` in steps of 1, 2 or 5 times a power of ten (0 and 1 for an empty axis)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and float(top).is_integer():
        step = 1  # counts: no half a firm
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def number(value: float) -> str:
    """ "12" for whole numbers, "0.5" otherwise (at most two decimals)."""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def text_width(text: str) -> float:
    """About how wide `text` is drawn: a CJK character takes a full em, a Latin one about 0.6."""
    return sum(FONT if ord(ch) >= 0x2E80 else FONT * 0.6 for ch in text)


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> str:
    head = (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {number(height)}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-size="{FONT}" font-family="sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return head + "".join(body) + "</svg>"


def _text(x: float, y: float, text: str, *, anchor: str = "start", cls: str = "chart-label", extra: str = "") -> str:
    return (
        f'<text x="{number(round(x, 1))}" y="{number(round(y, 1))}" text-anchor="{anchor}" class="{cls}" '
        f'fill="#333"{extra}>{escape(text)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, series: int, tip: str) -> str:
    return (
        f'<rect x="{number(round(x, 1))}" y="{number(round(y, 1))}" width="{number(round(w, 1))}" '
        f'height="{number(round(h, 1))}" class="chart-series-{series}" fill="{PALETTE[series % len(PALETTE)]}">'
        f"<title>{escape(tip)}</title></rect>"
    )


def bar_chart(
    *, chart_id: str, title: str, desc: str, bars: Sequence[tuple[str, float]],
    fmt: Callable[[float], str] = number,
) -> str:  # fmt: skip
    """Horizontal bars, one per (label, value), in the given order; the value is written after each bar."""
    label_width, value_width = WIDTH * 0.32, 48
    plot = WIDTH - label_width - value_width - 2 * PAD
    top = max((value for _label, value in bars), default=0) or 1
    body = []
    for i, (label, value) in enumerate(bars):
        y = PAD + i * ROW
        length = plot * value / top
        body.append(_text(label_width, y + ROW * 0.65, label, anchor="end"))
        body.append(_rect(label_width + PAD, y + 3, length, ROW - 6, 0, f"{label}: {fmt(value)}"))
        body.append(_text(label_width + 2 * PAD + length, y + ROW * 0.65, fmt(value), cls="chart-value"))
    return _svg(chart_id, title, desc, 2 * PAD + max(len(bars), 1) * ROW, body)


class _Frame:
    """The axes of column, stacked and line charts: y from 0 to the last tick, one band per category."""

    def __init__(self, categories: Sequence[str], top: float):
        self.ticks = nice_ticks(top)
        self.left, self.top, self.bottom = 40.0, PAD + FONT, PAD + FONT + PLOT_HEIGHT
        self.band = (WIDTH - self.left - PAD) / max(len(categories), 1)
        self.categories = categories

    def y(self, value: float) -> float:
        return self.bottom - PLOT_HEIGHT * value / self.ticks[-1]

    def x(self, index: int) -> float:
        return self.left + self.band * index

    def axes(self) -> list[str]:
        parts = []
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(f'<line x1="{number(self.left)}" x2="{WIDTH - PAD}" y1="{number(round(y, 1))}" '
                         f'y2="{number(round(y, 1))}" class="chart-grid" stroke="#ddd"/>')  # fmt: skip
            parts.append(_text(self.left - 4, y + FONT * 0.35, number(tick), anchor="end", cls="chart-tick"))
        # Every k-th label, so that labels never overlap.
        every = max(1, math.ceil(len(self.categories) * self.label_px / (WIDTH - self.left)))
        for i, label in enumerate(self.categories):
            if i % every == 0:
                half = text_width(label) / 2  # kept inside the drawing at both ends
                x = min(max(self.x(i) + self.band / 2, half), WIDTH - half)
                parts.append(_text(x, self.bottom + FONT + 4, label, anchor="middle", cls="chart-tick"))
        return parts

    @property
    def label_px(self) -> float:
        """The width the longest label needs, and a gap."""
        return max((text_width(label) for label in self.categories), default=0) + 8

    @property
    def height(self) -> float:
        return self.bottom + FONT + 4 + PAD


def column_chart(*, chart_id: str, title: str, desc: str, columns: Sequence[tuple[str, float]]) -> str:
    """Vertical bars, one per (label, value), left to right."""
    frame = _Frame([label for label, _value in columns], max((v for _l, v in columns), default=0))
    body = frame.axes()
    for i, (label, value) in enumerate(columns):
        y = frame.y(value)
        body.append(_rect(frame.x(i) + frame.band * 0.15, y, frame.band * 0.7, frame.bottom - y, 0,
                          f"{label}: {number(value)}"))  # fmt: skip
    return _svg(chart_id, title, desc, frame.height, body)


def stacked_chart(
    *, chart_id: str, title: str, desc: str, categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]], limit: float | None = None, limit_label: str = "",
) -> str:  # fmt: skip
    """Vertical bars of several series stacked, one bar per category; `limit` draws a dashed line (a capacity)."""
    totals = [sum(values[i] for _name, values in series) for i in range(len(categories))]
    frame = _Frame(categories, max([*totals, limit or 0], default=0))
    body = frame.axes()
    for i, category in enumerate(categories):
        base = 0.0
        for s, (name, values) in enumerate(series):
            if values[i]:
                y0, y1 = frame.y(base), frame.y(base + values[i])
                body.append(_rect(frame.x(i) + frame.band * 0.15, y1, frame.band * 0.7, y0 - y1, s,
                                  f"{category} · {name}: {number(values[i])}"))  # fmt: skip
            base += values[i]
    if limit is not None:
        y = number(round(frame.y(limit), 1))
        body.append(f'<line x1="{number(frame.left)}" x2="{WIDTH - PAD}" y1="{y}" y2="{y}" class="chart-limit" '
                    f'stroke="#b03a48" stroke-dasharray="4 3"><title>{escape(limit_label)}</title></line>')  # fmt: skip
    return _svg(chart_id, title, desc, frame.height + _legend_height(series), body + _legend(series, frame.height))


def _legend_height(series: Sequence[tuple[str, Sequence[float]]]) -> float:
    return ROW if series else 0


def _legend(series: Sequence[tuple[str, Sequence[float]]], y: float) -> list[str]:
    parts, x = [], 40.0
    for s, (name, _values) in enumerate(series):
        parts.append(_rect(x, y + 4, 12, 12, s, name))
        parts.append(_text(x + 16, y + 14, name))
        x += 28 + text_width(name)
    return parts


def line_chart(*, chart_id: str, title: str, desc: str, points: Sequence[tuple[str, float]]) -> str:
    """A line through (label, value) points, left to right, each point marked."""
    frame = _Frame([label for label, _value in points], max((v for _l, v in points), default=0))
    body = frame.axes()
    coords = [(frame.x(i) + frame.band / 2, frame.y(value)) for i, (_label, value) in enumerate(points)]
    if coords:
        path = " ".join(f"{number(round(x, 1))},{number(round(y, 1))}" for x, y in coords)
        body.append(f'<polyline points="{path}" class="chart-line" fill="none" stroke="{PALETTE[0]}" '
                    f'stroke-width="2"/>')  # fmt: skip
    for (x, y), (label, value) in zip(coords, points, strict=True):
        body.append(f'<circle cx="{number(round(x, 1))}" cy="{number(round(y, 1))}" r="3.5" class="chart-point" '
                    f'fill="{PALETTE[0]}"><title>{escape(label)}: {number(value)}</title></circle>')  # fmt: skip
    return _svg(chart_id, title, desc, frame.height, body)
