"""Small modal dialogs of the Units and Serial numbers screens. They only collect input; the
screen beneath makes every server call through its worker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pywats.domains.production import UnitPhase

__all__ = ["ChildUnitDialog", "PhasePicker", "UnitByPartDialog"]


class PhasePicker(ModalScreen[int | None]):
    """Pick a unit phase; returns its id, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, unit_label: str, phases: list[UnitPhase], current: int | None) -> None:
        super().__init__()
        self.unit_label = unit_label
        self.phases = phases
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="phase-panel", classes="production-dialog"):
            yield Static(Text(f"Set the phase of {self.unit_label}"), classes="dialog-title")
            yield OptionList(
                *(
                    Option(
                        Text(f"{p.name}{'  (current)' if p.unit_phase_id == self.current else ''}"),
                        id=str(p.unit_phase_id),
                    )
                    for p in self.phases
                ),
                id="phase-options",
            )
            yield Static("Enter picks, Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for index, phase in enumerate(self.phases):
            if phase.unit_phase_id == self.current:
                options.highlighted = index
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChildUnitDialog(ModalScreen[tuple[str, str] | None]):
    """Scan or type the child's serial number (and part number, if the serial is not enough).

    Returns ``(serial, part)`` with ``part`` possibly empty, or None when cancelled.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, parent_label: str) -> None:
        super().__init__()
        self.parent_label = parent_label

    def compose(self) -> ComposeResult:
        with Vertical(id="child-panel", classes="production-dialog"):
            yield Static(Text(f"Add a child unit to {self.parent_label}"), classes="dialog-title")
            yield Label("Child serial number")
            yield Input(placeholder="scan or type, Enter", id="child-serial")
            yield Label("Child part number (optional if the serial has test reports)")
            yield Input(placeholder="part number", id="child-part")
            yield Static("", id="child-error", classes="dialog-error")
            yield Static("Enter continues, Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#child-serial", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        serial = self.query_one("#child-serial", Input).value.strip()
        part = self.query_one("#child-part", Input).value.strip()
        if not serial:
            self.query_one("#child-error", Static).update("Enter the child's serial number.")
            self.query_one("#child-serial", Input).focus()
            return
        self.dismiss((serial, part))

    def action_cancel(self) -> None:
        self.dismiss(None)


class UnitByPartDialog(ModalScreen[tuple[str, str] | None]):
    """Open a unit by serial and part number: for a unit that was never tested, whose serial
    number no report names. A deliberate step (ctrl+o), never a field beside the scan field.

    Returns ``(serial, part)``, or None when cancelled.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, serial_number: str = "") -> None:
        super().__init__()
        self.serial_number = serial_number

    def compose(self) -> ComposeResult:
        with Vertical(id="by-part-panel", classes="production-dialog"):
            yield Static("Open a unit by its part number", classes="dialog-title")
            yield Label("Serial number")
            yield Input(self.serial_number, placeholder="serial number", id="by-part-serial")
            yield Label("Part number")
            yield Input(placeholder="part number, Enter", id="by-part-part")
            yield Static("", id="by-part-error", classes="dialog-error")
            yield Static("Enter opens, Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        target = "#by-part-part" if self.serial_number else "#by-part-serial"
        self.query_one(target, Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        serial = self.query_one("#by-part-serial", Input).value.strip()
        part = self.query_one("#by-part-part", Input).value.strip()
        missing = "#by-part-serial" if not serial else "#by-part-part" if not part else None
        if missing is not None:
            what = "serial number" if missing == "#by-part-serial" else "part number"
            self.query_one("#by-part-error", Static).update(f"Enter the {what}.")
            self.query_one(missing, Input).focus()
            return
        self.dismiss((serial, part))

    def action_cancel(self) -> None:
        self.dismiss(None)
