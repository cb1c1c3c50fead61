"""The Processes screen: the operations a station runs, filtered by type, and the fail-code
tree of a repair operation.

Left: processes (code, name, type, state) of the chosen type, optionally with inactive ones.
Right: the highlighted process; for a repair operation, its categories with their fail codes
(selectable codes are the ones a repair can record). Keys: f cycle the type filter,
i include inactive, r reload; Escape cancels a load.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, DataTable, Select, Static, Tree

from pywats.domains.process import ProcessInfo, ProcessType, RepairOperation
from tui.navigation import register_screen
from tui.screen import WATSScreen
from tui.widgets.state import state_text
from tui.widgets.table import Table

__all__ = ["ProcessesScreen", "process_types"]

_ALL = "all"
_TYPES: list[tuple[str, str]] = [
    ("All types", _ALL),
    ("Test", ProcessType.TEST.value),
    ("Repair", ProcessType.REPAIR.value),
    ("WIP", ProcessType.WIP.value),
]
_BINDING_WORDS = {0: "required", 1: "optional", 2: "never"}


def process_types(process: ProcessInfo) -> str:
    kinds = [
        word
        for word, flag in (
            ("Test", process.is_test_operation),
            ("Repair", process.is_repair_operation),
            ("WIP", process.is_wip_operation),
        )
        if flag
    ]
    return ", ".join(kinds) or "Other"


@register_screen(
    key="4",
    title="Processes",
    label="Processes",
    description="Test, repair and WIP operations; repair fail codes",
)
class ProcessesScreen(WATSScreen):
    AUTO_FOCUS = "#processes-table"
    BINDINGS = [
        Binding("f", "cycle_type", "Type filter", id="processes-type"),
        Binding("i", "toggle_inactive", "Inactive", id="processes-inactive"),
        Binding("r", "reload", "Reload", id="processes-reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.processes: dict[int, ProcessInfo] = {}

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="processes-filter-bar"):
            yield Select(
                _TYPES, value=_ALL, allow_blank=False, id="processes-type-select", compact=True
            )
            yield Checkbox("Include inactive", False, id="processes-include-inactive", compact=True)
        with Horizontal(id="processes-main"):
            yield Table(id="processes-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="process-detail"):
                yield Static("Select a process.", id="process-summary", markup=False)
                yield Tree("Fail codes", id="process-failcodes")

    def on_mount(self) -> None:
        table = self.query_one("#processes-table", DataTable)
        table.add_column("Code", key="code")
        table.add_column("State", key="state")
        table.add_column("Type", key="type")
        table.add_column("Name", key="name")  # last: a long name is cut, not the rest
        self.query_one("#process-failcodes", Tree).display = False
        self.action_reload()

    # ----------------------------------------------------------------- the list

    @property
    def type_filter(self) -> ProcessType | None:
        value = self.query_one("#processes-type-select", Select).value
        return None if value == _ALL else ProcessType(str(value))

    @property
    def include_inactive(self) -> bool:
        return self.query_one("#processes-include-inactive", Checkbox).value

    def action_reload(self) -> None:
        kind, inactive = self.type_filter, self.include_inactive
        process = self.wats.process

        async def fetch() -> list[ProcessInfo]:
            if kind is None:
                return await process.get_processes(include_inactive_processes=inactive)
            return await process.get_processes_of_type(kind, include_inactive=inactive)

        self.run_task(
            "list",
            fetch,
            self.show_processes,
            controls=["reload"],
            loading="#processes-table",
            description="Loading processes",
            supersede=True,  # the newest filter wins
        )

    def show_processes(self, processes: list[ProcessInfo]) -> None:
        table = self.query_one("#processes-table", DataTable)
        table.clear()
        self.processes = {p.code: p for p in processes}
        for process in sorted(processes, key=lambda p: p.code):
            table.add_row(
                str(process.code),
                state_text(process.is_active),
                process_types(process),
                Text(process.name),  # Text: DataTable reads str cells as markup
                key=str(process.code),
            )
        if not processes:
            self._show_summary(None)

    @on(Select.Changed, "#processes-type-select")
    @on(Checkbox.Changed, "#processes-include-inactive")
    def _filter_changed(self) -> None:
        self.action_reload()

    def action_cycle_type(self) -> None:
        select = self.query_one("#processes-type-select", Select)
        values = [value for _, value in _TYPES]
        select.value = values[(values.index(str(select.value)) + 1) % len(values)]

    def action_toggle_inactive(self) -> None:
        self.query_one("#processes-include-inactive", Checkbox).toggle()

    # ----------------------------------------------------------------- the detail

    @on(DataTable.RowHighlighted, "#processes-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        code = event.row_key.value
        process = self.processes.get(int(code)) if code is not None else None
        self._show_summary(process)
        tree = self.query_one("#process-failcodes", Tree)
        if process is None or not process.is_repair_operation:
            tree.display = False
            return
        if process.repair_operation is not None:
            self.show_fail_codes(process, process.repair_operation)
            return
        # Servers that leave the configuration out of the list have it one call away.
        self.run_task(
            "failcodes",
            lambda: self.wats.process.get_repair_operation(process.code),
            lambda operation: self.show_fail_codes(process, operation),
            loading="#process-failcodes",
            description=f"Loading fail codes of {process.name}",
            supersede=True,
        )

    def _show_summary(
        self, process: ProcessInfo | None, operation: RepairOperation | None = None
    ) -> None:
        summary = self.query_one("#process-summary", Static)
        if process is None:
            summary.update("No process is selected.")
            return
        text = Text()
        text.append(f"{process.code}  {process.name}", style="bold")
        text.append("  ")
        text.append_text(state_text(process.is_active))
        text.append(f"\n{process_types(process)} operation", style="dim")
        if process.description:
            text.append(f"\n{process.description}", style="italic")
        if operation is not None:
            needs = [
                f"{what} {_BINDING_WORDS.get(value, str(value))}"
                for what, value in (
                    ("UUT", operation.uut_required),
                    ("BOM", operation.bom_required),
                    ("vendor", operation.vendor_required),
                )
                if value is not None
            ]
            if needs:
                text.append(f"\nA repair names: {', '.join(needs)}", style="dim")
        summary.update(text)

    def show_fail_codes(self, process: ProcessInfo, operation: RepairOperation | None) -> None:
        tree = self.query_one("#process-failcodes", Tree)
        tree.clear()
        tree.display = True
        if operation is None:
            tree.root.set_label(Text(f"{process.name}: no repair configuration"))
            return
        self._show_summary(process, operation)
        tree.root.set_label(Text("Fail codes"))
        for category in sorted(operation.categories, key=lambda c: c.sort_order or 0):
            branch = tree.root.add(Text(category.description, style="bold"), expand=True)
            for code in sorted(category.failcodes, key=lambda c: c.sort_order or 0):
                label = Text(code.description)
                if not code.selectable:
                    label.stylize("dim")
                    label.append(" (not selectable)", style="dim italic")
                branch.add_leaf(label)
        tree.root.expand()
