"""Dialogs of the Software screen. They only collect input; the screen makes the server calls.

- :class:`UploadDialog`: the path of a zip (and whether to replace the files) for a draft.

What cannot be undone (revoke, delete) is confirmed in the app's one
:class:`tui.widgets.confirm.ConfirmDialog`, with the version number to type.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

__all__ = ["UploadDialog", "UploadRequest"]

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
