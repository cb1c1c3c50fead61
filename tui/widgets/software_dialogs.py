"""Dialogs of the Software screen. They only collect input; the screen makes the server calls.

- :class:`UploadDialog`: the path of a zip (and whether to replace the files) for a draft.
- :class:`TypedConfirmDialog`: a confirmation for what cannot be undone (revoke, delete):
  the confirm button works only once the version number is typed; Enter on an empty field and
  Escape cancel.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

__all__ = ["TypedConfirmDialog", "UploadDialog", "UploadRequest"]

UploadRequest = tuple[Path, bool]  # the zip, and clean install


class UploadDialog(ModalScreen[UploadRequest | None]):
    """Ask for the zip to upload into ``package_label``; returns (path, clean) or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, package_label: str, start: str = "") -> None:
        super().__init__()
        self.package_label = package_label
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="upload-panel", classes="software-dialog"):
            yield Static(Text(f"Upload a zip into {self.package_label}"), classes="dialog-title")
            yield Input(self.start, placeholder="/path/to/package.zip", id="upload-path")
            yield Checkbox(
                "Clean install: remove the package's files first", False, id="upload-clean"
            )
            yield Static("", id="upload-error", markup=False)
            yield Static(
                "Enter continues, Esc cancels. Every file must be in a folder.",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#upload-path", Input).focus()

    @on(Input.Submitted, "#upload-path")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.dismiss(None)
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self.query_one("#upload-error", Static).update(
                Text(f"{path} is not a file", style="red")
            )
            return
        self.dismiss((path, self.query_one("#upload-clean", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TypedConfirmDialog(ModalScreen[bool]):
    """A yes/no question that needs ``expected`` typed before yes is possible."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, detail: str, expected: str, *, confirm: str) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.expected = expected
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="typed-confirm-panel", classes="software-dialog"):
            yield Static(self.question, id="typed-confirm-question", markup=False)
            yield Static(self.detail, id="typed-confirm-detail", markup=False)
            yield Input(placeholder=f"type {self.expected} to confirm", id="typed-confirm-input")
            with Horizontal(id="typed-confirm-buttons"):
                yield Button(
                    self.confirm_label, id="typed-confirm-yes", variant="error", disabled=True
                )
                yield Button("Cancel", id="typed-confirm-no")

    def on_mount(self) -> None:
        self.query_one("#typed-confirm-input", Input).focus()

    @on(Input.Changed, "#typed-confirm-input")
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#typed-confirm-yes", Button).disabled = event.value.strip() != self.expected

    @on(Input.Submitted, "#typed-confirm-input")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value == self.expected:
            self.dismiss(True)
        elif not value:
            self.dismiss(False)  # a stray Enter cancels
        else:
            self.notify(
                f"Type {self.expected} to confirm, or Esc to cancel.", timeout=3, markup=False
            )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "typed-confirm-yes")

    def action_cancel(self) -> None:
        self.dismiss(False)
