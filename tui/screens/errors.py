"""Error history: the last errors and warnings the app showed, repeats folded with their count.

Toasts go after ten seconds, often before a technician has read them; here each one can be
read again, whole. Reached from the command palette ("Go to Error history"). The list is
newest first; the highlighted error's full text shows below it, wrapped to the width.
"""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from tui.navigation import register_palette_screen
from tui.notices import TIMES, ErrorEntry, ErrorHistory, NoticeApp
from tui.screen import WATSScreen
from tui.widgets.table import Table

__all__ = ["ErrorHistoryScreen", "entry_detail"]

_SEVERITY = {"error": ("error", "bold red"), "warning": ("warning", "yellow")}


def entry_detail(entry: ErrorEntry) -> Text:
    """The whole of one error: title, how often and when, and its message."""
    text = Text(entry.title or "(no title)", style="bold")
    word, style = _SEVERITY.get(entry.severity, (entry.severity, ""))
    text.append(f"  {word}", style=style)
    when = f"{entry.last:%Y-%m-%d %H:%M:%S}"
    if entry.count > 1:
        when = f"{entry.count} times, first {entry.first:%H:%M:%S}, last {when}"
    text.append(f"\n{when}\n\n", style="dim")
    text.append(entry.message)
    return text


@register_palette_screen(
    title="Error history",
    description="The last errors and warnings, repeats folded; read one again in full",
)
class ErrorHistoryScreen(WATSScreen):
    AUTO_FOCUS = "#errors-table"
    BINDINGS = [
        Binding("x", "clear", "Clear", tooltip="Forget these errors", id="errors-clear"),
        Binding("r,f5", "reload", "Reload", show=False, id="errors-reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown_version = -1
        self._entries: list[ErrorEntry] = []

    @property
    def history(self) -> ErrorHistory:
        return cast(NoticeApp, self.app).error_history

    def compose_body(self) -> ComposeResult:
        table: Table[Text] = Table(id="errors-table", cursor_type="row")
        table.border_title = "Errors and warnings, newest first"
        yield table
        with VerticalScroll(id="errors-detail"):
            yield Static(id="errors-message")

    def on_mount(self) -> None:
        table = self.query_one("#errors-table", DataTable)
        table.add_column("Last", key="last")
        table.add_column(TIMES, key="count")
        table.add_column("Error", key="title")
        table.add_column("Message", key="message")
        self.action_reload()
        # New errors appear while the screen is shown (a reload elsewhere failing again).
        self.set_interval(1.0, self._reload_if_changed)

    def _reload_if_changed(self) -> None:
        if self.history.version != self._shown_version:
            self.action_reload()

    @on(events.ScreenResume)
    def _shown_again(self) -> None:
        if self.is_mounted:
            self._reload_if_changed()

    def action_reload(self) -> None:
        self._shown_version = self.history.version
        self._entries = self.history.entries()
        table: DataTable[Text] = self.query_one("#errors-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for entry in self._entries:
            _word, style = _SEVERITY.get(entry.severity, ("", ""))
            table.add_row(
                Text(f"{entry.last:%H:%M:%S}"),
                Text(f"{TIMES}{entry.count}" if entry.count > 1 else "", justify="right"),
                Text(entry.title, style=style),
                Text(" ".join(entry.message.split())[:200]),
            )
        if self._entries:
            table.move_cursor(row=min(max(cursor, 0), len(self._entries) - 1))
        self._show_detail(table.cursor_row)
        count = len(self._entries)
        table.border_subtitle = f"{count} distinct" if count else ""

    def action_clear(self) -> None:
        self.history.clear()
        self.action_reload()

    @on(DataTable.RowHighlighted, "#errors-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        message = self.query_one("#errors-message", Static)
        if 0 <= row < len(self._entries):
            message.update(entry_detail(self._entries[row]))
        else:
            message.update(Text("No errors so far.", style="italic"))
