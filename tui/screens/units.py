"""The Units screen: scan a serial number, see the unit card and its assembly, move it on.

A barcode scanner is a keyboard that types fast and presses Enter, so the serial-number field
opens the unit on Enter, is cleared and keeps the focus for the next scan. The part number
field is optional and stays filled between scans (a station usually works on one product);
left empty, the part number is found from the serial number's test reports.

Enter on the empty field (or Tab) moves to the assembly tree. Its action keys apply to the
highlighted unit (the top one by default): set its phase, build a child into it, take it out
of its parent, open it on its own, go to its parent, open its test history in the Reports
screen. After a change the unit is read again and the focus is back on the scan field.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from pywats.client import AsyncWATS
from pywats.domains.production import Unit, UnitPhase, UnitVerificationGrade
from pywats.errors import WATSError, WATSStatusError, WATSValidationError
from tui.navigation import register_screen
from tui.screen import WATSScreen
from tui.screens.reports import open_unit_history
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.production_dialogs import ChildUnitDialog, PhasePicker
from tui.widgets.unit_views import AssemblyTree, UnitCard, UnitView

__all__ = ["UnitNotResolved", "UnitsScreen", "resolve_part_number"]

# Actions that need a unit on display.
_UNIT_ACTIONS = {
    "set_phase",
    "add_child",
    "remove_child",
    "open_selected",
    "parent",
    "history",
    "reload",
}


class UnitNotResolved(WATSError):
    """A serial number alone did not say which unit: no reports, or several products."""


async def resolve_part_number(wats: AsyncWATS, serial_number: str, part_number: str) -> str:
    """The part number to use: the given one, or the only one the serial's reports name."""
    if part_number:
        return part_number
    found = await wats.production.find_part_numbers(serial_number)
    if not found:
        raise UnitNotResolved(
            f"{serial_number} has no test reports to tell its part number; "
            "enter the part number too."
        )
    if len(found) > 1:
        raise UnitNotResolved(
            f"{serial_number} was tested as {', '.join(found)}; enter which part number."
        )
    return found[0]


def label(unit: Unit) -> str:
    return f"{unit.serial_number} ({unit.part_number})"


