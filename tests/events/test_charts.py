"""SVG charts drawn from plain numbers (events.charts imports no Django)."""

import ast
import re
from pathlib import Path
from xml.etree import ElementTree

from events import charts

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _bars(root: ElementTree.Element, series: int = 0) -> list[ElementTree.Element]:
    return [r for r in root.iter(f"{{{NS['svg']}}}rect") if f"chart-series-{series}" in r.get("class", "")]


def test_charts_import_no_django():
    tree = ast.parse(Path(charts.__file__).read_text())
    imported = {n.names[0].name for n in ast.walk(tree) if isinstance(n, ast.Import)}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not [name for name in imported if name and name.startswith("django")]


def test_nice_ticks_steps_of_one_two_five():
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(3) == [0, 1, 2, 3]
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(40) == [0, 10, 20, 30, 40]
    assert charts.nice_ticks(0.6) == [0, 0.2, 0.4, 0.6]


def test_bar_chart_is_named_described_and_escaped():
    svg = charts.bar_chart(chart_id="c1", title="Requests <by> status", desc="7 & counting",
                           bars=[("Pending", 1), ("Accepted", 3)])  # fmt: skip
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find("svg:title", NS).text == "Requests <by> status"
    assert root.find("svg:desc", NS).text == "7 & counting"
    assert "<by>" not in svg


def test_bar_chart_lengths_are_proportional():
    root = _parse(charts.bar_chart(chart_id="c", title="t", desc="d", bars=[("a", 1), ("b", 4), ("c", 0)]))
    widths = [float(r.get("width")) for r in _bars(root)]
    assert widths[2] == 0
    assert abs(widths[1] - 4 * widths[0]) < 0.5
    tips = [r.find("svg:title", NS).text for r in _bars(root)]
    assert tips == ["a: 1", "b: 4", "c: 0"]
    texts = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert texts == ["a", "1", "b", "4", "c", "0"]


def test_column_chart_heights_and_axis():
    root = _parse(charts.column_chart(chart_id="c", title="t", desc="d", columns=[("0", 2), ("1", 8), ("2", 4)]))
    heights = [float(r.get("height")) for r in _bars(root)]
    assert heights == [charts.PLOT_HEIGHT * 2 / 8, charts.PLOT_HEIGHT, charts.PLOT_HEIGHT / 2]
    ticks = [t.text for t in root.iter(f"{{{NS['svg']}}}text") if t.get("class") == "chart-tick"]
    assert ticks[:5] == ["0", "2", "4", "6", "8"]


def test_stacked_chart_stacks_series_and_draws_the_limit():
    series = [("At a table", [2, 0]), ("Without", [1, 3])]
    svg = charts.stacked_chart(
        chart_id="c", title="t", desc="d", categories=["9:00", "9:30"], series=series, limit=4, limit_label="Tables"
    )
    root = _parse(svg)
    first = [r for r in _bars(root, 0) if r.find("svg:title", NS).text.startswith("9:00")][0]
    second = [r for r in _bars(root, 1) if r.find("svg:title", NS).text.startswith("9:00")][0]
    # The second series sits on top of the first: its bottom is the first's top.
    assert float(second.get("y")) + float(second.get("height")) == float(first.get("y"))
    assert first.find("svg:title", NS).text == "9:00 · At a table: 2"
    limit = root.find("svg:line[@class='chart-limit']", NS)
    assert limit.find("svg:title", NS).text == "Tables"
    assert "Without" in [t.text for t in root.iter(f"{{{NS['svg']}}}text")]  # the legend


def test_line_chart_points_rise_with_values():
    root = _parse(charts.line_chart(chart_id="c", title="t", desc="d", points=[("10/1", 1), ("10/2", 5), ("10/5", 6)]))
    ys = [float(c.get("cy")) for c in root.iter(f"{{{NS['svg']}}}circle")]
    assert ys[0] > ys[1] > ys[2]  # higher values are drawn higher (smaller y)
    assert len(re.findall(r"\d+(?:\.\d+)?,\d+(?:\.\d+)?", root.find("svg:polyline", NS).get("points"))) == 3


def test_charts_of_nothing_still_parse():
    for svg in (
        charts.bar_chart(chart_id="a", title="t", desc="d", bars=[]),
        charts.column_chart(chart_id="b", title="t", desc="d", columns=[]),
        charts.line_chart(chart_id="c", title="t", desc="d", points=[]),
        charts.stacked_chart(chart_id="d", title="t", desc="d", categories=[], series=[]),
    ):
        assert _parse(svg).find("svg:title", NS).text == "t"


def test_many_labels_are_thinned_so_they_do_not_overlap():
    columns = [(f"10/{d} 09:{m:02d}", 1) for d in range(6, 9) for m in range(0, 60, 5)]
    root = _parse(charts.column_chart(chart_id="c", title="t", desc="d", columns=columns))
    labels = [t for t in root.iter(f"{{{NS['svg']}}}text") if t.get("y") and "10/" in (t.text or "")]
    xs = [float(t.get("x")) for t in labels]
    assert 1 < len(labels) < len(columns)
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= charts.text_width(columns[0][0])
