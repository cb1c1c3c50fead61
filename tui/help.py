"""F1 help: every key that works on the current screen, read from the live bindings."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.navigation import nav_entries

__all__ = ["BindingRow", "HelpScreen", "screen_bindings"]


@dataclass(frozen=True)
class BindingRow:
    key: str
    description: str
    action: str
    namespace: DOMNode
    enabled: bool


def screen_bindings(screen: Screen) -> list[BindingRow]:  # type: ignore[type-arg]
    """The described bindings active on ``screen`` (focused widget, screen, app), minus
    the navigation keys, which are listed from the registry instead."""
    nav_actions = {f"go({entry.name!r})" for entry in nav_entries()}
    rows: list[BindingRow] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.system or binding.action in nav_actions:
            continue
        if binding.action in seen:
            continue
        seen.add(binding.action)
        rows.append(
            BindingRow(
                key=screen.app.get_key_display(binding),
                description=binding.description,
                action=binding.action,
                namespace=active.node,
                enabled=active.enabled,
            )
        )
    return rows


class HelpScreen(ModalScreen[None]):
    """Keys of the screen it was opened from, then the screen keys. Esc, F1 or q closes it."""

    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Close help"),
    ]

    def __init__(self, origin: Screen) -> None:  # type: ignore[type-arg]
        super().__init__(id="help")
        self._rows = screen_bindings(origin)
        self._origin_title = origin.title or type(origin).__name__.removesuffix("Screen")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel"):
            yield Static(self._table(), id="help-text")
            yield Static("Esc, F1 or q closes this help.", id="help-hint")

    def _table(self) -> Table:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        table.add_column("key", style="bold", no_wrap=True, width=10)
        table.add_column("what")
        table.add_row(Text("Keys on this screen", style="bold underline"), "")
        for row in self._rows:
            what = row.description if row.enabled else f"{row.description} (busy now)"
            table.add_row(row.key, what)
        table.add_row("", "")
        table.add_row(Text("Screens", style="bold underline"), "")
        for entry in nav_entries():
            table.add_row(entry.key, f"{entry.title}: {entry.description}")
        table.add_row("F2", "Connection: server URL and token")
        table.add_row("ctrl+p", "Command palette: search every action and screen")
        table.add_row("ctrl+q", "Quit")
        return table
