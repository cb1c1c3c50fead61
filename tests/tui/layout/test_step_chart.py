"""Step charts drawn with textual-plotext (issue 13 / 17): every series, its legend and axes,
logarithmic axes with decade ticks, and points a log axis cannot show left out."""

from __future__ import annotations

from rich.text import Text
from textual_plotext.plot import Plot

from tui.widgets.step_chart import (
    ChartData,
    ChartLine,
    decade_ticks,
    draw_chart,
    nothing_to_draw,
)


def chart_text(data: ChartData, width: int, height: int) -> list[str]:
    plot = Plot()
    draw_chart(plot, data)
    plot.plotsize(width, height)
    plot.theme("clear")
    return Text.from_ansi(plot.build()).plain.splitlines()


def braille(text: str) -> bool:
    return any("\u2801" <= ch <= "\u28ff" for ch in text)


def test_every_series_is_drawn_inside_its_box_with_title_legend_and_axes() -> None:
    data = ChartData(
        title="Ripple",
        lines=[
            ChartLine("Out", [0, 1, 2, 3, 4], [0.0, 1.0, 0.0, -1.0, 0.0]),
            ChartLine("Limit", [0, 4], [1.0, 1.0]),
        ],
        x_label="Time (us)",
        y_label="mV",
    )
    lines = chart_text(data, 40, 14)
    assert len(lines) == 14 and all(len(line) <= 40 for line in lines)
    assert lines[0].strip() == "Ripple"
    plot = "\n".join(lines[1:-3])
    assert braille(plot)
    assert "Out" in plot and "Limit" in plot  # the legend
    assert lines[2].lstrip().startswith("1")  # the top of the y axis
    assert any(line.lstrip().startswith("-1") for line in lines)  # its bottom
    assert "Time (us)" in lines[-1] and "mV" in lines[-1]


def test_a_log_x_axis_has_decade_ticks_and_skips_points_it_cannot_draw() -> None:
    data = ChartData(
        title="Gain",
        lines=[ChartLine("Gain", [0.0, 10.0, 100.0, 1000.0, 10000.0], [1, 0.5, -3.0, -20, -40])],
        x_label="Frequency (Hz)",
        log_x=True,
    )
    lines = chart_text(data, 60, 12)
    ticks = lines[-2]
    assert ticks.split() == ["10", "100", "1k", "10k"]  # decades; x = 0 is left out
    assert braille("\n".join(lines))


def test_a_log_y_axis_is_logarithmic() -> None:
    data = ChartData(
        title="Leakage",
        lines=[ChartLine("I", [1, 2, 3, 4], [1e-9, 1e-8, 1e-7, 1e-6])],
        log_y=True,
    )
    lines = chart_text(data, 40, 12)
    labels = [line.split("┤")[0].strip() for line in lines if "┤" in line]
    assert labels == ["1e-06", "1e-07", "1e-08", "1e-09"]  # decades, evenly spaced
    # Straight on a log axis: the trace runs from the bottom-left to the top-right corner.
    top, bottom = lines[2], lines[-3]
    assert braille(top.rstrip("│ ")[-3:]) and braille(bottom.split("┤")[1][:3])


def test_a_chart_without_plottable_points_says_so() -> None:
    data = ChartData(title="Nothing", lines=[ChartLine("a", [0.0, -1.0], [1.0, 2.0])], log_x=True)
    assert not draw_chart(Plot(), data)
    assert nothing_to_draw(data).plain == "Nothing\n(no plottable points in this chart)"


def test_decade_ticks() -> None:
    assert decade_ticks(3.0, 25000.0) == (
        [10.0, 100.0, 1000.0, 10000.0],
        ["10", "100", "1k", "10k"],
    )
    assert decade_ticks(2.0, 9.0) == ([], [])  # less than two decades: plotext's own ticks
    assert decade_ticks(-1.0, 10.0) == ([], [])
