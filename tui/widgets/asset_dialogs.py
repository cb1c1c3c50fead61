"""Dialogs of the Assets screens. They only collect a decision; the screen makes the call.

:class:`AssetActionDialog` asks before a change and names it; it opens with Cancel focused (a
stray Enter, the end of a barcode scan, cancels) unless it needs text, and Enter in its text
field moves to Cancel rather than confirming. ``y`` or the confirm button confirms.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from pywats.domains.asset import AssetState

__all__ = ["AssetActionDialog", "StatePicker"]


class AssetActionDialog(ModalScreen[str | None]):
    """Confirm a change; returns the text typed (maybe ""), or None when cancelled."""

    BINDINGS = [
        Binding("y", "confirm", "Confirm", show=False),
        Binding("n", "cancel", "Cancel", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        question: str,
        detail: str = "",
        *,
        confirm: str = "Confirm",
        text_label: str | None = None,
        text_required: bool = False,
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.confirm_label = confirm
        self.text_label = text_label
        self.text_required = text_required

    def compose(self) -> ComposeResult:
        with Vertical(id="asset-dialog-panel"):
            yield Static(Text(self.question), id="asset-dialog-question")
            if self.detail:
                yield Static(Text(self.detail), id="asset-dialog-detail")
            if self.text_label is not None:
                yield Input(placeholder=self.text_label, id="asset-dialog-text", max_length=500)
            yield Static("", id="asset-dialog-problem")
            with Horizontal(id="asset-dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", id="asset-dialog-yes", variant="warning")
                yield Button("Cancel (n)", id="asset-dialog-no")

    def on_mount(self) -> None:
        if self.text_required:
            self.query_one("#asset-dialog-text", Input).focus()
        else:
            self.query_one("#asset-dialog-no", Button).focus()

    @property
    def text(self) -> str:
        if self.text_label is None:
            return ""
        return self.query_one("#asset-dialog-text", Input).value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#asset-dialog-no", Button).focus()  # Enter never confirms by itself

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "asset-dialog-yes":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_confirm(self) -> None:
        if self.text_required and not self.text:
            self.query_one("#asset-dialog-problem", Static).update(
                Text("Type the text first.", style="bold red")
            )
            self.query_one("#asset-dialog-text", Input).focus()
            return
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StatePicker(ModalScreen[AssetState | None]):
    """Pick an asset state; returns it, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, serial_number: str, current: int | None) -> None:
        super().__init__()
        self.serial_number = serial_number
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="asset-state-panel"):
            yield Static(Text(f"Set the state of {self.serial_number}"), classes="dialog-title")
            yield OptionList(
                *(
                    Option(
                        Text(f"{state.label}{'  (current)' if state == self.current else ''}"),
                        id=str(int(state)),
                    )
                    for state in AssetState
                ),
                id="asset-state-options",
            )
            yield Static("Enter picks, Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current is not None and 0 <= self.current < len(AssetState):
            options.highlighted = self.current
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(AssetState(int(event.option.id or 0)))

    def action_cancel(self) -> None:
        self.dismiss(None)
