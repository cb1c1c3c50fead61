"""Helpers for Pilot tests of the terminal app."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen


def showing(app: App[Any], screen_type: type[Screen[Any]]) -> bool:
    """The app shows a screen of this type and has composed it, so its widgets can be queried.

    ``app.screen`` switches before the new screen's widgets are mounted; waiting on the type
    alone let a query race the compose on a loaded machine.
    """
    screen = app.screen
    return isinstance(screen, screen_type) and screen.is_mounted


async def settle(pilot: Pilot[Any], delay: float = 0.35) -> None:
    """Let debounce timers fire and every worker finish, then let the screen repaint."""
    await pilot.pause(delay)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
