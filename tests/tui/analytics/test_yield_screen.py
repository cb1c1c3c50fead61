"""Pilot tests of the Yield screen and the dashboard's production section: what they show is
what the analytics API computes, and the drill-down (step -> reports -> report viewer at the
step) works from both."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, Static

from pywats import AsyncWATS
from pywats.domains.analytics import DateGrouping, WATSFilter
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import showing
from tui.screens.report_viewer import ReportViewerScreen
from tui.screens.units import UnitsScreen
from tui.widgets.analytics_views import (
    SEP,
    FailingReportsScreen,
    MeasurementScreen,
    StepReportViewer,
)
from tui.widgets.step_tree import StepTree

from .conftest import AppFactory, loaded, open_dashboard, open_yield, wait_for


def cells(table: DataTable[Any], column: int = 0) -> list[str]:
    return [str(table.get_row_at(index)[column]) for index in range(table.row_count)]


async def expected_rows(emulator: InProcessEmulator, flt: WATSFilter) -> list[Any]:
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        return await wats.analytics.get_dynamic_yield(flt)


def default_filter(dimensions: str, **extra: Any) -> WATSFilter:
    return WATSFilter(
        date_grouping=DateGrouping.WEEK,
        period_count=13,
        include_current_period=True,
        dimensions=dimensions,
        **extra,
    )


@pytest.mark.start_screen("yield")
async def test_table_shows_what_the_server_computes(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_yield(pilot)
        table = screen.query_one("#yield-table", DataTable)
        want = await expected_rows(emulator, default_filter("unitCount desc;partNumber;fpy;lpy"))
        assert cells(table) == [row.part_number for row in want]
        assert cells(table, 1) == [str(row.unit_count) for row in want]
        assert [c.strip() for c in cells(table, 2)] == [f"{row.fpy:5.1f} %".strip() for row in want]
        summary = str(screen.query_one("#yield-summary", Static).render())
        assert f"{sum(row.unit_count or 0 for row in want)} units" in summary


@pytest.mark.start_screen("yield")
async def test_grouping_and_filters_reload(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_yield(pilot)
        screen.query_one("#yield-dimension", Select).value = "stationName"
        await wait_for(pilot, lambda: screen.data and screen.data.filter.dimension == "stationName")
        table = screen.query_one("#yield-table", DataTable)
        assert str(table.ordered_columns[0].label) == "Station"
        stations = await expected_rows(emulator, default_filter("unitCount desc;stationName"))
        assert cells(table) == [row.station_name for row in stations]

        screen.query_one("#yield-part", Input).focus()
        await pilot.press(*"PCB-1001", "enter")
        await wait_for(pilot, lambda: screen.data and screen.data.filter.part_number == "PCB-1001")
        only = await expected_rows(
            emulator, default_filter("unitCount desc;stationName", part_number="PCB-1001")
        )
        assert cells(table) == [row.station_name for row in only]
        assert screen.data is not None
        assert {step.part_number for step in screen.data.steps} <= {"PCB-1001"}
        assert table.has_focus  # Enter in the field goes back to the table


async def _drill_down_from(pilot: Any, steps: DataTable[Any], step: Any) -> None:
    """Enter on the highlighted step, Enter on its first failing report: the viewer at it."""
    app = pilot.app
    steps.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: loaded(app, FailingReportsScreen), "the failing reports")
    reports_screen = app.screen
    assert isinstance(reports_screen, FailingReportsScreen)
    assert reports_screen.step == step
    assert reports_screen.headers, "the step failed some report"
    wanted = (step.step_path or "").replace(SEP, "/")
    assert all(h.caused_uut_failure_path == wanted for h in reports_screen.headers)
    assert all(h.part_number == step.part_number for h in reports_screen.headers)
    table = reports_screen.query_one("#failing-reports", DataTable)
    assert table.row_count == len(reports_screen.headers)
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: showing(app, StepReportViewer) and app.screen.report is not None,
        "the report viewer",
    )
    viewer = app.screen
    assert isinstance(viewer, ReportViewerScreen)
    assert viewer.report_id == reports_screen.headers[0].uuid
    node = viewer.query_one(StepTree).cursor_node
    assert node is not None and node.data is not None
    assert node.data.name == step.step_name
    await pilot.press("escape")
    await wait_for(pilot, lambda: showing(app, FailingReportsScreen))


@pytest.mark.start_screen("yield")
async def test_drill_down_from_the_yield_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_yield(pilot)
        assert screen.data is not None and screen.data.steps
        steps = screen.query_one("#yield-steps", DataTable)
        await _drill_down_from(pilot, steps, screen.data.steps[0])


async def test_drill_down_from_the_dashboard(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        dash = await open_dashboard(pilot)
        steps = dash.query_one("#dash-steps", DataTable)
        assert steps.row_count == len(dash._production.steps) > 0
        await _drill_down_from(pilot, steps, dash._production.steps[0])


@pytest.mark.start_screen("yield")
async def test_measurement_view_shows_values_limits_and_capability(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_yield(pilot)
        assert screen.data is not None
        numeric = next(i for i, s in enumerate(screen.data.steps) if s.step_type == "ET_NLT")
        steps = screen.query_one("#yield-steps", DataTable)
        steps.focus()
        steps.move_cursor(row=numeric)
        await pilot.press("m")
        await wait_for(pilot, lambda: loaded(app, MeasurementScreen), "the measurements")
        stats = str(app.screen.query_one("#measure-stats", Static).render())
        assert "Cp " in stats and "Cpk " in stats and "limits " in stats
        assert "n " in stats and "No measurements" not in stats


async def test_dashboard_production_section(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        dash = await open_dashboard(pilot)
        worst = dash.query_one("#dash-worst", DataTable)
        async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
            want = await wats.analytics.get_worst_yield(
                WATSFilter(
                    date_grouping=DateGrouping.DAY, period_count=7, include_current_period=True
                )
            )
            failed = await wats.analytics.get_uut_reports(WATSFilter(status="Failed", top_count=8))
        assert cells(worst) == [row.part_number for row in want[:5]]
        assert cells(dash.query_one("#dash-failed", DataTable), 1) == [
            h.serial_number for h in failed
        ]
        line = str(dash.query_one("#dash-production-line", Static).render())
        assert "last 7 days" in line and "units" in line
        # A refresh keeps the numbers on screen (no loading cover over the tables).
        dash.action_reload()
        await pilot.pause()
        assert not worst.loading and worst.row_count == len(want[:5])
        await app.workers.wait_for_complete()


async def test_dashboard_enter_on_a_failed_unit_opens_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        dash = await open_dashboard(pilot)
        first = dash._production.failed[0]
        dash.query_one("#dash-failed", DataTable).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, UnitsScreen), "the unit")
        screen = app.screen
        assert isinstance(screen, UnitsScreen)
        await wait_for(pilot, lambda: screen.view is not None, "the unit view")
        assert screen.view is not None
        assert screen.view.unit.serial_number == first.serial_number
        assert screen.view.unit.part_number == first.part_number
