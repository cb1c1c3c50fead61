"""The app's chrome: the status header and the one-line navigation bar.

Both read the app's state (:class:`tui.app.WATSApp`), so every screen shows the same thing
without passing it around.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.navigation import nav_entries

if TYPE_CHECKING:
    from tui.app import WATSApp

__all__ = ["AppHeader", "NavBar"]

STATE_STYLE = {
    "connected": "header-ok",
    "connecting": "header-busy",
    "unreachable": "header-bad",
    "server error": "header-bad",
    "token rejected": "header-bad",
    "not configured": "header-busy",
    "seeding demo data": "header-busy",
}


class AppHeader(Horizontal):
    """``pywats │ <server>  WATS <version> … ● <state>``, kept in sync with the app."""

    def compose(self) -> ComposeResult:
        yield Static(id="header-title")
        yield Static(id="header-state")

    def on_mount(self) -> None:
        app = cast("WATSApp", self.app)
        for attribute in ("server_url", "server_version", "connection_state"):
            self.watch(app, attribute, self._changed, init=False)
        self._changed()

    def _changed(self, _value: object = None) -> None:
        app = cast("WATSApp", self.app)
        title = Text(" pywats │ ", style="bold")
        title.append(app.server_url or "no server", style="bold")
        if app.server_version:
            title.append(f" · WATS {app.server_version}")
        if app.demo:
            title.append(" · demo", style="italic")
        self.query_one("#header-title", Static).update(title)
        state = self.query_one("#header-state", Static)
        state.update(f"● {app.connection_state} ")
        for cls in STATE_STYLE.values():
            state.remove_class(cls)
        state.add_class(STATE_STYLE.get(app.connection_state, "header-busy"))


class NavBar(Static):
    """``1 Dashboard  2 Products …`` with the current screen highlighted.

    When the labels do not fit (80 columns, many screens), only the current one keeps its
    label and the others show their key: F1 and the palette list them in full.
    """

    def __init__(self, current: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current

    def on_mount(self) -> None:
        self._render_entries()

    def on_resize(self) -> None:
        self._render_entries()

    def _render_entries(self) -> None:
        entries = nav_entries()
        full = sum(len(entry.label) + 4 for entry in entries)
        compact = full > max(self.size.width, 1)
        text = Text()
        for entry in entries:
            is_current = entry.name == self.current
            label = entry.label if (is_current or not compact) else ""
            chunk = f" {entry.key} {label} " if label else f" {entry.key} "
            text.append(chunk, style="reverse bold" if is_current else "")
            text.append(" ")
        self.update(text)
