"""The everyday keys where they need a particular screen (issue 17, "Everyday keys"): ``q`` or
Escape goes back from the pushed screens, ``q`` in a field is typed, ``c`` copies a unit's
serial, a report's serial and a measured value, and ``/`` in the report viewer finds steps by
name, with "failed steps only". ``?``, F5, ``c`` and ``/`` on every registered screen are in
test_every_screen.py."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Tree

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import idle, showing, wait_until
from tests.tui.conftest import ShellAppFactory
from tui.app import WATSApp
from tui.navigation import discover_screens
from tui.screen import WATSScreen
from tui.screens.assets import AssetDetailScreen, AssetsScreen
from tui.screens.report_viewer import ReportViewerScreen
from tui.screens.reports import ReportsScreen
from tui.screens.serial_numbers import SerialNumbersScreen
from tui.widgets.clipboard import cell_text
from tui.widgets.find_bar import FindBar
from tui.widgets.step_tree import StepTree

discover_screens()


async def _open(pilot: Pilot[Any], name: str) -> WATSScreen:
    app = pilot.app
    assert isinstance(app, WATSApp)
    await idle(pilot)
    app.action_go(name)
    await idle(pilot)
    screen = app.screen
    assert isinstance(screen, WATSScreen) and showing(app, type(screen))
    return screen


# ----------------------------------------------------------------- ? and F1


# ----------------------------------------------------------------- F5


# ----------------------------------------------------------------- q and Escape


async def _report_viewer(pilot: Pilot[Any]) -> WATSScreen:
    await _open(pilot, "reports")
    app = pilot.app
    reports = app.screen
    assert isinstance(reports, ReportsScreen)
    await wait_until(pilot, lambda: reports.query_one("#reports-table", DataTable).row_count > 0)
    reports.query_one("#reports-table", DataTable).focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: showing(app, ReportViewerScreen))
    await idle(pilot)
    viewer = app.screen
    assert isinstance(viewer, ReportViewerScreen)
    return viewer


async def _asset_detail(pilot: Pilot[Any]) -> WATSScreen:
    await _open(pilot, "assets")
    app = pilot.app
    assets = app.screen
    assert isinstance(assets, AssetsScreen)
    await wait_until(pilot, lambda: assets.query_one("#assets-table", DataTable).row_count > 0)
    await pilot.press("enter")
    await wait_until(pilot, lambda: showing(app, AssetDetailScreen))
    await idle(pilot)
    assert isinstance(app.screen, WATSScreen)
    return app.screen


async def _serial_numbers(pilot: Pilot[Any]) -> WATSScreen:
    await _open(pilot, "units")
    await pilot.press("escape", "n")
    await wait_until(pilot, lambda: showing(pilot.app, SerialNumbersScreen))
    await idle(pilot)
    assert isinstance(pilot.app.screen, WATSScreen)
    return pilot.app.screen


PUSHED = {
    "report viewer": _report_viewer,
    "asset detail": _asset_detail,
    "serial numbers": _serial_numbers,
}
# The screen each pushed screen opens from: the test's app starts there.
OPENED_FROM = {"report viewer": "reports", "asset detail": "assets", "serial numbers": "units"}


@pytest.mark.parametrize(
    ("where", "start_screen"), [(where, OPENED_FROM[where]) for where in sorted(PUSHED)],
    ids=sorted(PUSHED),
)  # fmt: skip
@pytest.mark.parametrize("key", ["q", "escape"])
async def test_q_or_escape_goes_back(shell_app: ShellAppFactory, where: str, key: str) -> None:
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pushed = await PUSHED[where](pilot)
        below = app.screen_stack[-2]
        await pilot.press(key)
        await idle(pilot)
        assert app.screen is below and pushed not in app.screen_stack


@pytest.mark.start_screen("units")
async def test_q_in_a_field_is_typed_not_back(shell_app: ShellAppFactory) -> None:
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _serial_numbers(pilot)
        field = screen.query_one("#sn-reference", Input)
        field.focus()
        await pilot.pause()
        await pilot.press("q")
        assert app.screen is screen and field.value == "q"


# ----------------------------------------------------------------- c copies


@pytest.mark.start_screen("units")
async def test_c_copies_a_unit_serial_from_the_assembly_tree(
    shell_app: ShellAppFactory, emulator: InProcessEmulator
) -> None:
    serial = str(emulator.store.scalar("SELECT serial_number FROM production_unit LIMIT 1"))
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, "units")
        await pilot.press(*serial, "enter")
        await idle(pilot)
        await pilot.press("escape")  # to the tree
        await pilot.pause()
        assert isinstance(app.focused, Tree)
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard is not None and serial in app.clipboard
        assert app.screen is screen


# ----------------------------------------------------------------- / finds


@pytest.mark.start_screen("reports")
async def test_report_viewer_finds_steps_by_name_and_failed_steps_only(
    shell_app: ShellAppFactory, emulator: InProcessEmulator
) -> None:
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, "reports")
        failed = emulator.store.scalar(
            "SELECT uuid FROM report WHERE report_type = 'T' AND result = 'F' LIMIT 1"
        )
        app.push_screen(ReportViewerScreen(str(failed)))
        await wait_until(pilot, lambda: showing(app, ReportViewerScreen))
        await idle(pilot)
        viewer = app.screen
        assert isinstance(viewer, ReportViewerScreen)
        tree = viewer.query_one(StepTree)
        steps = [node for node in tree._pre_order() if node.data is not None]
        passed = next(n for n in reversed(steps) if str(n.data.status) == "P" and n.data.name)
        await pilot.press("slash")
        await pilot.pause()
        bar = viewer.query_one(FindBar)
        assert bar.can_filter_failed
        await pilot.press(*str(passed.data.name))
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data is not None
        assert tree.cursor_node.data.name == passed.data.name
        # Failed steps only: the cursor jumps to failing steps, and Down walks through them.
        await pilot.press(*["backspace"] * len(str(passed.data.name)), "ctrl+f")
        await pilot.pause()
        failing = {n.id for n in steps if str(n.data.status) in ("F", "E", "T")}
        assert bar.failed_only and set(bar.matches) == failing and failing
        seen = set()
        for _ in range(len(failing)):
            assert tree.cursor_node is not None
            seen.add(tree.cursor_node.id)
            await pilot.press("down")
        assert seen == failing
        await pilot.press("enter")  # to the tree, at the step
        assert app.focused is tree


@pytest.mark.start_screen("reports")
async def test_c_copies_the_serial_of_a_report_and_a_measured_value(
    shell_app: ShellAppFactory, emulator: InProcessEmulator
) -> None:
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, "reports")
        reports = app.screen
        assert isinstance(reports, ReportsScreen)
        table = reports.query_one("#reports-table", DataTable)
        await wait_until(pilot, lambda: table.row_count > 0)
        table.focus()
        await pilot.pause()
        serial_column = [cell_text(c.label) for c in table.ordered_columns].index("Serial")
        serial = cell_text(table.get_row_at(table.cursor_row)[serial_column])
        await pilot.press("c")
        assert app.clipboard == serial  # the serial, whichever column comes first
        viewer = await _report_viewer(pilot)
        tree = viewer.query_one(StepTree)
        step = next(
            n
            for n in tree._pre_order()
            if n.data is not None
            and len(n.data.numeric_meas or []) == 1
            and isinstance(n.data.numeric_meas[0].value, float)
        )
        tree.select_step(step)
        tree.focus()
        await pilot.pause()
        await pilot.press("c")
        assert step.data is not None and step.data.numeric_meas
        meas = step.data.numeric_meas[0]
        assert app.clipboard == f"{meas.value:g} {meas.unit or ''}".strip()
