"""The dashboard's assets tile (issue 14): assets in alarm and due this week, from their
computed status; a server without the asset API leaves the rest of the dashboard working."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from pywats.domains.asset import AsyncAssetService
from pywats.emulator.domains.asset import records
from pywats.errors import WATSNotFoundError
from tests.support.tui import showing
from tests.tui.conftest import Until
from tui.app import WATSApp
from tui.screens.dashboard import DashboardScreen


@pytest.fixture(autouse=True)
def pinned_asset_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "now_for", lambda anchor: datetime(2026, 1, 1, 8, tzinfo=UTC))


async def _tile(app: WATSApp, pilot: Any, until: Until) -> str:
    await until(pilot, lambda: showing(app, DashboardScreen))
    dash = app.screen
    assert isinstance(dash, DashboardScreen)
    table = dash.query_one("#dash-processes", DataTable)
    await until(pilot, lambda: table.row_count > 0 and not dash.task_running("load"))
    await pilot.pause()
    return str(dash.query_one("#dash-assets", Static).render())


async def test_tile_counts_alarm_and_due_this_week(
    shell_app: Callable[..., WATSApp], until: Until, emulator: Any
) -> None:
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        text = await _tile(app, pilot, until)
        assert text == (
            "Assets: 1 in alarm (PSU-E3631-05) · 3 due this week "
            "(PSU-E3631-05, DMM-34461-03, PSU-E3631-03)"
        )
        # Recorded elsewhere: the next reload shows it.
        emulator.store.execute(
            "UPDATE asset SET last_calibration = '2026-01-01T07:00:00.000Z', running_since = "
            "'2026-01-01T07:00:00.000Z' WHERE serial_number = 'PSU-E3631-05'"
        )
        await pilot.press("r")
        text = await _tile(app, pilot, until)
        assert text == "Assets: 0 in alarm · 2 due this week (DMM-34461-03, PSU-E3631-03)"


async def test_tile_without_an_asset_api(
    shell_app: Callable[..., WATSApp], until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def missing(self: AsyncAssetService, *args: object, **kwargs: object) -> None:
        raise WATSNotFoundError(
            status_code=404, method="GET", path="/api/Asset", server_message="No HTTP resource"
        )

    monkeypatch.setattr(AsyncAssetService, "get_overview", missing)
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        text = await _tile(app, pilot, until)
        assert text == "Assets: not available on this server"
        assert app.screen.query_one("#dash-processes", DataTable).row_count > 0
