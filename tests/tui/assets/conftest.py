"""The app on a fresh in-process emulator for the Assets screens, with the emulator's asset
clock pinned (the seeded fleet's days left are then the same in every picture)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from pywats.emulator.domains.asset import records
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, showing
from tui.app import WATSApp
from tui.screens.assets import AssetsScreen

NOW = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
AppFactory = Callable[[], WATSApp]


@pytest.fixture(autouse=True)
def pinned_asset_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "now_for", lambda anchor: NOW)


@pytest.fixture
def make_app(shell_app: Callable[..., WATSApp]) -> AppFactory:
    return shell_app


@pytest.fixture
def store(emulator: InProcessEmulator) -> Any:
    return emulator.store


async def open_assets(pilot: Any) -> AssetsScreen:
    """Press 7 and wait until the list has loaded."""
    await go_to(pilot, "7")
    app = pilot.app
    for _ in range(500):
        if (
            showing(app, AssetsScreen)
            and not app.screen.task_running("list")
            and app.screen.overviews
        ):
            break
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AssetsScreen)
    return screen
