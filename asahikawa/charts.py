"""Server-rendered SVG charts (no script, no inline style), for every app: this module draws them,
one stylesheet colours them (static/css/charts.css) and one template shows them with their
data-table alternative (templates/includes/chart.html).

    bar_chart(days, values, name=...)       vertical bars over days (e.g. daily steps)
    line_chart(days, {name: values, ...})   lines over days (e.g. weight; blood pressure as two lines)
    labelled_bars(items, label=..., value=...)             one horizontal bar per item (budget lines)
    labelled_bars(items, label=..., values=..., series=[...])  the same, each bar stacked

In a template:

    {% include "includes/chart.html" with chart=steps_chart id="chart-steps" caption=title %}

draws the chart and, below it, a table of the same values (in a disclosure). A page that already
shows the values in a table of its own, right below or linked from the chart, passes
`table_on_page=True` and the chart says so instead. Other parameters: `empty` (the text shown
when there is nothing to draw). Items drawn from invented figures (`sample`) are marked ＊ and the
chart says what ＊ means. The series take the colours series-1, series-2, ... in their order; the
second is dashed on line charts, so that the lines are told apart without colour.
"""
from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28
BAR_SCALE = 1000  # a labelled bar's width is in thousandths of the longest bar


@dataclass
class BarRow:
    """One labelled horizontal bar: segments are (css class, x, width, hover text) in thousandths."""

    label: str
    text: str  # the value as written beside the bar
    segments: list
    sample: bool = False
    item: object = None  # what it was drawn from


@dataclass
class Chart:
    kind: str  # "bars", "lines" or "labelled"
    max_value: float
    min_value: float
    ticks: list = field(default_factory=list)  # (y, label)
    bars: list = field(default_factory=list)  # (x, y, width, height)
    lines: list = field(default_factory=list)  # (css class, "x,y x,y ...", [(x, y)...])
    x_labels: list = field(default_factory=list)  # (x, label)
    rows: list = field(default_factory=list)  # BarRow, for "labelled"
    series: list = field(default_factory=list)  # (css class, name), in order: the legend
    table_columns: list = field(default_factory=list)  # the data table: headings after the first
    table_rows: list = field(default_factory=list)  # (row heading, [cell text, ...])
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    empty: bool = False

    @property
    def has_sample(self) -> bool:
        return any(row.sample for row in self.rows)


def series_class(index: int) -> str:
    return f"series-{index + 1}"


def _number(value) -> str:
    return f"{value:,}"


def _scale(value, low, high):
    span = (high - low) or 1
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (float(value) - low) / span)


def _x_labels(days, x_of, x_format="%m/%d"):
    if not days:
        return []
    step = max(1, len(days) // 6)
    return [(x_of(i), day.strftime(x_format)) for i, day in enumerate(days) if i % step == 0]


def _ticks(low, high, fmt):
    return [(_scale(v, low, high), fmt(v)) for v in (low, (low + high) / 2, high)]


def _day_table(days, columns: dict, table_format="%Y-%m-%d") -> list:
    """Rows of the data table: each day that has a value, with every series' value on it."""
    rows = []
    for i, day in enumerate(days):
        values = [values[i] for values in columns.values()]
        if any(value is not None for value in values):
            rows.append((day.strftime(table_format), ["" if value is None else _number(value) for value in values]))
    return rows


def bar_chart(days, values, *, floor=0, name: str = "", x_format="%m/%d", table_format="%Y-%m-%d") -> Chart:
    """Vertical bars, one a day (None: no bar that day). name: the series' name (legend, table).
    days may be datetimes (e.g. hours): x_format and table_format (strftime) say how they are written."""
    present = [v for v in values if v is not None]
    if not present:
        return Chart("bars", 0, 0, empty=True)
    high = max(max(present), 1)
    plot = WIDTH - LEFT - RIGHT
    slot = plot / len(days)
    bars = []
    for i, value in enumerate(values):
        if value is None:
            continue
        y = _scale(value, floor, high)
        bars.append((LEFT + i * slot + slot * 0.1, y, max(slot * 0.8, 1), HEIGHT - BOTTOM - y))
    return Chart(
        "bars", high, floor, ticks=_ticks(floor, high, lambda v: f"{v:,.0f}"), bars=bars,
        x_labels=_x_labels(days, lambda i: LEFT + i * slot + slot / 2, x_format),
        series=[(series_class(0), name)], table_columns=[name],
        table_rows=_day_table(days, {name: values}, table_format),
    )


def line_chart(days, series: dict) -> Chart:
    """series: name -> list of values, one a day (None = no value that day). Each series is one line,
    coloured by its position (series-1, series-2, ...)."""
    present = [float(v) for values in series.values() for v in values if v is not None]
    if not present:
        return Chart("lines", 0, 0, empty=True)
    low, high = min(present), max(present)
    if high - low < 2:
        low, high = low - 1, high + 1
    plot = WIDTH - LEFT - RIGHT
    step = plot / max(len(days) - 1, 1)
    lines = []
    for index, values in enumerate(series.values()):
        points = [(LEFT + i * step, _scale(v, low, high)) for i, v in enumerate(values) if v is not None]
        lines.append((series_class(index), " ".join(f"{x:.1f},{y:.1f}" for x, y in points), points))
    return Chart(
        "lines", high, low, ticks=_ticks(low, high, lambda v: f"{v:,.1f}"), lines=lines,
        x_labels=_x_labels(days, lambda i: LEFT + i * step),
        series=[(series_class(index), str(name)) for index, name in enumerate(series)],
        table_columns=[str(name) for name in series], table_rows=_day_table(days, series),
    )


def labelled_bars(items, *, label, value=None, values=None, series=(), text=_number, title=None,
                  sample=None) -> Chart:
    """One horizontal bar per item, the longest across the whole width.

    label(item): the bar's label; value(item): its length, or values(item): the lengths of its
    stacked segments, named by `series`. text(total): the value written beside the bar;
    title(value): the exact value on hover and in the data table (default: text);
    sample(item): whether the item is an invented figure (marked ＊).
    """
    items = list(items)
    title = title or text
    if values is None:
        def values(item):
            return [value(item)]
    lengths = [[int(v or 0) for v in values(item)] for item in items]
    if not items:
        return Chart("labelled", 0, 0, empty=True)
    largest = max(sum(parts) for parts in lengths) or 1
    names = [str(name) for name in series]
    rows, table = [], []
    for item, parts in zip(items, lengths):
        name = str(label(item))
        segments, x = [], 0
        for index, part in enumerate(parts):
            width = round(part * BAR_SCALE / largest)
            hover = f"{names[index] if names else name} {title(part)}"
            segments.append((series_class(index), x, width, hover))
            x += width
        rows.append(BarRow(name, text(sum(parts)), segments, bool(sample and sample(item)), item))
        table.append((name, [title(part) for part in parts]))
    return Chart(
        "labelled", largest, 0, rows=rows,
        series=[(series_class(index), name) for index, name in enumerate(names)],
        table_columns=names, table_rows=table,
    )