@register_screen(
    key="3",
    title="Units",
    label="Units",
    description="Look up a unit by serial number; phase and assembly",
)
class UnitsScreen(WATSScreen):
    NAV_NAME = "units"
    # Typing a serial number in the command palette (ctrl+p) offers "Go to unit <serial>".
    PALETTE_LOOKUPS: ClassVar[dict[str, str]] = {"Go to unit": "open_unit"}
    BINDINGS = [
        Binding("p", "set_phase", "Phase", tooltip="Set the phase of the highlighted unit"),
        Binding("a", "add_child", "Add child", tooltip="Build a unit into the highlighted one"),
        Binding(
            "x", "remove_child", "Remove", tooltip="Take the highlighted unit out of its parent"
        ),
        Binding("h", "history", "History", tooltip="Test history of the highlighted unit"),
        Binding("n", "serial_numbers", "Serials", tooltip="Serial-number pools"),
        Binding(
            "o", "open_selected", "Open", show=False, tooltip="Open the highlighted unit on its own"
        ),
        Binding("g", "parent", "Parent", show=False, tooltip="Open the unit this one is in"),
        Binding("r", "reload", "Reload", show=False, tooltip="Read the unit again"),
        Binding("slash", "focus_scan", "Scan", show=False, tooltip="Back to the serial field"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: UnitView | None = None
        self._process_names: dict[str, str] | None = None
        self._phases: list[UnitPhase] | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="unit-scan"):
            yield Label("SN", classes="scan-label")
            yield Input(placeholder="scan or type a serial, Enter", id="unit-serial")
            yield Label("PN", classes="scan-label")
            yield Input(placeholder="part number (optional)", id="unit-part")
        with Horizontal(id="unit-main"):
            with Vertical(id="unit-card-pane"):
                yield UnitCard(
                    "Scan a serial number to open a unit.\n\nEnter on the empty field "
                    "moves to the assembly, where the keys below act on the highlighted unit.",
                    id="unit-card",
                )
            yield AssemblyTree("No unit", id="unit-tree")

    def on_mount(self) -> None:
        self.query_one("#unit-card-pane").border_title = "Unit"
        tree = self.query_one(AssemblyTree)
        tree.border_title = "Assembly"
        # The action keys work here, not while typing in the scan field: say how to get here.
        tree.border_subtitle = "empty Enter in SN: act here"
        self.query_one("#unit-serial", Input).focus()

    # ----------------------------------------------------------------- opening a unit

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        serial = self.query_one("#unit-serial", Input).value.strip()
        part = self.query_one("#unit-part", Input).value.strip()
        if not serial:
            # Enter on an empty field: on to the assembly, where the action keys work.
            self.query_one(AssemblyTree).focus()
            return
        # Selected, so the next scan replaces it rather than appending, should this one fail
        # or be cancelled; arrow keys still allow correcting it.
        self.query_one("#unit-serial", Input).select_all()
        self.open_unit(serial, part)

    def open_unit(self, serial_number: str, part_number: str = "") -> None:
        """Look a unit up and show it; the newest request wins (a second scan replaces it)."""
        self.run_task(
            "load",
            lambda: self._load(serial_number, part_number),
            self._show,
            self._load_failed,
            controls=sorted(_UNIT_ACTIONS),
            loading="#unit-main",
            description=f"Opening {serial_number}",
            supersede=True,
        )

    async def _load(self, serial_number: str, part_number: str) -> UnitView | str:
        wats = self.wats
        part_number = await resolve_part_number(wats, serial_number, part_number)
        unit, grade = await asyncio.gather(
            wats.production.get_assembly_tree(serial_number, part_number),
            self._grade(serial_number, part_number),
        )
        if unit is None:
            return (
                f"No unit {serial_number} with part number {part_number} on the server. "
                "Check the serial and part number."
            )
        return UnitView(unit, grade, await self._process_name(unit.process_code))

    async def _grade(self, serial_number: str, part_number: str) -> UnitVerificationGrade | None:
        """The grade, or None when the server cannot grade it: the card still shows the unit."""
        try:
            return await self.wats.production.get_unit_grade(serial_number, part_number)
        except WATSStatusError:
            return None

    async def _process_name(self, code: str | None) -> str | None:
        if not code:
            return None
        if self._process_names is None:
            processes = await self.wats.process.get_all_processes()
            self._process_names = {str(p.code): p.name for p in processes}
        return self._process_names.get(code)

    def _show(self, result: UnitView | str) -> None:
        card = self.query_one(UnitCard)
        tree = self.query_one(AssemblyTree)
        if isinstance(result, str):
            self.view = None
            card.show_message(result)
            tree.clear()
            tree.root.set_label("No unit")
            self.notify(result, title="Unit not found", severity="warning", markup=False)
        else:
            self.view = result
            card.show_unit(result)
            tree.show_assembly(result.unit)
            self.query_one("#unit-serial", Input).value = ""
        self.refresh_bindings()
        self.query_one("#unit-serial", Input).focus()

    def _load_failed(self, error: Exception) -> None:
        if isinstance(error, UnitNotResolved | WATSValidationError):
            # Not a server problem: say what to type, keep what was typed, go where it goes.
            self.query_one(UnitCard).show_message(str(error))
            self.notify(str(error), title="Which unit?", severity="warning", markup=False)
            bad_serial = isinstance(error, WATSValidationError) and "serial" in (error.field or "")
            self.query_one("#unit-serial" if bad_serial else "#unit-part", Input).focus()
            return
        self._notify_error(error)  # the worker pattern's own notification

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _UNIT_ACTIONS and self.view is None:
            return False
        return super().check_action(action, parameters)

    def _selected(self) -> tuple[Unit, Unit | None] | None:
        return self.query_one(AssemblyTree).selected_unit()

    def action_focus_scan(self) -> None:
        self.query_one("#unit-serial", Input).focus()

    def action_reload(self) -> None:
        if self.view is not None:
            self.open_unit(self.view.unit.serial_number, self.view.unit.part_number)

    def action_open_selected(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.open_unit(selected[0].serial_number, selected[0].part_number)

    def action_parent(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        unit, parent = selected
        if parent is not None:
            self.open_unit(parent.serial_number, parent.part_number)
        elif unit.parent_serial_number:
            self.open_unit(unit.parent_serial_number)
        else:
            self.notify(f"{label(unit)} is not built into another unit.", markup=False)

    def action_set_phase(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        unit = selected[0]
        if self._phases is not None:
            self._pick_phase(unit, self._phases)
            return
        self.run_task(
            "phases",
            lambda: self.wats.production.get_phases(),
            lambda phases: self._pick_phase(unit, phases),
            controls=["set_phase"],
            description="Reading unit phases",
        )

    def _pick_phase(self, unit: Unit, phases: list[UnitPhase]) -> None:
        self._phases = phases
        names = {p.unit_phase_id: p.name for p in phases}

        def picked(phase_id: int | None) -> None:
            if phase_id is None or phase_id == unit.unit_phase_id:
                return
            self._confirm(
                f"Set {label(unit)} to {names.get(phase_id, phase_id)}?",
                f"It is {unit.unit_phase or 'in no phase'} now.",
                "Set phase",
                lambda: self._change(
                    "set-phase",
                    lambda: self.wats.production.set_unit_phase(
                        unit.serial_number, unit.part_number, phase_id
                    ),
                    f"{label(unit)} is now {names.get(phase_id, phase_id)}.",
                ),
            )

        self.app.push_screen(PhasePicker(label(unit), phases, unit.unit_phase_id), picked)

    def action_add_child(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        parent = selected[0]

        def entered(child: tuple[str, str] | None) -> None:
            if child is None:
                return
            serial, part = child
            self.run_task(
                "resolve-child",
                lambda: resolve_part_number(self.wats, serial, part),
                lambda resolved: self._confirm_add(parent, serial, resolved),
                self._load_failed,
                controls=["add_child"],
                description=f"Finding {serial}",
            )

        self.app.push_screen(ChildUnitDialog(label(parent)), entered)

    def _confirm_add(self, parent: Unit, serial: str, part: str) -> None:
        self._confirm(
            f"Build {serial} ({part}) into {label(parent)}?",
            "The server checks it against the box build and its phase.",
            "Add child",
            lambda: self._change(
                "add-child",
                lambda: self.wats.production.add_child_unit(
                    parent.serial_number, parent.part_number, serial, part
                ),
                f"{serial} is now built into {parent.serial_number}.",
            ),
        )

    def action_remove_child(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        child, parent = selected
        if parent is None:
            self.notify(
                "Highlight a unit inside the assembly (not the top one) to take it out.",
                severity="warning",
            )
            return
        self._confirm(
            f"Take {label(child)} out of {label(parent)}?",
            "It stays a unit of its own, with no parent.",
            "Remove child",
            lambda: self._change(
                "remove-child",
                lambda: self.wats.production.remove_child_unit(
                    parent.serial_number,
                    parent.part_number,
                    child.serial_number,
                    child.part_number,
                ),
                f"{child.serial_number} is no longer in {parent.serial_number}.",
            ),
        )

    def action_history(self) -> None:
        selected = self._selected()
        if selected is not None:
            unit = selected[0]
            open_unit_history(self.app, unit.serial_number, unit.part_number)

    def action_serial_numbers(self) -> None:
        from tui.screens.serial_numbers import SerialNumbersScreen

        self.app.push_screen(SerialNumbersScreen())

    # ----------------------------------------------------------------- helpers

    def _confirm(self, question: str, detail: str, confirm: str, then: Any) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmDialog(question, detail, confirm=confirm), answered)

    def _change(self, group: str, work: Any, done: str) -> None:
        """Run a change, say it worked, and show the unit as the server now has it."""

        def changed(_: object) -> None:
            self.notify(done, title="Saved", markup=False)
            self.action_reload()

        self.run_task(
            group,
            work,
            changed,
            controls=sorted(_UNIT_ACTIONS),
            loading="#unit-main",
            description="Saving",
        )
