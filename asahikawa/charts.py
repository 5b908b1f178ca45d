"""Server-rendered SVG charts (no script): each is drawn from the same rows as its data table."""
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28


@dataclass
class Chart:
    kind: str  # "bars" or "lines"
    max_value: float
    min_value: float
    ticks: list = field(default_factory=list)  # (y, label)
    bars: list = field(default_factory=list)  # (x, y, width, height)
    lines: list = field(default_factory=list)  # (css class, "x,y x,y ...", [(x, y)...])
    x_labels: list = field(default_factory=list)  # (x, label)
    width: int = WIDTH
    height: int = HEIGHT
    empty: bool = False


def _scale(value, low, high):
    span = (high - low) or 1
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (float(value) - low) / span)


def _x_labels(days, x_of):
    if not days:
        return []
    step = max(1, len(days) // 6)
    return [(x_of(i), f"{day:%m/%d}") for i, day in enumerate(days) if i % step == 0]


def _ticks(low, high, fmt):
    return [(_scale(v, low, high), fmt(v)) for v in (low, (low + high) / 2, high)]


def bar_chart(days, values, *, floor=0) -> Chart:
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
        x_labels=_x_labels(days, lambda i: LEFT + i * slot + slot / 2),
    )


def line_chart(days, series: dict) -> Chart:
    """series: css class -> list of values (None = no value that day)."""
    present = [float(v) for values in series.values() for v in values if v is not None]
    if not present:
        return Chart("lines", 0, 0, empty=True)
    low, high = min(present), max(present)
    if high - low < 2:
        low, high = low - 1, high + 1
    plot = WIDTH - LEFT - RIGHT
    step = plot / max(len(days) - 1, 1)
    lines = []
    for css, values in series.items():
        points = [(LEFT + i * step, _scale(v, low, high)) for i, v in enumerate(values) if v is not None]
        lines.append((css, " ".join(f"{x:.1f},{y:.1f}" for x, y in points), points))
    return Chart(
        "lines", high, low, ticks=_ticks(low, high, lambda v: f"{v:,.1f}"), lines=lines,
        x_labels=_x_labels(days, lambda i: LEFT + i * step),
    )
