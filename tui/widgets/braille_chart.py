"""A line chart drawn with braille dots, so a test step's curve shows in any terminal.

Each character cell holds 2x4 dots, which gives a usable resolution even at 80x24. Series are
joined point to point; a logarithmic axis (the WSJF chart types ``LineLogX``, ``LineLogY`` and
``LineLogXY``) is drawn on log10 of the values, skipping points that are not positive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

__all__ = ["BrailleChart", "ChartData", "ChartLine", "render_chart"]

# Dot (x, y) inside a cell -> its bit in the braille pattern (U+2800 + bits).
_DOT_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
# Distinct in 256 colours and on light or dark backgrounds.
SERIES_STYLES = ("bold cyan", "bold yellow", "bold magenta", "bold green", "bold blue", "bold red")
_Y_LABEL_WIDTH = 9


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


def _number(value: float, span: float = 0.0) -> str:
    """An axis label: rounding noise around zero shows as 0, large and tiny numbers short."""
    if value == 0 or abs(value) < abs(span) * 1e-4:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e6 or magnitude < 1e-3:
        return f"{value:.3g}"
    if magnitude >= 1e4:
        return f"{value:.0f}"
    return f"{value:.4g}"


def _transform(values: Sequence[float], log: bool) -> list[float | None]:
    if not log:
        return [v if math.isfinite(v) else None for v in values]
    return [math.log10(v) if v > 0 and math.isfinite(v) else None for v in values]


def _span(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low == high:  # a flat line still needs a range to be drawn in
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    return low, high


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.bits = [[0] * width for _ in range(height)]
        self.styles: list[list[str | None]] = [[None] * width for _ in range(height)]

    def dot(self, x: int, y: int, style: str) -> None:
        """Set dot (x, y); y counts from the top, both in dot units."""
        if 0 <= x < self.width * 2 and 0 <= y < self.height * 4:
            row, col = y // 4, x // 2
            self.bits[row][col] |= _DOT_BITS[x % 2][y % 4]
            self.styles[row][col] = style

    def line(self, x0: int, y0: int, x1: int, y1: int, style: str) -> None:
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(steps + 1):
            self.dot(round(x0 + (x1 - x0) * i / steps), round(y0 + (y1 - y0) * i / steps), style)

    def row_text(self, row: int) -> Text:
        text = Text()
        for col in range(self.width):
            bits = self.bits[row][col]
            text.append(chr(0x2800 + bits) if bits else " ", style=self.styles[row][col] or "")
        return text


def render_chart(data: ChartData, width: int, height: int) -> Text:
    """The chart as ``height`` lines of ``width`` cells: title, plot with axes, legend."""
    plot_width = max(width - _Y_LABEL_WIDTH - 1, 4)
    plot_height = max(height - 4, 2)  # title, x axis line, x labels, legend
    points: list[tuple[str, list[tuple[float, float]]]] = []
    for index, line in enumerate(data.lines):
        xs = _transform(line.xs, data.log_x)
        ys = _transform(line.ys, data.log_y)
        pairs = [(x, y) for x, y in zip(xs, ys, strict=False) if x is not None and y is not None]
        points.append((SERIES_STYLES[index % len(SERIES_STYLES)], pairs))
    all_x = [x for _, pairs in points for x, _ in pairs]
    all_y = [y for _, pairs in points for _, y in pairs]
    out = Text(data.title[:width], style="bold")
    out.append("\n")
    if not all_x:
        out.append("(no plottable points in this chart)\n", style="italic")
        return out
    x_low, x_high = _span(all_x)
    y_low, y_high = _span(all_y)
    canvas = _Canvas(plot_width, plot_height)
    dots_x, dots_y = plot_width * 2 - 1, plot_height * 4 - 1
    for style, pairs in points:
        previous: tuple[int, int] | None = None
        for x, y in pairs:
            dx = round((x - x_low) / (x_high - x_low) * dots_x)
            dy = dots_y - round((y - y_low) / (y_high - y_low) * dots_y)
            if previous is None:
                canvas.dot(dx, dy, style)
            else:
                canvas.line(*previous, dx, dy, style)
            previous = (dx, dy)

    def shown(value: float, log: bool) -> float:
        return 10**value if log else value

    y_span = shown(y_high, data.log_y) - shown(y_low, data.log_y)
    top = _number(shown(y_high, data.log_y), y_span)
    bottom = _number(shown(y_low, data.log_y), y_span)
    for row in range(plot_height):
        label = top if row == 0 else bottom if row == plot_height - 1 else ""
        if row == plot_height // 2 and data.y_label:
            label = data.y_label
        out.append(label[:_Y_LABEL_WIDTH].rjust(_Y_LABEL_WIDTH), style="dim")
        out.append("┤" if label else "│", style="dim")
        out.append_text(canvas.row_text(row))
        out.append("\n")
    out.append(" " * _Y_LABEL_WIDTH + "└" + "─" * plot_width + "\n", style="dim")
    x_span = shown(x_high, data.log_x) - shown(x_low, data.log_x)
    left = _number(shown(x_low, data.log_x), x_span)
    right = _number(shown(x_high, data.log_x), x_span)
    middle = f" {data.x_label}{' (log)' if data.log_x else ''} "
    gap = plot_width - len(left) - len(right)
    axis = left + middle.center(max(gap, 0))[: max(gap, 0)] + right
    out.append(" " * (_Y_LABEL_WIDTH + 1) + axis[:plot_width] + "\n", style="dim")
    for index, line in enumerate(data.lines):
        out.append("━━ ", style=SERIES_STYLES[index % len(SERIES_STYLES)])
        out.append(f"{line.name}  ")
    return out


class BrailleChart(Widget):
    """Draws a :class:`ChartData` to fit the widget's size; give it a height in CSS."""

    DEFAULT_CSS = """
    BrailleChart {
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

    def show(self, data: ChartData | None) -> None:
        self.data = data
        self.refresh()

    def render(self) -> Text:
        if self.data is None:
            return Text("")
        return render_chart(self.data, self.size.width, self.size.height)
