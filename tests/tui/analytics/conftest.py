"""The app on a fresh in-process emulator for the Yield screen and the dashboard's production
section, with the emulator's clock pinned (seeded yields over "the last 7 days" are then the
same in every run) and local time in UTC (report times in tables)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.widgets import DataTable

from pywats.emulator.domains.asset import records
from tests.support.tui import go_to, showing, wait_until
from tui.app import WATSApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.yield_screen import YieldScreen

NOW = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
AppFactory = Callable[[], WATSApp]


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(records, "now_for", lambda anchor: NOW)
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture
def make_app(shell_app: Callable[..., WATSApp]) -> AppFactory:
    return shell_app


async def wait_for(pilot: Any, condition: Callable[[], object], what: str = "") -> None:
    """``wait_until`` the condition (10 s), then for the workers it started to finish."""
    await wait_until(pilot, condition, what=what)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def loaded(app: Any, screen_type: type[Any], group: str = "load") -> bool:
    """The app shows a composed screen of this type that is not loading ``group``."""
    return showing(app, screen_type) and not app.screen.task_running(group)


async def open_yield(pilot: Any) -> YieldScreen:
    """Go to Yield (6) and wait until the numbers are in."""
    await go_to(pilot, "6")
    app = pilot.app
    await wait_for(
        pilot,
        lambda: showing(app, YieldScreen) and app.screen.data is not None
        and not app.screen.task_running("load") and not app.screen.task_running("options"),
        "the Yield screen",
    )  # fmt: skip
    screen = app.screen
    assert isinstance(screen, YieldScreen)
    return screen


async def open_dashboard(pilot: Any) -> DashboardScreen:
    app = pilot.app
    await wait_for(
        pilot,
        lambda: showing(app, DashboardScreen) and not app.screen.task_running("load")
        and app.screen.query_one("#dash-failed", DataTable).row_count > 0,
        "the dashboard",
    )  # fmt: skip
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen
