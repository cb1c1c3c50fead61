"""For the Products and Processes screen tests: the app on the in-process emulator (the
shell's own ``shell_app`` fixture) and a helper that waits until the app is idle."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tui.app import WATSApp

AppFactory = Callable[[], WATSApp]


@pytest.fixture
def make_app(shell_app: Callable[..., WATSApp]) -> AppFactory:
    return shell_app


async def settle(pilot: Pilot[None], delay: float = 0.35) -> None:
    """Let debounce timers fire and every worker finish, then let the screen repaint."""
    await pilot.pause(delay)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
