"""For the Tickets and Users screen tests: the app on a fresh in-process emulator, times in UTC,
and small readers of what a widget shows."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator

import pytest
from rich.console import Console
from textual.widgets import DataTable, Static

from tui.app import WATSApp

AppFactory = Callable[..., WATSApp]


@pytest.fixture
def make_app(shell_app: Callable[..., WATSApp]) -> AppFactory:
    return shell_app


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times are shown in local time; pin it so rows and snapshots read the same anywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def plain(widget: Static) -> str:
    console = Console(width=max(widget.size.width, 40), file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(widget.content)
    return captured.get()


def table_rows(table: DataTable) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
