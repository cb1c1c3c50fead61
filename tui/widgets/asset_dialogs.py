"""Dialogs of the Assets screens. They only collect a decision; the screen makes the call.

:class:`AssetActionDialog` asks before a change and names it, with an optional comment: it is
the app's one confirmation (:class:`tui.widgets.confirm.ConfirmBase`) answering with the comment.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pywats.domains.asset import AssetState
from tui.widgets.confirm import ConfirmBase

__all__ = ["AssetActionDialog", "StatePicker"]


class AssetActionDialog(ConfirmBase[str | None]):
    """Confirm a change; returns the comment typed (maybe ""), or None when cancelled.

    The app's one confirmation (:mod:`tui.widgets.confirm`): Cancel focused, Tab to Confirm
    and Enter, no letter confirms; a required text keeps Confirm disabled until it is typed.
    """

    def __init__(
        self,
        question: str,
        detail: str = "",
        *,
        confirm: str = "Confirm",
        text_label: str | None = None,
        text_required: bool = False,
    ) -> None:
        super().__init__(
            question, detail, confirm=confirm, comment=text_label, comment_required=text_required
        )
        self.text_label = text_label
        self.text_required = text_required

    @property
    def text(self) -> str:
        return self.comment

    def answer(self, confirmed: bool) -> str | None:
        return self.comment if confirmed else None


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
