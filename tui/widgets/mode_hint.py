"""The header's mode hint: whether keys are typed into a field or are commands.

``typing`` (keys go into the focused field; Esc leaves it) or ``keys`` (letters and digits are
commands). The station rule it makes visible: a scan or a digit never does what you did not
expect, because you can always see which of the two it will be.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

__all__ = ["ModeHint"]


class ModeHint(Static):
    """`` typing · Esc `` while a text field has focus, `` keys `` otherwise."""

    typing: reactive[bool] = reactive(False)

    def on_mount(self) -> None:
        self.watch_typing(self.typing)

    def watch_typing(self, typing: bool) -> None:
        self.set_class(typing, "-typing")
        self.update(Text(" typing · Esc " if typing else " keys "))
