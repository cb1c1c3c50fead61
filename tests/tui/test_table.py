"""The app's Table repaints rows that were drawn before their columns were sized."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tests.support.tui import idle
from tui.widgets.table import Table


class _OneTable(App[None]):
    def __init__(self, table: DataTable[Any]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.table.add_columns("Taken", "Station")


async def _frame_between_sizing_and_resize(table: DataTable[Any]) -> str:
    """The first row as drawn after the table sized its columns, before its Resize event.

    DataTable's own recovery is the Resize that its new virtual size causes; on a loaded
    machine a frame can come first (a CI snapshot caught ``2025-`` so).
    """
    app = _OneTable(table)
    async with app.run_test(size=(60, 8)) as pilot:
        await idle(pilot)
        table.add_row("2025-06-15", "ICT-01")
        table.render_line(1)  # a frame drawn before the table's Idle sized the columns
        await table._on_idle(events.Idle())  # the Idle sizes them
        return table.render_line(1).text


@pytest.mark.asyncio
async def test_a_row_drawn_before_its_columns_were_sized_is_redrawn_whole() -> None:
    assert "2025-06-15" in await _frame_between_sizing_and_resize(Table())


@pytest.mark.asyncio
async def test_textual_datatable_still_draws_the_cut_row_from_its_cache() -> None:
    # The reason Table exists. When this fails, Textual has fixed its cache: drop the subclass.
    assert "2025-06-15" not in await _frame_between_sizing_and_resize(DataTable())
