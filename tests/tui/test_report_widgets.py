"""The pieces of the report viewer that need no app: limits wording, filters, chart drawing."""

from __future__ import annotations

import pytest

from pywats.domains.report import NumericMeasurement, StringMeasurement
from tui.screens.reports import FilterError, ReportFilters
from tui.widgets.braille_chart import ChartData, ChartLine, render_chart
from tui.widgets.step_detail import describe_limits, describe_string_limit


@pytest.mark.parametrize(
    ("op", "low", "high", "expected"),
    [
        ("GELE", 3.135, 3.465, "3.135 ≤ x ≤ 3.465"),
        ("GTLT", 1.0, 2.0, "1 < x < 2"),
        ("LEGT", 1.0, 2.0, "x ≤ 1 or x > 2"),
        ("LT", 85.0, None, "x < 85"),
        ("EQ", 100.0, None, "x = 100"),
        ("LOG", None, None, "logged, no limits"),
        ("gele", 1.0, 2.0, "1 ≤ x ≤ 2"),
    ],
)
def test_numeric_limits_read_as_the_rule(
    op: str, low: float | None, high: float | None, expected: str
) -> None:
    meas = NumericMeasurement(comp_op=op, low_limit=low, high_limit=high, value=1.5)
    assert describe_limits(meas) == expected


def test_string_limits() -> None:
    assert describe_string_limit(StringMeasurement(comp_op="IgnoreCase", limit="ab")) == (
        "= 'ab' (any case)"
    )
    assert describe_string_limit(StringMeasurement(comp_op="LOG")) == "logged, no limit"
    assert describe_string_limit(StringMeasurement(comp_op="NE", limit="x")) == "not 'x'"


def test_filters_parse_days_and_refuse_bad_dates() -> None:
    filters = ReportFilters.parse(" PCB-1001 ", "", "Failed", "", "2026-01-02", "2026-01-03")
    assert filters.part_number == "PCB-1001" and filters.serial_number is None
    assert filters.result == "Failed"
    assert filters.start is not None and filters.end is not None
    assert (filters.end - filters.start).days == 1  # the whole last day is included
    with pytest.raises(FilterError) as bad:
        ReportFilters.parse("", "", "any", "", "2026-13-01", "")
    assert bad.value.field == "from"
    with pytest.raises(FilterError) as reversed_range:
        ReportFilters.parse("", "", "any", "", "2026-02-01", "2026-01-01")
    assert reversed_range.value.field == "to"


def test_chart_draws_every_series_inside_its_box() -> None:
    data = ChartData(
        title="Ripple",
        lines=[
            ChartLine("Out", [0, 1, 2, 3, 4], [0.0, 1.0, 0.0, -1.0, 0.0]),
            ChartLine("Limit", [0, 4], [1.0, 1.0]),
        ],
        x_label="Time (us)",
        y_label="mV",
    )
    text = render_chart(data, 40, 12)
    lines = text.plain.splitlines()
    assert lines[0] == "Ripple"
    assert len(lines) == 12
    assert all(len(line) <= 40 for line in lines)
    plot = "".join(lines[1:9])
    assert any("\u2801" <= ch <= "\u28ff" for ch in plot)  # braille dots were drawn
    assert "Out" in lines[-1] and "Limit" in lines[-1]
    assert lines[1].strip().startswith("1")  # top of the y axis
    assert "-1" in lines[8]  # bottom of the y axis


def test_log_axis_skips_points_it_cannot_draw() -> None:
    data = ChartData(
        title="Gain",
        lines=[ChartLine("Gain", [0.0, 10.0, 100.0, 1000.0], [0.0, -0.1, -3.0, -20.0])],
        log_x=True,
    )
    text = render_chart(data, 50, 10).plain
    assert "10" in text and "1000" in text and "(log)" in text
    empty = render_chart(ChartData(title="Nothing", lines=[ChartLine("a", [], [])]), 30, 8)
    assert "no plottable points" in empty.plain
