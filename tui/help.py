"""F1 help: every key that works on the current screen, read from the live bindings."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
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

    @property
    def is_action(self) -> bool:
        """An action of the screen or app, as opposed to a widget's own movement keys."""
        return isinstance(self.namespace, Screen | App)

    @property
    def label(self) -> str:
        return self.description if self.enabled else f"{self.description} (busy now)"


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
    """Keys of the screen it was opened from, then the screen keys. Esc, F1, ? or q closes it."""

    BINDINGS = [
        Binding("escape,f1,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, origin: Screen) -> None:  # type: ignore[type-arg]
        super().__init__(id="help")
        self._rows = screen_bindings(origin)
        self._origin_title = type(origin).__name__.removesuffix("Screen") or "This screen"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel"):
            yield Static(self._content(), id="help-text")
            yield Static("Esc, F1, ? or q closes this help.", id="help-hint")

    def _content(self) -> Group:
        actions = [row for row in self._rows if row.is_action]
        moving = [row for row in self._rows if not row.is_action]
        screens = [(entry.key, f"{entry.title}: {entry.description}") for entry in nav_entries()]
        screens += [
            ("F2", "Connection: server URL and token"),
            ("ctrl+p", "Command palette: search every screen and action"),
            ("ctrl+q", "Quit"),
        ]
        parts: list[RenderableType] = []
        for heading, rows in (
            (f"{self._origin_title}: actions", [(r.key, r.label) for r in actions]),
            ("In the focused table or field", [(r.key, r.label) for r in moving]),
            ("Screens", screens),
        ):
            if not rows:
                continue
            parts.append(Text(heading, style="bold underline"))
            table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
            table.add_column("key", style="bold", no_wrap=True, width=12)
            table.add_column("what", ratio=1)
            for key, what in rows:
                table.add_row(key, what)
            parts.append(table)
            parts.append(Text(""))
        return Group(*parts)
