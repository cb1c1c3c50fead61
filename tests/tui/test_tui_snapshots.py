"""SVG snapshots of the connection screen and the dashboard at 80x24 and 120x40 (acceptance 3).

Data is deterministic: the emulator's fixed seed and anchor, and a pinned dashboard clock.
The navigation bar lists only the dashboard here, so that another engineer's new screen does
not change these pictures; the bar itself is tested in test_tui_shell.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.support.tui import showing
from tests.tui.conftest import Until
from tui import navigation
from tui.app import WATSApp
from tui.navigation import discover_screens
from tui.screens.connection import ConnectionScreen
from tui.screens.dashboard import DashboardScreen

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _only_the_dashboard_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    discover_screens()  # import every screen first, so none registers after the patch
    monkeypatch.setattr(navigation, "_REGISTRY", {"dashboard": navigation._REGISTRY["dashboard"]})


FIXED_CONFIG = Path("/home/technician/.config/pywats/config.toml")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_connection_screen(
    snap_compare: Any, shell_app: Callable[..., WATSApp], until: Until, size: tuple[int, int]
) -> None:
    # A fixed path: the screen shows where it will save (nothing is written here).
    app = shell_app(url=None, token=None, config_path=FIXED_CONFIG)

    async def ready(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: showing(app, ConnectionScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_dashboard(
    snap_compare: Any, shell_app: Callable[..., WATSApp], until: Until, size: tuple[int, int]
) -> None:
    app = shell_app()

    async def loaded(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: showing(app, DashboardScreen))
        dash = app.screen
        assert isinstance(dash, DashboardScreen)
        table = dash.query_one("#dash-processes", DataTable)
        await until(pilot, lambda: table.row_count > 0 and not dash.task_running("load"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=loaded)
