"""Snapshots of the Units and Serial numbers screens: 80x24 (issue 6, acceptance 4), and the
scan station of issue 17 at 80x24 and 120x40 (f1 Help whole in every footer)."""

from __future__ import annotations

from typing import Any

import pytest

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, idle

from .conftest import FailedUnit, UnitsAppFactory

pytestmark = pytest.mark.start_screen("units")


def test_units_screen_with_a_three_level_assembly(
    units_app: UnitsAppFactory, snap_compare: Any
) -> None:
    async def open_system(pilot: Any) -> None:
        await go_to(pilot, "3")
        await idle(pilot)
        await pilot.press(*"SY-00001", "enter")
        await idle(pilot)
        await pilot.press("tab", "down", "down")  # onto the main board, level 3
        await idle(pilot)

    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=open_system)


def test_units_screen_phase_picker(units_app: UnitsAppFactory, snap_compare: Any) -> None:
    async def pick_phase(pilot: Any) -> None:
        await go_to(pilot, "3")
        await idle(pilot)
        await pilot.press(*"CM-00001", "enter")
        await idle(pilot)
        await pilot.press("tab", "p")
        await idle(pilot)

    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=pick_phase)


def test_serial_numbers_screen_with_a_range(units_app: UnitsAppFactory, snap_compare: Any) -> None:
    async def look_up(pilot: Any) -> None:
        await go_to(pilot, "3")
        await idle(pilot)
        await pilot.press("tab", "n")
        await idle(pilot)
        screen = pilot.app.screen
        screen.query_one("#sn-from").value = "BRD-000027"
        screen.query_one("#sn-to").value = "BRD-000034"
        screen.query_one("#sn-to").focus()
        await pilot.press("enter")
        await idle(pilot)

    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=look_up)


@pytest.fixture
def fixed_station(monkeypatch: pytest.MonkeyPatch) -> None:
    """The repair form names the station and operator: the same on every machine."""
    monkeypatch.setattr("tui.widgets.repair_dialog.station_name", lambda: "RW-01")
    monkeypatch.setattr("tui.widgets.repair_dialog.operator_name", lambda: "tech")


def _scan(serial: str) -> Any:
    async def run(pilot: Any) -> None:
        await go_to(pilot, "3")
        await idle(pilot)
        await pilot.press(*serial, "enter")
        await idle(pilot)

    return run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_units_station_a_failed_unit(
    units_app: UnitsAppFactory, failed_unit: FailedUnit, snap_compare: Any, size: Any
) -> None:
    """The card with the last test and where it failed, the assembly, the history."""
    assert snap_compare(
        units_app(), terminal_size=size, run_before=_scan(failed_unit.serial_number)
    )


def test_units_station_an_unknown_serial(units_app: UnitsAppFactory, snap_compare: Any) -> None:
    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=_scan("NOSUCH-9"))


def test_units_station_the_server_down(
    units_app: UnitsAppFactory, emulator: InProcessEmulator, snap_compare: Any
) -> None:
    async def scan_with_the_server_down(pilot: Any) -> None:
        await go_to(pilot, "3")
        await idle(pilot)
        emulator.faults.update(error_rate=1.0, error_status=503)
        await pilot.press(*"SY-00001", "enter")
        await idle(pilot)
        emulator.faults.reset()
        pilot.app.clear_notifications()  # the card says it; the toast would cover the tree

    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=scan_with_the_server_down)


@pytest.mark.usefixtures("shared_serial")
def test_units_station_the_part_number_chooser(
    units_app: UnitsAppFactory, snap_compare: Any
) -> None:
    async def choose(pilot: Any) -> None:
        await _scan("MB-00001")(pilot)
        await pilot.press("down")
        await idle(pilot)

    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=choose)


@pytest.mark.usefixtures("fixed_station")
def test_units_station_the_repair_form(
    units_app: UnitsAppFactory, failed_unit: FailedUnit, snap_compare: Any
) -> None:
    async def repair(pilot: Any) -> None:
        await _scan(failed_unit.serial_number)(pilot)
        await pilot.press("f4")
        await idle(pilot)
        await pilot.press("space", "tab", *"U7", "tab", *"Reflowed U7")
        await idle(pilot)

    assert snap_compare(units_app(), terminal_size=(80, 24), run_before=repair)
