"""Repairs from the terminal (issue 17): for a failed unit, pick the failed report and the repair
operation, mark fail codes from that operation's tree, enter the component reference and a
comment, confirm deliberately, and the repair report (built with the SDK's UURBuilder, stored by
the emulator) opens.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Select

from pywats import AsyncWATS
from pywats.domains.report import UURReport
from pywats.domains.report.query import ReportHeader
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, idle
from tui.screens.report_viewer import ReportViewerScreen
from tui.screens.units import UnitsScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.repair_dialog import FailCodeTree, RepairDialog

from .conftest import FailedUnit, UnitsAppFactory


@pytest.fixture
def start_screen() -> str:
    return "units"


async def repairs_of(emulator: InProcessEmulator, serial: str) -> list[ReportHeader]:
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        return await wats.report.find_headers(serial_number=serial, report_type="R")


async def open_repair(pilot: Any, serial: str) -> RepairDialog:
    await go_to(pilot, "3")
    await idle(pilot)
    await pilot.press(*serial, "enter")
    await idle(pilot)
    assert isinstance(pilot.app.screen, UnitsScreen)
    await pilot.press("f4")  # from the scan field
    await idle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, RepairDialog)
    return dialog


async def fill_in(pilot: Any, dialog: RepairDialog) -> list[str]:
    """Mark the first two fail codes, enter the reference and comment, go to Submit."""
    tree = dialog.query_one(FailCodeTree)
    assert tree.has_focus
    await pilot.press("space", "down", "space")
    marked = [code.code for code in tree.marked]
    await pilot.press("tab", *"R12", "tab", *"Replaced R12, retested", "enter")
    await pilot.pause()
    assert dialog.focused is not None and dialog.focused.id == "repair-submit"
    await pilot.press("enter")
    await idle(pilot)
    return marked


async def test_the_form_offers_the_failed_reports_and_the_operations_fail_code_tree(
    units_app: UnitsAppFactory, emulator: InProcessEmulator, failed_unit: FailedUnit
) -> None:
    failed = failed_unit.report
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        operations = await wats.process.get_repair_operations()
        trees = {op.code: await wats.process.get_repair_categories(op.code) for op in operations}
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_repair(pilot, failed_unit.serial_number)
        assert dialog.query_one("#repair-report", Select).value == failed.uuid
        assert [p.code for p in dialog.processes] == [op.code for op in operations]
        tree = dialog.query_one(FailCodeTree)

        def categories() -> dict[str, list[str]]:
            return {
                str(node.label): [str(leaf.label).removeprefix("[ ] ") for leaf in node.children]
                for node in tree.root.children
            }

        first = operations[0].code
        assert categories() == {
            c.description: [code.description for code in c.failcodes if code.selectable]
            for c in trees[first]
        }
        # Another repair operation, its own tree.
        if len(operations) > 1:
            dialog.query_one("#repair-process", Select).value = operations[1].code
            await idle(pilot)
            assert categories() == {
                c.description: [code.description for code in c.failcodes if code.selectable]
                for c in trees[operations[1].code]
            }
        # Nothing to submit without a fail code: the form says so and stays.
        dialog.query_one("#repair-submit").focus()
        await pilot.press("enter")
        await idle(pilot)
        assert app.screen is dialog
        assert "Mark at least one fail code" in str(dialog.query_one("#repair-error").render())


async def test_a_stray_key_or_a_scanners_enter_never_submits_the_repair(
    units_app: UnitsAppFactory, emulator: InProcessEmulator, failed_unit: FailedUnit
) -> None:
    serial = failed_unit.serial_number
    before = len(await repairs_of(emulator, serial))
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_repair(pilot, serial)
        await fill_in(pilot, dialog)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert confirm.focused is not None and confirm.focused.id == "confirm-no"
        # A stray letter does nothing; a scan (characters, then Enter) lands on Cancel.
        await pilot.press("y")
        await idle(pilot)
        assert app.screen is confirm
        await pilot.press(*serial, "enter")
        await idle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        assert app.screen.scan_field.has_focus
    assert len(await repairs_of(emulator, serial)) == before


async def test_a_repair_is_submitted_stored_and_opened(
    units_app: UnitsAppFactory, emulator: InProcessEmulator, failed_unit: FailedUnit
) -> None:
    serial, failed = failed_unit.serial_number, failed_unit.report
    before = {h.uuid for h in await repairs_of(emulator, serial)}
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_repair(pilot, serial)
        marked = await fill_in(pilot, dialog)
        assert len(marked) == 2
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        detail = str(confirm.query_one("#confirm-detail").render())
        assert all(code in detail for code in marked) and "R12" in detail
        await pilot.press("tab", "enter")  # the deliberate step: Tab to Submit, Enter
        await idle(pilot)
        [new] = [h for h in await repairs_of(emulator, serial) if h.uuid not in before]
        viewer = app.screen
        assert isinstance(viewer, ReportViewerScreen) and viewer.report_id == new.uuid
        assert isinstance(viewer.report, UURReport)

        async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
            stored = await wats.report.get_report(str(new.uuid))
        assert isinstance(stored, UURReport) and stored.uur is not None
        assert str(stored.uur.ref_uut) == failed.uuid
        assert stored.process_code == dialog.processes[0].code
        assert stored.uur.comment == "Replaced R12, retested"
        [main] = [unit for unit in stored.sub_units or [] if unit.idx == 0]
        failures = main.failures or []
        assert [f.code for f in failures] == marked
        assert {f.com_ref for f in failures} == {"R12"}
        failing_step = (failed.caused_uut_failure_path or "").split("/")[-1]
        assert {f.ref_step_name for f in failures} == {failing_step}

        # Back on the Units screen: the unit is read again, the repair heads its history.
        await pilot.press("escape")
        await idle(pilot)
        units = app.screen
        assert isinstance(units, UnitsScreen) and units.view is not None
        assert units.view.history[0].uuid == new.uuid and units.view.history[0].is_repair
        assert units.scan_field.has_focus
        assert [i.id for i in units.query(Input) if i.value] == []
