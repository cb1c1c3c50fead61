"""Helpers for Pilot tests of the terminal app."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import WorkerState

from tui.navigation import nav_entries
from tui.widgets.table import Table


def showing(app: App[Any], screen_type: type[Screen[Any]]) -> bool:
    """The app shows a screen of this type and has composed it, so its widgets can be queried.

    ``app.screen`` switches before the new screen's widgets are mounted; waiting on the type
    alone let a query race the compose on a loaded machine.
    """
    screen = app.screen
    return isinstance(screen, screen_type) and screen.is_mounted


def status_text(screen: Screen[Any]) -> str:
    """What the connection screen says about the server (its status line)."""
    return str(screen.query_one("#connection-status", Static).content)


def _debouncing(app: App[Any]) -> bool:
    """A one-shot timer the screen set (a filter's or a search's debounce) has not fired yet.

    Only the screen's own timers count: toasts and tooltips set timers of seconds that no
    test waits for.
    """
    timers = app.screen._timers
    return any(timer._repeat == 0 and timer._task and not timer._task.done() for timer in timers)


def _busy(app: App[Any]) -> bool:
    if _debouncing(app):
        return True
    if any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers):
        return True
    # A DataTable measures new rows and sizes its columns on its next Idle event: a frame taken
    # before then shows the rows in columns as wide as their headers (a CI snapshot failed so).
    tables = app.screen.query(DataTable)
    if any(table._require_update_dimensions or table._updated_cells for table in tables):
        return True
    # A table refits its columns when a vertical scrollbar comes or goes with its rows; a
    # frame taken before the refit showed a column two cells narrower (seen under load).
    return any(isinstance(table, Table) and table.fit_pending for table in tables)


async def idle(pilot: Pilot[Any], *, rounds: int = 200) -> None:
    """Every worker finished, every table measured and the screen repainted.

    Waits on the app's own state, not a fixed time, so it holds on a loaded CI machine.
    """
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not _busy(pilot.app):
            break
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def settle(pilot: Pilot[Any], minimum: float = 0.0, *, limit: float = 10.0) -> None:
    """Let the screen's debounce timers fire, then wait as :func:`idle` does.

    It once slept a fixed 0.35 s, 90 times over in the suite: too long on a quiet machine and
    not always enough on a loaded one.
    """
    if minimum:
        await pilot.pause(minimum)
    deadline = time.monotonic() + limit
    while _debouncing(pilot.app) and time.monotonic() < deadline:
        await pilot.pause(0.02)
    await idle(pilot)


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 10.0, what: str = ""
) -> None:
    """Poll ``condition`` while the app runs; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)
    await asyncio.sleep(0)


async def open_mode(pilot: Pilot[Any], name: str) -> None:
    """Switch the app to the screen of mode ``name``, as a navigation key does, and wait
    until it is composed and idle."""
    app = pilot.app
    await app.switch_mode(name)
    await wait_until(pilot, lambda: app.current_mode == name and app.screen.is_mounted, what=name)
    await idle(pilot)


async def go_to(pilot: Pilot[Any], key: str) -> None:
    """Press a screen's navigation key, unless the app already shows that screen.

    A test module may start its app on the screen it is about (``start_screen``): there the
    home widget can be a field, which would take the digit as text.
    """
    entry = next(entry for entry in nav_entries() if entry.key == key)
    if pilot.app.current_mode != entry.name:
        await pilot.press(key)
