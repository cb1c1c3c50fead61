"""What the Units screen shows of a unit: its card, its assembly tree and its test history.

All three are plain renderers of SDK models; the screen fetches the data through its worker.
The card is what a technician reads first: the unit, its phase and grade, and the last test
with its result, date, station and process (and where it failed). A failed look-up replaces
everything with the failure, so a stale unit is never shown as if it were current.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

from rich.console import Console, ConsoleRenderable, RenderableType
from rich.table import Table as RichTable
from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from pywats.domains.production import Unit, UnitPhaseFlag, UnitVerificationGrade
from pywats.domains.report.query import ReportHeader
from tui.widgets.table import Table

__all__ = [
    "AssemblyTree",
    "HistoryTable",
    "UnitCard",
    "UnitView",
    "failure_step_path",
    "header_when",
    "phase_style",
    "result_text",
]

# Phases a technician must notice at a glance.
_PHASE_STYLES = {
    UnitPhaseFlag.FINALIZED: "bold green",
    UnitPhaseFlag.SHIPPED: "green",
    UnitPhaseFlag.IN_STORAGE: "green",
    UnitPhaseFlag.PRODUCTION_REPAIR: "bold yellow",
    UnitPhaseFlag.SERVICE_REPAIR: "bold yellow",
    UnitPhaseFlag.SCRAPPED: "bold red",
    UnitPhaseFlag.MISSING: "bold red",
}
_GRADE_STYLES = {"A": "bold green", "B": "green", "C": "yellow", "D": "yellow", "F": "bold red"}
# Header results -> (glyph, style); the same glyphs as the report viewer's step tree.
_RESULTS = {
    "passed": ("✓", "green"),
    "failed": ("✗", "bold red"),
    "error": ("!", "bold magenta"),
    "terminated": ("■", "bold yellow"),
    "done": ("•", ""),
}


def phase_style(phase_id: int | None) -> str:
    return _PHASE_STYLES.get(phase_id, "") if phase_id is not None else ""  # type: ignore[call-overload]


def header_when(moment: datetime | None) -> str:
    """``2025-12-30 15:54`` in the technician's local time (as the report viewer shows it)."""
    if moment is None:
        return "-"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def result_text(header: ReportHeader) -> Text:
    """``✗ Failed`` in its colour; a repair reads ``⚒ Repair``."""
    if header.is_repair:
        return Text("⚒ Repair", style="cyan")
    result = header.result or "?"
    glyph, style = _RESULTS.get(result.lower(), ("?", ""))
    return Text(f"{glyph} {result}", style=style)


def failure_step_path(header: ReportHeader) -> str | None:
    """``Communication / UART Loopback``: where a failed test failed, for people."""
    path = header.caused_uut_failure_path
    if not path:
        return None
    parts = path.split("/")
    if len(parts) > 1 and parts[0].lower().startswith("mainsequence"):
        parts = parts[1:]
    return " / ".join(parts)


@dataclass(frozen=True)
class UnitView:
    """A unit as the screen shows it: the assembly, its grade, process name and reports.

    ``history`` holds this unit's reports (tests and repairs), newest first.
    """

    unit: Unit
    grade: UnitVerificationGrade | None
    process_name: str | None
    history: list[ReportHeader] = field(default_factory=list)

    @property
    def tests(self) -> list[ReportHeader]:
        return [h for h in self.history if not h.is_repair]

    @property
    def last_test(self) -> ReportHeader | None:
        tests = self.tests
        return tests[0] if tests else None

    @property
    def failed_tests(self) -> list[ReportHeader]:
        """The unit's failed test reports, newest first: what a repair can refer to."""
        return [h for h in self.tests if h.failed and h.uuid]

    @property
    def latest_failed(self) -> ReportHeader | None:
        failed = self.failed_tests
        return failed[0] if failed else None


