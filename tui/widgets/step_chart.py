"""A test step's chart (WSJF ``chart``), drawn with textual-plotext like the Yield screen's.

Each series is a braille line with its name in the legend; the WSJF chart types ``LineLogX``,
``LineLogY`` and ``LineLogXY`` get logarithmic axes with decade ticks (10, 100, 1k...), and
points a log axis cannot show (zero, negative, not finite) are left out, as the report's own
viewer does. A chart with nothing to draw says so instead of showing empty axes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

__all__ = [
    "SERIES_COLORS",
    "ChartData",
    "ChartLine",
    "StepChart",
    "decade_ticks",
    "draw_chart",
    "nothing_to_draw",
]

# Distinct in 256 colours and on light or dark backgrounds.
SERIES_COLORS = ("cyan", "yellow", "magenta", "green", "blue", "red")


@dataclass(frozen=True)
class ChartLine:
    name: str
    xs: Sequence[float]
    ys: Sequence[float]


@dataclass(frozen=True)
class ChartData:
    """What to draw; the viewer fills it from a WSJF ``chart``."""

    title: str
    lines: Sequence[ChartLine]
    x_label: str = ""
    y_label: str = ""
    log_x: bool = False
    log_y: bool = False


def _drawable(value: float, log: bool) -> bool:
    return math.isfinite(value) and (value > 0 or not log)


def _points(data: ChartData, line: ChartLine) -> tuple[list[float], list[float]]:
    pairs = [
        (float(x), float(y))
        for x, y in zip(line.xs, line.ys, strict=False)
        if _drawable(float(x), data.log_x) and _drawable(float(y), data.log_y)
    ]
    return [x for x, _ in pairs], [y for _, y in pairs]


def _short(value: float) -> str:
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:g}{suffix}"
    return f"{value:g}"


def decade_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Powers of ten from ``low`` to ``high`` (both positive), labelled ``10``, ``1k``...;
    empty when the range holds fewer than two (plotext's own ticks are better then)."""
    if low <= 0 or high <= 0:
        return [], []
    first, last = math.ceil(math.log10(low) - 1e-9), math.floor(math.log10(high) + 1e-9)
    ticks = [10.0**power for power in range(first, last + 1)]
    if len(ticks) < 2:
        return [], []
    return ticks, [_short(tick) for tick in ticks]


def draw_chart(plt: Plot, data: ChartData) -> bool:
    """Set up ``plt`` (a textual-plotext figure) to draw ``data``; the widget renders it.
    False when there is nothing to draw (no series has a point the axes can show)."""
    plt.clear_data()
    plt.clear_figure()
    drawn: list[tuple[list[float], list[float]]] = []
    for index, line in enumerate(data.lines):
        xs, ys = _points(data, line)
        if not xs:
            continue
        drawn.append((xs, ys))
        plt.plot(
            xs,
            ys,
            label=line.name,
            color=SERIES_COLORS[index % len(SERIES_COLORS)],
            marker="braille",
        )
    if not drawn:
        return False
    plt.title(data.title)
    if data.x_label:
        plt.xlabel(data.x_label)
    if data.y_label:
        plt.ylabel(data.y_label)
    for axis, log in (("x", data.log_x), ("y", data.log_y)):
        if not log:
            continue
        values = [v for xs, ys in drawn for v in (xs if axis == "x" else ys)]
        if axis == "x":
            plt.xscale("log")
        else:
            plt.yscale("log")
        ticks, labels = decade_ticks(min(values), max(values))
        if ticks:
            (plt.xticks if axis == "x" else plt.yticks)(ticks, labels)
    return True


def nothing_to_draw(data: ChartData) -> Text:
    """What the widget shows for a chart without a point to draw (not empty axes)."""
    text = Text(data.title, style="bold")
    text.append("\n(no plottable points in this chart)", style="italic")
    return text


class StepChart(PlotextPlot):
    """Draws a :class:`ChartData`; give it a height in CSS."""

    DEFAULT_CSS = """
    StepChart {
        height: 12;
    }
    """

    def __init__(
        self,
        data: ChartData | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.data = data
        self._drawn = data is not None and draw_chart(self.plt, data)

    def show(self, data: ChartData | None) -> None:
        self.data = data
        if data is None:
            self.plt.clear_data()
            self.plt.clear_figure()
            self._drawn = False
        else:
            self._drawn = draw_chart(self.plt, data)
        self.refresh()

    def render(self) -> RenderResult:
        if self.data is not None and not self._drawn:
            return nothing_to_draw(self.data)
        return super().render()
