"""80x24 snapshots of the Units and Serial numbers screens (issue 6, acceptance 4)."""

from __future__ import annotations

from typing import Any

from tests.support.tui import idle

from .conftest import UnitsAppFactory


def test_units_screen_with_a_three_level_assembly(
    units_app: UnitsAppFactory, snap_compare: Any
) -> None:
    async def open_system(pilot: Any) -> None:
        await pilot.press("3")
        await idle(pilot)
        await pilot.press(*"SY-00001", "enter")
        await idle(pilot)
        await pilot.press("enter", "down", "down")  # onto the main board, level 3
        await idle(pilot)

    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=open_system)


def test_units_screen_phase_picker(units_app: UnitsAppFactory, snap_compare: Any) -> None:
    async def pick_phase(pilot: Any) -> None:
        await pilot.press("3")
        await idle(pilot)
        await pilot.press(*"CM-00001", "enter")
        await idle(pilot)
        await pilot.press("enter", "p")
        await idle(pilot)

    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=pick_phase)


def test_serial_numbers_screen_with_a_range(units_app: UnitsAppFactory, snap_compare: Any) -> None:
    async def look_up(pilot: Any) -> None:
        await pilot.press("3")
        await idle(pilot)
        await pilot.press("enter", "n")
        await idle(pilot)
        screen = pilot.app.screen
        screen.query_one("#sn-from").value = "BRD-000027"
        screen.query_one("#sn-to").value = "BRD-000034"
        screen.query_one("#sn-to").focus()
        await pilot.press("enter")
        await idle(pilot)

    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=look_up)
