"""Snapshots of the Yield screen, its drill-down views and the dashboard about production,
at 80x24 and 120x40 (issue 13, acceptance 3)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable

from tui import navigation
from tui.navigation import discover_screens
from tui.widgets.analytics_views import FailingReportsScreen, MeasurementScreen

from .conftest import AppFactory, loaded, open_dashboard, open_yield, wait_for

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _only_dashboard_and_yield(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other engineers' new screens must not change these pictures."""
    discover_screens()
    registry = navigation._REGISTRY
    monkeypatch.setattr(
        navigation, "_REGISTRY", {name: registry[name] for name in ("dashboard", "yield")}
    )


@pytest.mark.start_screen("yield")
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_yield_screen(make_app: AppFactory, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run(pilot: Any) -> None:
        await open_yield(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_dashboard_production(
    make_app: AppFactory, snap_compare: Any, size: tuple[int, int]
) -> None:
    async def run(pilot: Any) -> None:
        await open_dashboard(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.start_screen("yield")
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_failing_reports(make_app: AppFactory, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run(pilot: Any) -> None:
        screen = await open_yield(pilot)
        screen.query_one("#yield-steps", DataTable).focus()
        await pilot.press("enter")
        app = pilot.app
        await wait_for(pilot, lambda: loaded(app, FailingReportsScreen))

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.start_screen("yield")
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_measurement_histogram(
    make_app: AppFactory, snap_compare: Any, size: tuple[int, int]
) -> None:
    async def run(pilot: Any) -> None:
        screen = await open_yield(pilot)
        assert screen.data is not None
        numeric = next(i for i, s in enumerate(screen.data.steps) if s.step_type == "ET_NLT")
        steps = screen.query_one("#yield-steps", DataTable)
        steps.focus()
        steps.move_cursor(row=numeric)
        await pilot.press("m")
        app = pilot.app
        await wait_for(pilot, lambda: loaded(app, MeasurementScreen))

    assert snap_compare(make_app(), terminal_size=size, run_before=run)
