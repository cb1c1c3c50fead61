"""Processes screen, driven with Pilot against the in-process emulator (acceptance 4)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static, Tree

from tests.support.tui import go_to, settle
from tui.screens.processes import ProcessesScreen

from .conftest import AppFactory


@pytest.fixture
def start_screen() -> str:
    return "processes"


def codes(screen: ProcessesScreen) -> list[int]:
    table = screen.query_one("#processes-table", DataTable)
    return [int(str(table.get_row_at(index)[0])) for index in range(table.row_count)]


async def open_processes(pilot) -> ProcessesScreen:  # type: ignore[no-untyped-def]
    await go_to(pilot, "4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ProcessesScreen)
    return screen


async def test_filter_by_type_and_inactive(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_processes(pilot)
        assert {100, 300, 500} <= set(codes(screen))
        await pilot.press("f")  # Test
        await settle(pilot)
        assert codes(screen) == [100, 110, 120, 130, 140, 150]
        await pilot.press("f")  # Repair
        await settle(pilot)
        assert codes(screen) == [500, 510]
        await pilot.press("i")  # with inactive ones
        await settle(pilot)
        assert codes(screen) == [500, 510, 520]
        await pilot.press("f", "f")  # WIP, then All
        await settle(pilot)
        assert 190 in codes(screen) and 900 in codes(screen)


async def test_repair_operation_shows_its_fail_code_tree(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_processes(pilot)
        table = screen.query_one("#processes-table", DataTable)
        table.move_cursor(row=codes(screen).index(500))
        await settle(pilot)
        tree = screen.query_one("#process-failcodes", Tree)
        assert tree.display
        categories = [str(node.label) for node in tree.root.children]
        assert categories[:2] == ["Component", "Solder"]
        solder = [str(node.label) for node in tree.root.children[1].children]
        assert solder == ["Cold joint", "Solder bridge", "Insufficient solder"]
        assert "500" in str(screen.query_one("#process-summary", Static).render())
        table.move_cursor(row=codes(screen).index(100))
        await settle(pilot)
        assert not tree.display  # a test operation has no fail codes
