"""What the Units screen shows of a unit: its card and its assembly tree.

Both are plain renderers of SDK models; the screen fetches the data through its worker.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from rich.console import Console, ConsoleRenderable, RenderableType
from rich.table import Table
from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from pywats.domains.production import Unit, UnitPhaseFlag, UnitVerificationGrade

__all__ = ["AssemblyTree", "UnitCard", "UnitView", "phase_style"]

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


def phase_style(phase_id: int | None) -> str:
    return _PHASE_STYLES.get(phase_id, "") if phase_id is not None else ""  # type: ignore[call-overload]


@dataclass(frozen=True)
class UnitView:
    """A unit as the screen shows it: the assembly, its grade and its process name."""

    unit: Unit
    grade: UnitVerificationGrade | None
    process_name: str | None


class UnitCard(Static):
    """Part number, revision, phase, process, batch, grade... of the unit on display."""

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
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        # Every value is a Text: server strings are never read as markup.
        table.add_column(overflow="fold")
        table.add_row("Serial", Text(unit.serial_number, style="bold"))
        table.add_row("Part", Text(unit.part_number))
        name = unit.product.name if unit.product and unit.product.name else None
        if name:
            table.add_row("Product", Text(name))
        table.add_row("Revision", Text(unit.revision or "-"))
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
        self.update(table)

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


class AssemblyTree(Tree[Unit]):
    """The unit and everything built into it; each node's data is its Unit."""

    def show_assembly(self, unit: Unit) -> None:
        self.clear()
        self.root.set_label(self._label(unit))
        self.root.data = unit
        self._add_sub_units(self.root, unit)
        self.root.expand_all()
        self.move_cursor(self.root)

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
