"""The Serial numbers screen (opened from Units with n): types, take N with confirmation,
look up a range."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, idle
from tests.tui.station.confirming import confirm
from tui.screens.serial_numbers import SerialNumbersScreen
from tui.screens.units import UnitsScreen

from .conftest import UnitsAppFactory

pytestmark = pytest.mark.start_screen("units")  # Serial numbers opens from Units


def free_boards(emulator: InProcessEmulator) -> int:
    return int(
        emulator.store.scalar(
            "SELECT COUNT(*) FROM production_sn WHERE type_name = 'BoardSN' AND taken_utc IS NULL"
        )
    )


async def open_serials(pilot: Any) -> SerialNumbersScreen:
    await go_to(pilot, "3")
    await idle(pilot)
    await pilot.press("escape", "n")  # out of the scan field to the tree, then n
    await idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SerialNumbersScreen)
    return screen


def column(table: DataTable, index: int = 0) -> list[str]:  # type: ignore[type-arg]
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


async def test_types_are_listed(units_app: UnitsAppFactory) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_serials(pilot)
        assert column(screen.query_one("#sn-types", DataTable)) == [
            "BoardSN",
            "EthernetMAC",
            "SystemSN",
        ]


async def test_take_asks_first_then_shows_the_numbers(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_serials(pilot)
        before = free_boards(emulator)
        screen.query_one("#sn-quantity", Input).focus()
        await pilot.press(*"3", "enter")
        await pilot.pause()
        assert free_boards(emulator) == before  # nothing until confirmed
        await confirm(pilot, typed="3")  # taking is for good: the count is typed
        await idle(pilot)
        assert free_boards(emulator) == before - 3
        taken = column(screen.query_one("#sn-results", DataTable))
        assert taken == ["BRD-000031", "BRD-000032", "BRD-000033"]


async def test_take_cancelled_or_invalid_takes_nothing(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_serials(pilot)
        before = free_boards(emulator)
        screen.query_one("#sn-quantity", Input).focus()
        await pilot.press(*"2", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await idle(pilot)
        screen.query_one("#sn-quantity", Input).value = "0"
        await pilot.press("enter")
        await idle(pilot)
        assert free_boards(emulator) == before
        assert any("How many" in (n.title or "") for n in app._notifications)


async def test_range_lookup(units_app: UnitsAppFactory) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_serials(pilot)
        screen.query_one("#sn-from", Input).value = "BRD-000029"
        screen.query_one("#sn-to", Input).value = "BRD-000032"
        screen.query_one("#sn-to", Input).focus()
        await pilot.press("enter")
        await idle(pilot)
        table = screen.query_one("#sn-results", DataTable)
        assert column(table) == ["BRD-000029", "BRD-000030", "BRD-000031", "BRD-000032"]
        assert column(table, 1) == ["taken", "taken", "free", "free"]


async def test_escape_goes_back_to_units(units_app: UnitsAppFactory) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_serials(pilot)
        await pilot.press("escape")
        await idle(pilot)
        assert isinstance(app.screen, UnitsScreen)
