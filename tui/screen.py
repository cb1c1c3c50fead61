"""WATSScreen: the base class of every screen of the app (chrome + the worker pattern).

A domain screen subclasses it, yields its own widgets from :meth:`WATSScreen.compose_body`,
runs every server call through :meth:`run_task <tui.workers.WorkerScreen.run_task>`, and
reaches the SDK through ``self.wats`` (an :class:`pywats.AsyncWATS`)::

    @register_screen(key="4", title="Processes", label="Processes")
    class ProcessesScreen(WATSScreen):
        BINDINGS = [Binding("r", "reload", "Reload", id="reload")]

        def compose_body(self) -> ComposeResult:
            yield DataTable(id="processes")

        def on_mount(self) -> None:
            self.action_reload()

        def action_reload(self) -> None:
            self.run_task("load", lambda: self.wats.process.get_processes(),
                          self._show, controls=["reload"], loading="#processes",
                          description="Loading processes")

The header (server, version, connection state), navigation bar, busy bar and footer are laid
out here; styles live in ``styles/*.tcss`` (``#body`` is the screen's own area).

The station rules every screen follows (tests/tui/station/ checks them on every screen):

- Focus: ``HOME`` is the widget that takes focus when the screen opens (its main list or tree;
  on a scan screen, the scan field). Escape in a text field moves focus to ``LIST``, the main
  list or tree (by default ``HOME`` when it is not a text field, else the first list or tree),
  never to nothing, so "Escape, then a digit" always switches screens. Whenever focus is
  lost (a focused button is disabled while it runs) it comes back there. Inputs named in
  ``FILTERS`` are filters of that list: Enter or Down moves to it. The header shows whether
  keys are typed (``typing``) or are commands (``keys``).
- Everyday keys: ``?`` help (as F1), ``q`` back (as Escape, where there is a way back), F5
  reload (where the screen reloads), ``c`` copies the focused value (the table cell under the
  cursor or the tree node's label) to the clipboard through OSC 52 and says what it copied,
  ``/`` finds within the focused list or tree (:class:`tui.widgets.find_bar.FindBar`; a screen
  whose ``/`` focuses its own filter binds it itself).
- The header says where the cursor of the focused list is: ``57 of 340``, or on a screen that
  pages (it has a ``pager``, :class:`tui.paging.Pager`) which rows of how many:
  ``201-400 of 400+`` (the total is known once the last page is in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.widget import Widget
from textual.widgets import DataTable, Input, ListView, OptionList, TextArea, Tree

from pywats.client import AsyncWATS
from tui.widgets.chrome import AppFooter, AppHeader, NavBar
from tui.widgets.clipboard import focused_value
from tui.widgets.find_bar import FindBar
from tui.widgets.list_position import ListPosition, describe_position
from tui.widgets.mode_hint import ModeHint
from tui.workers import TaskFailed, TaskSucceeded, WorkerScreen

if TYPE_CHECKING:
    from tui.app import WATSApp

__all__ = ["WATSScreen"]


_LISTS = (DataTable, Tree, ListView, OptionList)


def _is_text(widget: Widget | None) -> bool:
    return isinstance(widget, Input | TextArea)


class WATSScreen(WorkerScreen):
    """A full screen with the app's chrome around :meth:`compose_body`."""

    BINDINGS = [
        Binding("q", "back", "Back", tooltip="Back to the previous screen", show=False,
                id="station-back"),
        Binding("f5", "reload", "Reload", tooltip="Load this screen again", show=False,
                id="station-reload"),
        Binding("c", "copy", "Copy", tooltip="Copy the highlighted value to the clipboard",
                show=False, id="station-copy"),
        Binding("slash", "find", "Find", tooltip="Find in the list", show=False,
                id="station-find"),
        Binding("down", "filter_to_list", "To the list", show=False, id="station-to-list"),
    ]  # fmt: skip

    #: Selector of the widget that takes focus when the screen opens. Empty: the screen's
    #: ``AUTO_FOCUS`` selector, else its first list or tree.
    HOME: ClassVar[str] = ""

    #: Selector of the main list or tree, where Escape from a text field lands. Empty: the home
    #: widget when it is not a text field, else the first focusable list or tree in the body.
    LIST: ClassVar[str] = ""

    #: Selectors of the inputs that filter the main list: Enter or Down moves to the list.
    FILTERS: ClassVar[tuple[str, ...]] = ()

    #: The screen asks for the server's version with its own data (the header shows it); as
    #: the first screen, one that does not leaves the asking to the app.
    LOADS_SERVER_VERSION: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("HOME"):
            cls.AUTO_FOCUS = cls.HOME  # Textual focuses it when the screen is shown

    #: Name of this screen's navigation entry, highlighted in the bar (set by the registry's
    #: mode name when omitted).
    NAV_NAME: str | None = None

    #: Palette look-ups this screen answers: label -> name of a method taking the typed text.
    #: ``{"Go to unit": "open_unit"}`` makes typing ``SN-0042`` in the palette offer
    #: "Go to unit SN-0042", which opens this screen and calls ``self.open_unit("SN-0042")``.
    PALETTE_LOOKUPS: ClassVar[dict[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield NavBar(self.NAV_NAME or type(self).__name__.removesuffix("Screen").lower(), id="nav")
        with Container(id="body"):
            yield from self.compose_body()
        yield from self.compose_busy_bar()
        yield AppFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets. Override this, not ``compose``."""
        yield from ()

    # ----------------------------------------------------------------- focus model

    def _first_focusable(self, selector: str) -> Widget | None:
        if not selector or selector == "*":
            return None
        return next((widget for widget in self.query(selector) if widget.focusable), None)

    def home_widget(self) -> Widget | None:
        """The widget that takes focus when the screen opens (see ``HOME``)."""
        auto = type(self).AUTO_FOCUS
        for selector in (self.HOME, auto or ""):
            widget = self._first_focusable(selector)
            if widget is not None:
                return widget
        return self.list_widget()

    def list_widget(self) -> Widget | None:
        """The main list or tree (see ``LIST``): where Escape from a text field lands."""
        widget = self._first_focusable(self.LIST)
        if widget is not None:
            return widget
        for selector in (self.HOME, type(self).AUTO_FOCUS or ""):
            widget = self._first_focusable(selector)
            if widget is not None and not _is_text(widget):
                return widget
        body = self.query("#body *")
        for widget in body:
            if isinstance(widget, _LISTS) and widget.focusable:
                return widget
        return next((w for w in body if w.focusable and not _is_text(w)), None)

    def focus_home(self) -> None:
        widget = self.home_widget()
        if widget is not None:
            widget.focus()

    def focus_list(self) -> None:
        widget = self.list_widget()
        if widget is not None:
            widget.focus()

    def _typing(self) -> bool:
        return _is_text(self.focused)

    def _regain_focus(self) -> None:
        """Focus is never nowhere on a shown screen: back to the list (or home)."""
        if not self.is_current or self.focused is not None:
            return
        widget = self.list_widget() or self.home_widget()
        if widget is not None:
            widget.focus()

    def on_mount(self) -> None:
        header = self.query("#header")
        if header:
            header.first().mount(
                ListPosition(id="list-position"), ModeHint(id="mode-hint"), before="#header-state"
            )
        self.watch(self, "focused", self._focus_moved, init=False)
        self.call_after_refresh(self._show_mode)

    def _focus_moved(self, focused: Widget | None) -> None:
        self._show_mode()
        if focused is None:
            self.call_after_refresh(self._regain_focus)

    def _show_mode(self) -> None:
        for hint in self.query(ModeHint):
            hint.typing = self._typing()
        self._show_position()

    # ----------------------------------------------------------------- list position

    def list_position(self) -> str:
        """``57 of 340`` for the focused list (else the main list); a paged screen's main
        list says which rows of how many it shows: ``201-400 of 400+``."""
        focused = self.focused
        target = focused if isinstance(focused, DataTable | Tree) else self.list_widget()
        pager = getattr(self, "pager", None)
        if isinstance(target, DataTable):
            if pager is not None and target is self.list_widget():
                return describe_position(
                    target.cursor_row, target.row_count, page=pager.page, size=pager.size,
                    more=pager.has_next,
                )  # fmt: skip
            return describe_position(target.cursor_row, target.row_count)
        if isinstance(target, Tree):
            lines = target.last_line + 1
            return describe_position(target.cursor_line, lines) if lines > 0 else ""
        return ""

    def _show_position(self) -> None:
        text = self.list_position() if self.is_mounted else ""
        for cell in self.query(ListPosition):
            cell.show(text)

    @on(DataTable.RowHighlighted)
    @on(DataTable.CellHighlighted)
    @on(Tree.NodeHighlighted)
    def _station_cursor_moved(self) -> None:
        self._show_position()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.call_after_refresh(self._regain_focus)
        self.call_after_refresh(self._show_mode)

    def on_task_succeeded(self, message: TaskSucceeded) -> None:
        self.call_after_refresh(self._regain_focus)  # a control disabled while it ran
        self.call_after_refresh(self._show_position)  # new rows, maybe another page

    def on_task_failed(self, message: TaskFailed) -> None:
        self.call_after_refresh(self._regain_focus)

    def action_leave_field(self) -> None:
        self.focus_list()

    def action_cancel_tasks(self) -> None:
        typing = self._typing()
        super().action_cancel_tasks()
        if typing:
            self.focus_list()  # Escape during a filter load: the next key is a command again

    def _is_filter(self, widget: Widget | None) -> bool:
        if not isinstance(widget, Input):
            return False
        return any(widget in self.query(selector) for selector in self.FILTERS)

    def action_filter_to_list(self) -> None:
        self.focus_list()

    @on(Input.Submitted)
    def _station_filter_submitted(self, event: Input.Submitted) -> None:
        if self._is_filter(event.input):
            self.focus_list()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back" and self._typing():
            return False  # Escape in a field leaves the field first
        if action == "filter_to_list":
            return self._is_filter(self.focused)
        if action == "reload" and not hasattr(self, "action_reload"):
            return False
        return super().check_action(action, parameters)

    # ----------------------------------------------------------------- everyday keys

    def action_copy(self) -> None:
        """Copy the focused value (table cell, tree node) to the clipboard through OSC 52."""
        copied = self.copy_value()
        if copied is None:
            self.notify("Nothing to copy here: highlight a row or a node first.", timeout=3)
            return
        what, text = copied
        self.app.copy_to_clipboard(text)
        shown = text if len(text) <= 40 else text[:39] + "…"
        self.notify(f"Copied {what}: {shown}", timeout=3, markup=False)

    def copy_value(self) -> tuple[str, str] | None:
        """What ``c`` copies: (what it is, the text). Override for a screen-specific value."""
        return focused_value(self.focused)

    def action_find(self) -> None:
        """``/``: find within the focused list or tree (else the main list)."""
        focused = self.focused
        target = focused if isinstance(focused, DataTable | Tree) else self.list_widget()
        if isinstance(target, FindBar) or not isinstance(target, DataTable | Tree):
            self.notify("There is no list to search on this screen.", timeout=3)
            return
        bars = self.query(FindBar)
        if bars:
            bars.first().attach(target)
        else:
            self.query_one("#body").mount(FindBar(target, id="find-bar"))

    @property
    def wats_app(self) -> WATSApp:
        return cast("WATSApp", self.app)

    @property
    def wats(self) -> AsyncWATS:
        """The connected SDK client; raises a clear error if the app has none."""
        return self.wats_app.require_client()
