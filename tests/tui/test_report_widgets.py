"""The pieces of the report viewer that need no app: limits wording and filters (the chart's
drawing: tests/tui/layout/test_step_chart.py)."""

from __future__ import annotations

import pytest

from pywats.domains.report import NumericMeasurement, StringMeasurement
from tui.screens.reports import FilterError, ReportFilters
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
