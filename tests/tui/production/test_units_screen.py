"""The Units screen with Pilot against the in-process emulator (issue 6, acceptance 4).

Seeded: SY-00001 (SYS-9000) holds CM-00001 (MOD-4100, with boards MB-00001 and IO-00001) and
two power supplies PS-00001/PS-00002 (each with a power board).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, OptionList
from textual.widgets.tree import TreeNode

from pywats import AsyncWATS
from pywats.domains.production import Unit, UnitPhaseFlag
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, idle
from tui.screens.units import UnitsScreen
from tui.widgets.production_dialogs import UnitByPartDialog
from tui.widgets.unit_views import AssemblyTree, UnitCard

from .conftest import UnitsAppFactory


@pytest.fixture
def start_screen() -> str:
    return "units"


def card_text(screen: UnitsScreen) -> str:
    return screen.query_one(UnitCard).plain


def tree_levels(screen: UnitsScreen) -> dict[str, int]:
    """Serial number -> depth of its node (0 for the top of the assembly)."""
    levels: dict[str, int] = {}
    tree = screen.query_one(AssemblyTree)

    def walk(node: TreeNode[Unit], depth: int) -> None:
        data = node.data
        if data is not None:
            levels[data.serial_number] = depth
        for child in node.children:
            walk(child, depth + 1)

    walk(tree.root, 0)
    return levels


def phase_of(emulator: InProcessEmulator, serial: str) -> int:
    return int(
        emulator.store.scalar(
            "SELECT unit_phase_id FROM production_unit WHERE serial_number = ?", (serial,)
        )
    )


def parent_of(emulator: InProcessEmulator, serial: str) -> str | None:
    value = emulator.store.scalar(
        "SELECT p.serial_number FROM production_unit u "
        "LEFT JOIN production_unit p ON p.unit_id = u.parent_id WHERE u.serial_number = ?",
        (serial,),
    )
    return None if value is None else str(value)


async def open_units(pilot: Any) -> UnitsScreen:
    await go_to(pilot, "3")
    await idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, UnitsScreen)
    return screen


async def test_scanned_serial_opens_the_unit_with_three_levels(units_app: UnitsAppFactory) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        assert screen.query_one("#unit-serial", Input).has_focus
        # A scanner: the characters arrive back to back, then Enter. No part number typed:
        # it comes from the serial number's test reports.
        await pilot.press(*"SY-00001", "enter")
        await idle(pilot)
        text = card_text(screen)
        assert "SY-00001" in text and "SYS-9000" in text and "Grade" in text
        levels = tree_levels(screen)
        assert levels["SY-00001"] == 0 and levels["CM-00001"] == 1
        assert levels["MB-00001"] == 2 and levels["PB-00001"] == 2
        # Ready for the next scan.
        assert screen.query_one("#unit-serial", Input).value == ""
        assert screen.query_one("#unit-serial", Input).has_focus


async def open_by_part(pilot: Any, serial: str, part: str) -> None:
    """ctrl+o: the deliberate way to open a unit by its part number (one never tested)."""
    await pilot.press("ctrl+o")
    await idle(pilot)
    assert isinstance(pilot.app.screen, UnitByPartDialog)
    pilot.app.screen.query_one("#by-part-serial", Input).value = serial
    pilot.app.screen.query_one("#by-part-part", Input).focus()
    await pilot.press(*part, "enter")
    await idle(pilot)


async def confirm(pilot: Any) -> None:
    """A deliberate confirmation: Tab from Cancel (the default) to the confirm button, Enter."""
    await pilot.press("tab", "enter")
    await idle(pilot)


async def test_a_unit_opens_by_serial_and_part_number(units_app: UnitsAppFactory) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await open_by_part(pilot, "MB-00001", "PCB-1001")
        assert "Controller main board" in card_text(screen)
        # Back on the scan field, and no part number left anywhere for the next scan.
        assert screen.scan_field.has_focus
        assert [i.id for i in screen.query(Input) if i.value] == []


async def test_unknown_unit_says_not_found(units_app: UnitsAppFactory) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await open_by_part(pilot, "NOPE-1", "SYS-9000")
        assert "no unit NOPE-1 with part number SYS-9000" in card_text(screen)
        assert screen.view is None
        # And a bare serial no report names: not found, and the scan field is ready.
        await pilot.press(*"NOPE-2", "enter")
        await idle(pilot)
        assert "NOPE-2 not found" in card_text(screen)
        assert screen.scan_field.has_focus


async def test_set_phase_with_confirmation(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await pilot.press(*"CM-00001", "enter")
        await idle(pilot)
        await pilot.press("tab", "p")  # Tab: on to the tree, where letters are commands
        await idle(pilot)
        options = app.screen.query_one("#phase-options", OptionList)
        phases = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        target = next(i for i, name in enumerate(phases) if name == "Production repair")
        options.highlighted = target
        await pilot.press("enter")
        await pilot.pause()
        assert phase_of(emulator, "CM-00001") == UnitPhaseFlag.FINALIZED  # not before "yes"
        await confirm(pilot)
        assert phase_of(emulator, "CM-00001") == UnitPhaseFlag.PRODUCTION_REPAIR
        assert "Production repair" in card_text(screen)


async def test_cancelled_confirmation_changes_nothing(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_units(pilot)
        await pilot.press(*"CM-00001", "enter")
        await idle(pilot)
        await pilot.press("tab", "p")
        await idle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await idle(pilot)
        assert phase_of(emulator, "CM-00001") == UnitPhaseFlag.FINALIZED


async def test_add_and_remove_a_child(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    # A finalized spare board and a module missing its main board.
    async with AsyncWATS(emulator.base_url, emulator.token, transport=emulator.transport()) as wats:
        await wats.production.save_units(
            [
                Unit(
                    serial_number="MB-NEW",
                    part_number="PCB-1001",
                    revision="A",
                    unit_phase_id=UnitPhaseFlag.FINALIZED,
                ),
                Unit(serial_number="CM-NEW", part_number="MOD-4100", revision="1.0"),
            ]
        )
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await open_by_part(pilot, "CM-NEW", "MOD-4100")  # never tested: no report names it
        await pilot.press("tab", "a")
        await pilot.pause()
        await pilot.press(*"MB-NEW", "tab", *"PCB-1001", "enter")
        await idle(pilot)
        await confirm(pilot)
        assert parent_of(emulator, "MB-NEW") == "CM-NEW"
        assert tree_levels(screen).get("MB-NEW") == 1
        # Highlight the child in the tree, take it out again.
        await pilot.press("tab", "down")  # to the tree, then onto the child
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await confirm(pilot)
        assert parent_of(emulator, "MB-NEW") is None
        assert "MB-NEW" not in tree_levels(screen)


async def test_server_refusal_is_a_notification_and_nothing_changes(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await pilot.press(*"CM-00001", "enter")
        await idle(pilot)
        # MB-00001 already sits in CM-00001: the server refuses a second parent.
        await pilot.press("tab", "a")
        await pilot.pause()
        await pilot.press(*"MB-00001", "tab", *"PCB-1001", "enter")
        await idle(pilot)
        await confirm(pilot)
        assert parent_of(emulator, "MB-00001") == "CM-00001"
        assert any("already has parent" in n.message for n in app._notifications)
        assert screen.view is not None  # the screen stays usable


async def test_history_opens_the_reports_screen_for_the_unit(units_app: UnitsAppFactory) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_units(pilot)
        await pilot.press(*"MB-00001", "enter")
        await idle(pilot)
        await pilot.press("tab", "h")
        await idle(pilot)
        assert app.current_mode == "reports"
        assert app.screen.query_one("#reports-serial", Input).value == "MB-00001"


async def test_scanned_text_is_never_markup(units_app: UnitsAppFactory) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await pilot.press(*"X[b]Y", "enter")
        await idle(pilot)
        assert "X[b]Y not found" in card_text(screen)


async def test_escape_cancels_a_slow_lookup(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        emulator.faults.update(latency=5.0)
        await pilot.press(*"SY-00001", "enter")
        await pilot.pause(0.1)
        assert screen.task_running("load")
        await pilot.press("escape")
        await pilot.pause()
        emulator.faults.reset()
        assert not screen.task_running("load")
        assert screen.view is None  # the cancelled answer never reaches the card
        # Still usable: the next scan works.
        await pilot.press(*"SY-00001", "enter")
        await idle(pilot)
        assert screen.view is not None and screen.view.unit.serial_number == "SY-00001"


async def test_a_serial_the_server_cannot_take_is_refused_before_sending(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        sent = emulator.traffic.count
        await pilot.press(*"SY/1", "enter")
        await idle(pilot)
        assert "serial number 'SY/1' contains '/'" in card_text(screen)
        assert emulator.traffic.count == sent
        assert screen.query_one("#unit-serial", Input).has_focus


async def test_the_card_shows_even_when_grading_fails(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        emulator.faults.update(
            error_rate=1.0, error_status=500, path_prefix="/api/Production/UnitVerification"
        )
        await pilot.press(*"SY-00001", "enter")
        await idle(pilot)
        emulator.faults.reset()
        text = card_text(screen)
        assert "SYS-9000" in text
        assert "Grade     -" in text


async def test_palette_goes_to_a_unit_by_serial(units_app: UnitsAppFactory) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)  # on the dashboard
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"CM-00001")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, UnitsScreen)
        assert screen.view is not None and screen.view.unit.part_number == "MOD-4100"
