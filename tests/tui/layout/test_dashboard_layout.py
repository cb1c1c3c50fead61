"""The dashboard's configuration tables show rows at 80x24 (issue 17, layout): the product
groups table got none when it was stacked under the levels."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from tests.support.tui import idle, showing
from tests.tui.conftest import ShellAppFactory, Until
from tui.app import WATSApp
from tui.screens.dashboard import DashboardScreen


def lines(app: WATSApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("table_id", ["dash-groups", "dash-levels", "dash-processes"])
async def test_each_configuration_table_shows_its_first_row_at_80x24(
    table_id: str, shell_app: ShellAppFactory, until: Until
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen), what="dashboard")
        await idle(pilot)
        table = app.screen.query_one(f"#{table_id}", DataTable)
        assert table.row_count
        region = table.region
        # The border's top line, the header, then the first row, on screen.
        first_row_line = region.y + 2
        assert first_row_line < region.bottom - 1, f"{table_id} has no room for a row"
        text = lines(app)[first_row_line][region.x : region.right]
        assert str(table.get_row_at(0)[0]) in text, text
