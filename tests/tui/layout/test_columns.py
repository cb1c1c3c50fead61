"""Columns size to their content, with an ellipsis only when the terminal is too narrow
(issue 17, layout)."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tests.support.tui import idle, open_mode, showing
from tests.tui.conftest import ShellAppFactory, Until
from tui.screens.reports import REPORTS_MODE, ReportsScreen
from tui.widgets.columns import fit_widths
from tui.widgets.table import Table

ROWS = [
    ("2025-06-15 10:22", "SN-000123", "PCB-1001", "Final inspection", "INSPECT-01", "Passed"),
    ("2025-06-15 10:24", "SN-000124", "PCB-1001", "ICT", "ICT-01", "Failed"),
]
# Widths like the ones that cut "Final inspectio" and "INSPECT-0" at every terminal size.
FIXED = {"Start": 11, "Serial": 10, "Part": 9, "Process": 15, "Station": 9, "Result": 12}


class Tables(App[None]):
    def compose(self) -> ComposeResult:
        yield Table(id="t")

    def on_mount(self) -> None:
        table: Table[Text] = self.query_one(Table)
        for label, width in FIXED.items():
            table.add_column(label, width=width)
        table.add_rows([tuple(Text(cell) for cell in row) for row in ROWS])


def lines(app: App[None] | App[object]) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_values_are_whole_when_there_is_room() -> None:
    app = Tables()
    async with app.run_test(size=(160, 10)) as pilot:
        await idle(pilot)
        text = "\n".join(lines(app))
        for cell in ROWS[0]:
            assert cell in text
        assert "…" not in text


async def test_a_narrow_terminal_cuts_the_widest_with_an_ellipsis_and_no_scrolling() -> None:
    app = Tables()
    async with app.run_test(size=(70, 10)) as pilot:
        await idle(pilot)
        table = app.query_one(Table)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        screen = lines(app)
        assert any("…" in line for line in screen)
        row = screen[1]
        assert "SN-000123" in row and "Passed" in row  # short columns stay whole
        assert "Final inspec…" in row  # the widest gave way
        # Back to a wide terminal: everything whole again.
        await pilot.resize_terminal(160, 10)
        await idle(pilot)
        assert "Final inspection" in "\n".join(lines(app))


def test_fit_widths_cuts_the_widest_first_and_never_below_the_floor() -> None:
    assert fit_widths([10, 20, 5], [6, 6, 5], 40) == [10, 20, 5]
    assert fit_widths([10, 20, 5], [6, 6, 5], 30) == [10, 15, 5]
    assert fit_widths([10, 20, 5], [6, 6, 5], 20) == [7, 8, 5]
    assert fit_widths([10, 20, 5], [6, 6, 5], 5) == [6, 6, 5]  # floors hold


@pytest.mark.start_screen(REPORTS_MODE)
async def test_the_reports_list_shows_whole_values_at_160_columns_and_fits_80(
    shell_app: ShellAppFactory, until: Until
) -> None:
    app = shell_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await idle(pilot)
        await app.switch_mode(REPORTS_MODE)
        await until(pilot, lambda: showing(app, ReportsScreen), what="reports")
        await idle(pilot)
        table = app.screen.query_one("#reports-table", DataTable)
        assert table.row_count
        screen = "\n".join(lines(app))
        shown = min(table.row_count, 10)
        for index in range(shown):
            for cell in table.get_row_at(index):
                assert str(cell) in screen, f"{cell!s} is cut at 160 columns"
        assert "…" not in screen

        await pilot.resize_terminal(80, 24)
        await idle(pilot)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        row = lines(app)[table.region.y + 1]  # the first row, under the header
        assert str(table.get_row_at(0)[-1]) in row  # the result column is on screen


LISTS = [
    ("products", "#products-table"),
    ("processes", "#processes-table"),
    ("reports", "#reports-table"),
    ("assets", "#assets-table"),
    ("tickets", "#tickets-table"),
    ("users", "#users-table"),
]


@pytest.fixture
def start_screen(request: pytest.FixtureRequest) -> str | None:
    """A list test's app opens on the screen of its list; the others on the dashboard."""
    return request.getfixturevalue("mode") if "mode" in request.fixturenames else None


@pytest.mark.parametrize(("mode", "selector"), LISTS)
async def test_no_list_cuts_a_value_at_160_columns(
    mode: str, selector: str, shell_app: ShellAppFactory
) -> None:
    app = shell_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await idle(pilot)
        await open_mode(pilot, mode)
        table = app.screen.query_one(selector, DataTable)
        assert table.row_count, f"{mode}: no rows to check"
        screen = "\n".join(lines(app))
        visible = table.scrollable_content_region.height - 1  # under the header
        for index in range(min(table.row_count, visible)):
            for cell in table.get_row_at(index):
                value = cell.plain if isinstance(cell, Text) else str(cell)
                assert value.strip() in screen, f"{mode}: {value!r} is cut at 160 columns"
