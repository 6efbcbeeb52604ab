"""Server-side SVG charts: plain geometry computed here, drawn by a template (no JavaScript).

A chart is a list of columns (one per day or week), each with stacked segments; the template
turns every segment into a ``<rect>`` with a ``<title>`` and adds the axis labels computed here.
"""

from dataclasses import dataclass, field

WIDTH = 960
HEIGHT = 260
LEFT = 44
BOTTOM = 30
TOP = 12
GAP = 0.2  # share of a column's slot left empty
PALETTE = ["#4f3fd0", "#1c7a4a", "#b7791f", "#b42318", "#0f6f8f", "#7c3aed", "#6b7280"]
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    segments: list[Segment] = field(default_factory=list)
    x_labels: list[Label] = field(default_factory=list)
    y_labels: list[Label] = field(default_factory=list)
    gridlines: list[float] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    left: int = LEFT


def _nice_max(value: int) -> int:
    """A round upper bound for the axis: 1, 2, 5, 10, 20, 50 ..."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def stacked_bars(title: str, labels: list[str], series: dict[str, list[int]]) -> Chart:
    """Columns of stacked values: ``series`` maps a name to one value per label."""
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - TOP - BOTTOM
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = _nice_max(max(totals, default=0) or 1)
    slot = plot_w / max(len(labels), 1)
    bar_w = slot * (1 - GAP)
    colors = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    segments = []
    for i, label in enumerate(labels):
        x = LEFT + i * slot + (slot - bar_w) / 2
        y = TOP + plot_h
        for name, values in series.items():
            if not values[i]:
                continue
            height = plot_h * values[i] / top
            y -= height
            segments.append(
                Segment(
                    round(x, 1),
                    round(y, 1),
                    round(bar_w, 1),
                    round(height, 1),
                    colors[name],
                    f"{label}: {values[i]} {name.lower()}",
                )
            )
    every = max(1, -(-len(labels) // MAX_X_LABELS))
    x_labels = [
        Label(round(LEFT + i * slot + slot / 2, 1), HEIGHT - 8, label[5:])
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    ticks = [0, top // 2, top] if top % 2 == 0 else [0, top]
    y_labels = [Label(LEFT - 6, round(TOP + plot_h * (1 - t / top), 1) + 4, str(t)) for t in ticks]
    return Chart(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        segments=segments,
        x_labels=x_labels,
        y_labels=y_labels,
        gridlines=[round(TOP + plot_h * (1 - t / top), 1) for t in ticks],
        legend=list(colors.items()) if len(series) > 1 else [],
    )


def from_table(title: str, table, *, skip_last: bool = False) -> Chart:
    """A chart of a dashboard table whose first column labels the rows and the others count."""
    names = table.columns[1:-1] if skip_last else table.columns[1:]
    labels = [row[0] for row in table.rows]
    series = {name: [row[1 + i] for row in table.rows] for i, name in enumerate(names)}
    return stacked_bars(title, labels, series)
