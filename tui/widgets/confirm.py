"""ConfirmDialog: the one confirmation before a change to server data.

    self.app.push_screen(
        ConfirmDialog("Set PCB-1001 inactive?", "Stations can no longer test it.",
                      confirm="Deactivate"),
        self._on_answer,  # called with True or False
    )
    # Irreversible (taking serial numbers, deleting): the user types the serial or the count.
    ConfirmDialog("Take 5 serial numbers?", detail, confirm="Take", type_to_confirm="5")

The rules it keeps, for every screen (tests/tui/station/test_confirm.py checks them):

- It opens with Cancel focused and says what will change (the question and its detail).
- Confirming takes a deliberate step: Tab to the Confirm button, then Enter. No letter confirms
  (there is no ``y``), and an Enter that comes right after a printable key is refused, so a
  barcode scan (characters then Enter, typed fast) never confirms: on Cancel it cancels, in the
  typed field it does nothing, on Confirm it is ignored.
- With ``type_to_confirm``, Confirm stays disabled until that exact text is typed in the field.
- Escape cancels. It is modal, so the screen beneath keeps its workers.

A confirmation that also takes a comment (``comment="Comment, e.g. certificate number"``,
``comment_required=True``) keeps the same rules; Enter in the comment never confirms.
:class:`ConfirmBase` holds all of this; :class:`ConfirmDialog` answers True or False, and a
screen that wants the comment back derives its own answer from it
(:class:`tui.widgets.asset_dialogs.AssetActionDialog`).
"""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

__all__ = ["ConfirmBase", "ConfirmDialog"]

ResultT = TypeVar("ResultT")


class ConfirmBase(ModalScreen[ResultT]):
    """The confirmation's rules (see the module docstring); subclasses say what it answers."""

    BINDINGS = [Binding("escape", "answer(False)", "Cancel")]

    def __init__(
        self,
        question: str,
        detail: str = "",
        *,
        confirm: str = "Confirm",
        type_to_confirm: str | None = None,
        comment: str | None = None,
        comment_required: bool = False,
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.confirm_label = confirm
        self.expected = type_to_confirm.strip() if type_to_confirm is not None else None
        self.comment_label = comment
        self.comment_required = comment_required
        # Whether the last key was a printable character: an Enter right after one is the end
        # of a scan (or a slip), never the deliberate step that confirms.
        self._after_printable = False

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-panel"):
            yield Static(self.question, id="confirm-question", markup=False)
            if self.detail:
                yield Static(self.detail, id="confirm-detail", markup=False)
            if self.comment_label is not None:
                yield Input(placeholder=self.comment_label, id="confirm-comment", max_length=500)
            if self.expected is not None:
                yield Static(
                    f"Type {self.expected} to enable {self.confirm_label}.",
                    id="confirm-type-hint",
                    markup=False,
                )
                yield Input(placeholder=f"type {self.expected}", id="confirm-typed")
            # Confirm first in the focus chain: from Cancel (where it opens) Tab reaches the
            # typed field (when Confirm is still disabled) or Confirm.
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    self.confirm_label,
                    id="confirm-yes",
                    variant="error" if self.expected is not None else "warning",
                    disabled=self.expected is not None or self.comment_required,
                )
                yield Button("Cancel", id="confirm-no")
            yield Static(self._hint(), id="confirm-hint", markup=False)

    def _hint(self) -> str:
        if self.expected is not None:
            return f"Tab to the field, type {self.expected}, Tab to {self.confirm_label}, Enter."
        return f"Tab to {self.confirm_label}, then Enter. Esc cancels."

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @property
    def confirm_enabled(self) -> bool:
        return not self.query_one("#confirm-yes", Button).disabled

    @property
    def comment(self) -> str:
        """The comment typed (stripped), "" without a comment field."""
        fields = self.query("#confirm-comment")
        return fields.first(Input).value.strip() if fields else ""

    def _enable_confirm(self) -> None:
        typed = self.expected is None or (
            self.query_one("#confirm-typed", Input).value.strip() == self.expected
        )
        commented = not self.comment_required or bool(self.comment)
        self.query_one("#confirm-yes", Button).disabled = not (typed and commented)

    def answer(self, confirmed: bool) -> ResultT:
        """What the dialog returns for Confirm (True) or Cancel (False)."""
        raise NotImplementedError

    def on_key(self, event: events.Key) -> None:
        # Keys reach the screen before the app runs bindings (the Button's Enter among them),
        # so this sees each key first. Enter leaves the mark as it is: an Enter after a letter
        # (a scan, or a slip) is refused; Tab, Shift+Tab or an arrow clears it.
        if event.key != "enter":
            self._after_printable = event.is_printable

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is self.query_one("#confirm-yes", Button):
            self._after_printable = False

    @on(Input.Changed, "#confirm-typed, #confirm-comment")
    def _typed(self) -> None:
        self._enable_confirm()

    @on(Input.Submitted, "#confirm-comment")
    def _comment_enter(self, event: Input.Submitted) -> None:
        event.stop()  # Enter in the comment never confirms
        self.query_one("#confirm-no", Button).focus()

    @on(Input.Submitted, "#confirm-typed")
    def _typed_enter(self, event: Input.Submitted) -> None:
        event.stop()  # Enter in the field never confirms: that is what a scan ends with
        if event.value.strip() == self.expected:
            self.query_one("#confirm-hint", Static).update(
                f"Tab to {self.confirm_label}, then Enter."
            )
        else:
            self.query_one("#confirm-hint", Static).update(
                f"Type {self.expected} exactly, or Esc to cancel."
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id != "confirm-yes":
            self.dismiss(self.answer(False))
            return
        if not self.confirm_enabled or self._after_printable:
            return  # a scan's Enter, or a letter then Enter: not a deliberate confirmation
        self.dismiss(self.answer(True))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(self.answer(answer))


class ConfirmDialog(ConfirmBase[bool]):
    """A question that needs Tab to Confirm and Enter (and for irreversible actions, the typed
    serial or count) before it answers True. See the module docstring."""

    def answer(self, confirmed: bool) -> bool:
        return confirmed