class UnitCard(Static):
    """Part number, revision, phase, process, grade and the last test of the unit on display."""

    def __init__(self, content: str = "", *, id: str | None = None) -> None:
        super().__init__(content, id=id)
        self._shown: RenderableType = content

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._shown = content if isinstance(content, str | ConsoleRenderable) else str(content)
        super().update(content, layout=layout)

    @property
    def plain(self) -> str:
        """What the card shows, as plain text (for tests and copying)."""
        console = Console(width=80, record=True, file=io.StringIO())
        console.print(self._shown)
        return console.export_text()

    def show_unit(self, view: UnitView) -> None:
        unit = view.unit
        table = RichTable.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        # Every value is a Text: server strings are never read as markup.
        table.add_column(overflow="fold")
        table.add_row("Serial", Text(unit.serial_number, style="bold"))
        part = Text(unit.part_number)
        part.append(f" rev {unit.revision or '-'}", style="dim")
        table.add_row("Part", part)
        name = unit.product.name if unit.product and unit.product.name else None
        if name:
            table.add_row("Product", Text(name))
        table.add_row(
            "Phase",
            Text(
                unit.unit_phase or str(unit.unit_phase_id or "-"),
                style=phase_style(unit.unit_phase_id),
            ),
        )
        process = unit.process_code or "-"
        if view.process_name:
            process = f"{unit.process_code} {view.process_name}"
        table.add_row("Process", Text(process))
        table.add_row("Batch", Text(unit.batch_number or "-"))
        table.add_row("Location", Text(unit.current_location or "-"))
        table.add_row("Parent", Text(unit.parent_serial_number or "-"))
        table.add_row(
            "Made", unit.serial_date.strftime("%Y-%m-%d %H:%M") if unit.serial_date else "-"
        )
        table.add_row("Grade", self._grade(view.grade))
        self._add_last_test(table, view)
        self.update(table)

    @staticmethod
    def _add_last_test(table: RichTable, view: UnitView) -> None:
        """The last test: result, when, where, which process, and where it failed."""
        last = view.last_test
        title = Text("Last test", style="bold underline")
        if last is None:
            table.add_row(title, Text("none on the server", style="dim"))
            return
        table.add_row(title, result_text(last))
        table.add_row("When", Text(header_when(last.start)))
        table.add_row("Station", Text(last.station_name or "-"))
        table.add_row("Test", Text(last.process_name or f"process {last.process_code}"))
        if last.failed:
            table.add_row("Step", Text(failure_step_path(last) or "-", style="red"))
        latest_failed = view.latest_failed
        if latest_failed is not None and latest_failed is not last:
            table.add_row("Last fail", Text(header_when(latest_failed.start), style="yellow"))

    @staticmethod
    def _grade(grade: UnitVerificationGrade | None) -> Text:
        if grade is None or not grade.grade:
            return Text("-")
        text = Text(grade.grade, style=_GRADE_STYLES.get(grade.grade, "bold"))
        if grade.status:
            text.append(f" {grade.status}")
        if grade.no_repairs is False:
            text.append(" (repaired)", style="yellow")
        return text

    def show_message(self, message: str) -> None:
        self.update(Text(message))  # Text, not markup: the message may quote a serial number

    def show_failure(self, title: str, message: str, hint: str = "") -> None:
        """A failed look-up, in place of the unit: what failed, why, and what to do."""
        text = Text(f"✗ {title}", style="bold red")
        text.append(f"\n\n{message}")
        if hint:
            text.append(f"\n\n{hint}", style="dim")
        self.update(text)


class HistoryTable(Table[Text]):
    """The unit's reports, newest first: when, result, process, station. Row keys are uuids.

    Columns are packed (no cell padding, one space after each value) so that the four fit
    beside the card at 80 columns; the result is its glyph (✓ ✗ ! ■, ⚒ for a repair).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cell_padding=0)

    def on_mount(self) -> None:
        self.add_column("When ", key="when")
        self.add_column("  ", key="result")
        self.add_column("Process ", key="process")
        self.add_column("Station", key="station")

    def show_history(self, headers: list[ReportHeader]) -> None:
        self.clear()
        for index, header in enumerate(headers):
            process = header.process_name or str(header.process_code or "")
            result = result_text(header)
            glyph = Text(result.plain.split(" ", 1)[0] + " ", style=result.style)
            self.add_row(
                Text(header_when(header.start) + " "),
                glyph,
                Text(process + " "),
                Text(header.station_name or ""),
                key=header.uuid or f"row-{index}",
            )
        if not headers:
            self.show_nothing("No reports for this unit.")

    def show_nothing(self, message: str = "") -> None:
        self.clear()
        if message:
            self.add_row(Text(message, style="italic"), Text(""), Text(""), Text(""))


class AssemblyTree(Tree[Unit]):
    """The unit and everything built into it; each node's data is its Unit."""

    def show_assembly(self, unit: Unit) -> None:
        self.clear()
        self.root.set_label(self._label(unit))
        self.root.data = unit
        self._add_sub_units(self.root, unit)
        self.root.expand_all()
        self.move_cursor(self.root)

    def show_nothing(self, label: str = "No unit") -> None:
        self.clear()
        self.root.data = None
        self.root.set_label(Text(label, style="dim"))

    def _add_sub_units(self, node: TreeNode[Unit], unit: Unit) -> None:
        for sub in unit.sub_units:
            child = node.add(self._label(sub), data=sub, allow_expand=bool(sub.sub_units))
            self._add_sub_units(child, sub)

    @staticmethod
    def _label(unit: Unit) -> Text:
        label = Text(unit.serial_number, style="bold")
        label.append(f" {unit.part_number}")
        if unit.revision:
            label.append(f" {unit.revision}", style="dim")
        if unit.unit_phase:
            label.append(f" {unit.unit_phase}", style=phase_style(unit.unit_phase_id) or "dim")
        return label

    def selected_unit(self) -> tuple[Unit, Unit | None] | None:
        """The highlighted unit and the unit it is built into (None for the top of the tree)."""
        node = self.cursor_node
        if node is None or node.data is None:
            return None
        parent = node.parent.data if node.parent is not None else None
        return node.data, parent
