"""The Units screen: a technician's scan station. Scan a serial number, read the unit card
(phase, grade, the last test with its result, date, station and process), its assembly and its
test history; open the latest failed report at its failing step; submit a repair.

Scanner-safe: a barcode scanner is a keyboard that types fast and presses Enter, so

- the serial field is the screen's home widget and keeps the focus after every look-up,
  whether it finds the unit, finds nothing or the server is down;
- Enter submits the look-up, and an Enter on the empty field does nothing (a scanner that ends
  with CR LF, or an extra Enter, never moves the focus to where letters are commands);
- a part number is asked for only when a serial number is shared by several units, in a
  chooser inside the card: ↓/↑ move in it while the focus stays in the scan field, Enter opens
  the highlighted unit, and the next scan is simply the next look-up;
- a failed look-up replaces the previous unit, its tree and its history with the failure.

Tab (or ↓) moves to the assembly tree, where the letter keys act on the highlighted unit: set
its phase, build a child into it, take it out of its parent, open it on its own, go to its
parent, open its history in the Reports screen. F3 opens the latest failed test report at its
failing step, F4 starts a repair of the unit; both work from the scan field too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, OptionList
from textual.widgets.option_list import Option

from pywats.client import AsyncWATS
from pywats.domains.production import Unit, UnitPhase, UnitVerificationGrade
from pywats.domains.production.service import check_serial_number
from pywats.domains.report import UUTReport
from pywats.domains.report.query import ReportHeader
from pywats.errors import WATSError, WATSStatusError, WATSValidationError
from tui.errors import describe_error
from tui.navigation import register_screen
from tui.screen import WATSScreen
from tui.screens.report_viewer import ReportViewerScreen
from tui.screens.reports import open_unit_history
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.production_dialogs import ChildUnitDialog, PhasePicker, UnitByPartDialog
from tui.widgets.repair_dialog import (
    RepairDialog,
    RepairProcess,
    RepairRequest,
    build_repair,
    describe_repair,
)
from tui.widgets.unit_views import AssemblyTree, HistoryTable, UnitCard, UnitView, header_when
from tui.workers import WorkerScreen

__all__ = ["Ambiguous", "NotFound", "UnitNotResolved", "UnitsScreen", "resolve_part_number"]

# Actions that need a unit on display.
_UNIT_ACTIONS = {
    "set_phase",
    "add_child",
    "remove_child",
    "open_selected",
    "parent",
    "history",
    "reload",
    "open_failed",
    "repair",
}
# Actions that need a failed test report of the unit on display.
_FAILED_ACTIONS = {"open_failed", "repair"}
# How many of a serial number's reports the look-up reads: its history, and its part numbers.
HISTORY_TOP = 100


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


@dataclass(frozen=True)
class NotFound:
    """No unit: the serial has no reports (and no part number was given), or no such unit."""

    serial_number: str
    part_number: str | None = None


@dataclass(frozen=True)
class Ambiguous:
    """Several units share the serial number: one per part number, newest report first."""

    serial_number: str
    choices: list[ReportHeader] = field(default_factory=list)


def _part_numbers(headers: list[ReportHeader]) -> list[ReportHeader]:
    """The newest report of each part number the headers name (they come newest first)."""
    seen: dict[str, ReportHeader] = {}
    for header in headers:
        key = (header.part_number or "").casefold()
        if key and key not in seen:
            seen[key] = header
    return list(seen.values())


@register_screen(
    key="3",
    title="Units",
    label="Units",
    description="Scan a unit: card, assembly, test history, failed report, repair",
)
class UnitsScreen(WATSScreen):
    NAV_NAME = "units"
    # The scan field is the home widget: focused when the screen opens, and after each look-up.
    # Escape from it goes to the assembly tree, where letters and digits are commands.
    HOME = "#unit-serial"
    LIST = "#unit-tree"
    AUTO_FOCUS = "#unit-serial"
    # Typing a serial number in the command palette (ctrl+p) offers "Go to unit <serial>".
    PALETTE_LOOKUPS: ClassVar[dict[str, str]] = {"Go to unit": "open_unit"}
    BINDINGS = [
        # F-keys: they work from the scan field, where letters are serial-number characters.
        Binding("f3", "open_failed", "Failed", tooltip="Latest failed test report, at its step"),
        Binding("f4", "repair", "Repair", tooltip="Submit a repair (UUR) of the failed unit"),
        Binding("p", "set_phase", "Phase", tooltip="Set the phase of the highlighted unit"),
        Binding("h", "history", "History", tooltip="Test history on the Reports screen"),
        Binding(
            "a", "add_child", "Add child", show=False, tooltip="Build a unit into the highlighted"
        ),
        Binding(
            "x",
            "remove_child",
            "Remove",
            show=False,
            tooltip="Take the highlighted unit out of its parent",
        ),
        Binding("n", "serial_numbers", "Serials", show=False, tooltip="Serial-number pools"),
        Binding(
            "o", "open_selected", "Open", show=False, tooltip="Open the highlighted unit on its own"
        ),
        Binding("g", "parent", "Parent", show=False, tooltip="Open the unit this one is in"),
        Binding("r", "reload", "Reload", show=False, tooltip="Read the unit again"),
        Binding("f", "open_failed", "Failed", show=False, tooltip="Latest failed report"),
        Binding("u", "repair", "Repair", show=False, tooltip="Submit a repair (UUR)"),
        Binding(
            "ctrl+o",
            "open_by_part",
            "Open by PN",
            show=False,
            tooltip="Open a unit by serial and part number (one never tested)",
        ),
        Binding("slash", "focus_scan", "Scan", show=False, tooltip="Back to the serial field"),
        # In the scan field: move in the part-number chooser, or on to the assembly.
        Binding("down", "scan_down", "Down", show=False),
        Binding("up", "scan_up", "Up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: UnitView | None = None
        self.choosing: Ambiguous | None = None
        self._process_names: dict[str, str] | None = None
        self._phases: list[UnitPhase] | None = None
        self._repair_processes: list[RepairProcess] | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="unit-scan"):
            yield Label("Scan SN", classes="scan-label")
            yield Input(placeholder="scan or type a serial number, Enter", id="unit-serial")
        with Horizontal(id="unit-main"):
            with Vertical(id="unit-card-pane"):
                yield UnitCard(
                    "Scan a serial number to open a unit.\n\nTab moves to the assembly, where "
                    "the letter keys act on the highlighted unit.",
                    id="unit-card",
                )
                yield OptionList(id="unit-choices")
            with Vertical(id="unit-side"):
                yield AssemblyTree("No unit", id="unit-tree")
                yield HistoryTable(id="unit-history")

    def on_mount(self) -> None:
        self.query_one("#unit-card-pane").border_title = "Unit"
        tree = self.query_one(AssemblyTree)
        tree.border_title = "Assembly"
        tree.border_subtitle = "Tab: keys act here"
        history = self.query_one(HistoryTable)
        history.border_title = "Test history"
        history.border_subtitle = "Enter opens"
        self.query_one("#unit-choices", OptionList).display = False
        self.scan_field.focus()

    @property
    def scan_field(self) -> Input:
        return self.query_one("#unit-serial", Input)

    # ----------------------------------------------------------------- scanning

    @on(Input.Submitted, "#unit-serial")
    def _scanned(self, event: Input.Submitted) -> None:
        event.stop()
        serial = event.value.strip()
        if not serial:
            # An empty Enter (a scanner's CR LF, a habit): opens the highlighted choice, if
            # the chooser has one, and otherwise does nothing. The focus stays here.
            self._open_choice()
            return
        # Selected, so the next scan replaces it should this look-up fail or be cancelled
        # (arrow keys still allow correcting it); a unit that opens clears it.
        self.scan_field.select_all()
        self.open_unit(serial)

    def open_unit(self, serial_number: str, part_number: str = "", *, keep: bool = False) -> None:
        """Look a unit up and show it; the newest request wins (a second scan replaces it).

        ``keep`` leaves the unit on display until the answer comes (a reload); a new scan
        replaces it at once, so nothing stale can pass for the unit just scanned.
        """
        serial_number = serial_number.strip()
        if not keep:
            self._clear(f"Looking up {serial_number}…")
        self.run_task(
            "load",
            lambda: self._load(serial_number, part_number),
            self._show,
            lambda error: self._load_failed(serial_number, error),
            controls=sorted(_UNIT_ACTIONS),
            loading="#unit-main",
            description=f"Opening {serial_number}",
            supersede=True,
            on_cancelled=lambda: self._cancelled(serial_number),
        )

    async def _load(self, serial_number: str, part_number: str) -> UnitView | NotFound | Ambiguous:
        """Every request that can run at once does: the history and the process names, then
        the assembly and the grade (all four at once when the part number is known)."""
        check_serial_number(serial_number)
        wats = self.wats
        history = wats.report.get_headers_by_serial(serial_number, top=HISTORY_TOP)
        if part_number:
            headers, names, unit, grade = await asyncio.gather(
                history,
                self._process_name_map(),
                wats.production.get_assembly_tree(serial_number, part_number),
                self._grade(serial_number, part_number),
            )
        else:
            headers, names = await asyncio.gather(history, self._process_name_map())
            parts = _part_numbers(headers)
            if not parts:
                return NotFound(serial_number)
            if len(parts) > 1:
                return Ambiguous(serial_number, parts)
            part_number = parts[0].part_number or ""
            unit, grade = await asyncio.gather(
                wats.production.get_assembly_tree(serial_number, part_number),
                self._grade(serial_number, part_number),
            )
        if unit is None:
            return NotFound(serial_number, part_number)
        mine = [h for h in headers if (h.part_number or "").casefold() == part_number.casefold()]
        return UnitView(unit, grade, names.get(unit.process_code or ""), mine)

    async def _grade(self, serial_number: str, part_number: str) -> UnitVerificationGrade | None:
        """The grade, or None when the server cannot grade it: the card still shows the unit."""
        try:
            return await self.wats.production.get_unit_grade(serial_number, part_number)
        except WATSStatusError:
            return None

    async def _process_name_map(self) -> dict[str, str]:
        if self._process_names is None:
            processes = await self.wats.process.get_all_processes()
            self._process_names = {str(p.code): p.name for p in processes}
        return self._process_names

    def _show(self, result: UnitView | NotFound | Ambiguous) -> None:
        if isinstance(result, UnitView):
            self.view = result
            self._hide_choices()
            self.query_one(UnitCard).show_unit(result)
            self.query_one(AssemblyTree).show_assembly(result.unit)
            self.query_one(HistoryTable).show_history(result.history)
            self.scan_field.value = ""
        elif isinstance(result, Ambiguous):
            self._clear()
            self._show_choices(result)
            # Empty, so that Enter opens the highlighted choice (the card names the serial).
            self.scan_field.value = ""
        else:
            self._clear()
            self._show_not_found(result)
            self.scan_field.select_all()
        self.refresh_bindings()
        self.scan_field.focus()

    def _show_not_found(self, result: NotFound) -> None:
        card = self.query_one(UnitCard)
        if result.part_number:
            card.show_failure(
                f"{result.serial_number} not found",
                f"The server has no unit {result.serial_number} with part number "
                f"{result.part_number}.",
                "Check the label and scan again.",
            )
        else:
            card.show_failure(
                f"{result.serial_number} not found",
                f"No unit or test report on the server has serial number {result.serial_number}.",
                "Check the label and scan again. A unit that was never tested: ctrl+o opens it "
                "by its part number.",
            )

    def _load_failed(self, serial_number: str, error: Exception) -> None:
        self._clear()
        card = self.query_one(UnitCard)
        if isinstance(error, WATSValidationError):
            # Not a server problem, and nothing was sent: say what is wrong with the scan.
            card.show_failure("Not a serial number", str(error), "Scan again.")
        else:
            friendly = describe_error(error)
            card.show_failure(
                f"Could not look up {serial_number}",
                f"{friendly.title}: {friendly.message}",
                "Nothing is shown until a look-up works. Scan again.",
            )
            self._notify_error(error)  # the worker pattern's notification, kept in the log
        self.scan_field.select_all()
        self.scan_field.focus()

    def _cancelled(self, serial_number: str) -> None:
        if self.view is None:
            self.query_one(UnitCard).show_message(f"Cancelled the look-up of {serial_number}.")
        self.scan_field.focus()

    def _clear(self, message: str = "") -> None:
        """No unit on display: card, tree, history and chooser emptied."""
        self.view = None
        self._hide_choices()
        self.query_one(UnitCard).show_message(message)
        self.query_one(AssemblyTree).show_nothing()
        self.query_one(HistoryTable).show_nothing()
        self.refresh_bindings()

    # ----------------------------------------------------------------- the part-number chooser

    def _show_choices(self, ambiguous: Ambiguous) -> None:
        self.choosing = ambiguous
        self.query_one(UnitCard).show_failure(
            f"{ambiguous.serial_number}: {len(ambiguous.choices)} units",
            "Several products use this serial number. Pick the part number below.",
            "↓↑ choose, Enter opens. Scanning again starts a new look-up.",
        )
        choices = self.query_one("#unit-choices", OptionList)
        choices.clear_options()
        for header in ambiguous.choices:
            prompt = Text(header.part_number or "", style="bold")
            # Its newest report: when and where it was tested, to tell the two apart.
            prompt.append(f"  {header_when(header.start)} {header.station_name or ''}", style="dim")
            choices.add_option(Option(prompt, id=header.part_number))
        # Nothing highlighted: an Enter that comes with the scan opens nothing by itself.
        choices.highlighted = None
        choices.display = True

    def _hide_choices(self) -> None:
        self.choosing = None
        choices = self.query_one("#unit-choices", OptionList)
        choices.display = False
        choices.clear_options()

    def _open_choice(self, part_number: str | None = None) -> None:
        ambiguous = self.choosing
        if ambiguous is None:
            return
        if part_number is None:
            choices = self.query_one("#unit-choices", OptionList)
            if choices.highlighted is None:
                return
            part_number = choices.get_option_at_index(choices.highlighted).id
        if part_number:
            self.open_unit(ambiguous.serial_number, part_number)
        self.scan_field.focus()

    @on(OptionList.OptionSelected, "#unit-choices")
    def _choice_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_choice(event.option.id)

    def action_scan_down(self) -> None:
        if self.choosing is not None:
            self.query_one("#unit-choices", OptionList).action_cursor_down()
        else:
            self.query_one(AssemblyTree).focus()

    def action_scan_up(self) -> None:
        if self.choosing is not None:
            self.query_one("#unit-choices", OptionList).action_cursor_up()

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("scan_down", "scan_up"):
            return self.focused is self.scan_field  # elsewhere the arrows are the widget's
        if action in _UNIT_ACTIONS and self.view is None:
            return False
        if action in _FAILED_ACTIONS and self.view is not None and not self.view.failed_tests:
            return False  # offered only for a unit with a failed test
        return super().check_action(action, parameters)

    def _selected(self) -> tuple[Unit, Unit | None] | None:
        return self.query_one(AssemblyTree).selected_unit()

    def action_focus_scan(self) -> None:
        self.scan_field.focus()

    def action_cancel_tasks(self) -> None:
        """Escape while a look-up runs cancels it; the focus stays in the scan field, since
        what comes next on a station is the next scan."""
        WorkerScreen.action_cancel_tasks(self)
        if self.view is None:
            self.scan_field.focus()

    def action_reload(self) -> None:
        if self.view is not None:
            self.open_unit(self.view.unit.serial_number, self.view.unit.part_number, keep=True)

    def action_open_by_part(self) -> None:
        def entered(answer: tuple[str, str] | None) -> None:
            self.scan_field.focus()
            if answer is not None:
                self.open_unit(*answer)

        self.app.push_screen(UnitByPartDialog(self.scan_field.value.strip()), entered)

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

    def action_open_failed(self) -> None:
        """The latest failed test report, in the viewer with the cursor on its failing step."""
        header = self.view.latest_failed if self.view is not None else None
        if header is None or header.uuid is None:
            return
        self._open_report(header)

    def _open_report(self, header: ReportHeader) -> None:
        from tui.widgets.analytics_views import SEP, StepReportViewer

        assert header.uuid is not None
        path = header.caused_uut_failure_path
        if header.failed and path:
            self.app.push_screen(StepReportViewer(header.uuid, path.replace("/", SEP), header))
        else:
            self.app.push_screen(ReportViewerScreen(header.uuid, header))

    @on(DataTable.RowSelected, "#unit-history")
    def _history_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.view is None:
            return
        uuid = event.row_key.value
        header = next((h for h in self.view.history if h.uuid == uuid), None)
        if header is not None:
            self._open_report(header)

    # ----------------------------------------------------------------- repairs

    def action_repair(self) -> None:
        view = self.view
        if view is None or not view.failed_tests:
            return
        if self._repair_processes is not None:
            self._pick_repair(view, self._repair_processes)
            return
        self.run_task(
            "repair-setup",
            self._load_repair_processes,
            lambda processes: self._pick_repair(view, processes),
            controls=["repair"],
            description="Reading the repair operations",
        )

    async def _load_repair_processes(self) -> list[RepairProcess]:
        """Every active repair operation with its fail-code tree, read at once."""
        operations = await self.wats.process.get_repair_operations()
        trees = await asyncio.gather(
            *(self.wats.process.get_repair_categories(op.code) for op in operations)
        )
        return [
            RepairProcess(op.code, op.name, categories)
            for op, categories in zip(operations, trees, strict=True)
        ]

    def _pick_repair(self, view: UnitView, processes: list[RepairProcess]) -> None:
        self._repair_processes = processes
        if not processes:
            self.notify("The server has no repair operation to submit a repair to.",
                        severity="warning")  # fmt: skip
            return

        def picked(request: RepairRequest | None) -> None:
            self.scan_field.focus()
            if request is not None:
                self._confirm_repair(view, request)

        self.app.push_screen(RepairDialog(label(view.unit), view.failed_tests, processes), picked)

    def _confirm_repair(self, view: UnitView, request: RepairRequest) -> None:
        self._confirm(
            f"Submit a repair of {label(view.unit)} to the server?",
            describe_repair(request),
            "Submit repair",
            lambda: self.run_task(
                "repair-submit",
                lambda: self._submit_repair(request),
                self._repair_submitted,
                controls=sorted(_UNIT_ACTIONS),
                loading="#unit-main",
                description=f"Submitting the repair of {view.unit.serial_number}",
            ),
        )

    async def _submit_repair(self, request: RepairRequest) -> str:
        assert request.report.uuid is not None
        failed = await self.wats.report.get_report(request.report.uuid)
        if not isinstance(failed, UUTReport):
            raise WATSValidationError(
                f"the failed report {request.report.uuid} is no longer on the server",
                field="report",
            )
        return await self.wats.report.submit(build_repair(failed, request))

    def _repair_submitted(self, report_id: str) -> None:
        """Read the unit again (the repair heads its history now), then open the repair."""
        self.notify(f"Repair {report_id} saved.", title="Saved", markup=False)
        view = self.view
        if view is None:
            self.app.push_screen(ReportViewerScreen(report_id))
            return
        serial, part = view.unit.serial_number, view.unit.part_number

        def shown(result: UnitView | NotFound | Ambiguous) -> None:
            self._show(result)
            self.app.push_screen(ReportViewerScreen(report_id))

        def failed(error: Exception) -> None:
            self._load_failed(serial, error)
            self.app.push_screen(ReportViewerScreen(report_id))

        # Before the viewer opens, not when coming back: leaving a screen cancels its work.
        self.run_task(
            "load",
            lambda: self._load(serial, part),
            shown,
            failed,
            controls=sorted(_UNIT_ACTIONS),
            loading="#unit-main",
            description=f"Reading {serial} again",
            supersede=True,
        )

    # ----------------------------------------------------------------- phase and assembly

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
                self._child_not_resolved,
                controls=["add_child"],
                description=f"Finding {serial}",
            )

        self.app.push_screen(ChildUnitDialog(label(parent)), entered)

    def _child_not_resolved(self, error: Exception) -> None:
        if isinstance(error, UnitNotResolved | WATSValidationError):
            self.notify(str(error), title="Which unit?", severity="warning", markup=False)
        else:
            self._notify_error(error)

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

    def _confirm(
        self,
        question: str,
        detail: str,
        confirm: str,
        then: Callable[[], object],
    ) -> None:
        def answered(yes: bool | None) -> None:
            self.scan_field.focus()
            if yes:
                then()

        self.app.push_screen(ConfirmDialog(question, detail, confirm=confirm), answered)

    def _change(self, group: str, work: Callable[[], Awaitable[Any]], done: str) -> None:
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
