"""The app's chrome: the status header and the one-line navigation bar.

Both read the app's state (:class:`tui.app.WATSApp`), so every screen shows the same thing
without passing it around.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from tui.navigation import NavEntry, nav_entries

if TYPE_CHECKING:
    from tui.app import WATSApp

__all__ = ["AppFooter", "AppHeader", "NavBar", "nav_line"]

HELP_ACTION = "help"  # the app's F1 binding

STATE_STYLE = {
    "connected": "header-ok",
    "connecting": "header-busy",
    "unreachable": "header-bad",
    "server error": "header-bad",
    "token rejected": "header-bad",
    "not WATS": "header-bad",
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

    When the labels do not fit (80 columns, many screens) they are packed tighter, then the
    others show their short labels ("2 Prod 3 Unit"), then their keys alone; the current one
    keeps its full label, and F1 and the palette list every screen in full.
    """

    def __init__(self, current: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current

    def on_mount(self) -> None:
        self._render_entries()

    def on_resize(self) -> None:
        self._render_entries()

    def _render_entries(self) -> None:
        self.update(nav_line(nav_entries(), self.current, max(self.size.width, 1)))


def nav_line(entries: list[NavEntry], current: str, width: int) -> Text:
    """The navigation line that fits ``width``: roomy, tight, short labels, or keys alone."""
    for style in ("roomy", "tight", "short"):
        text = _nav_line(entries, current, style)
        if text.cell_len <= width:
            return text
    return _nav_line(entries, current, "keys")


def _nav_line(entries: list[NavEntry], current: str, style: str) -> Text:
    text = Text()
    for entry in entries:
        if entry.name == current:
            text.append(f" {entry.key} {entry.label} ", style="reverse bold")
        else:
            label = {"roomy": entry.label, "tight": entry.label, "short": entry.short}
            words = f"{entry.key} {label[style]}" if style in label else entry.key
            text.append(f" {words} " if style == "roomy" else words)
        text.append(" ")
    return text


class AppFooter(Footer):
    """Textual's Footer with Help first, and without its leak.

    F1 Help comes first, so no number of screen keys can push it off an 80-column footer
    (a station rule): Textual lays the screen's keys out before the app's, and cuts what does
    not fit.

    Footer rebuilds its keys on every binding change and data-binds each new key to its own
    ``compact`` reactive; Textual prunes those watchers only when ``compact`` changes, which it
    never does here, so every rebuild kept the replaced keys (and their styles and caches)
    alive. Over a long shift the heap grew without bound and full GC passes froze the screen
    for hundreds of milliseconds. Dropping the detached keys' watchers after each rebuild
    lets them be freed.
    """

    _shown: tuple[object, ...] | None = None

    def _signature(self) -> tuple[object, ...]:
        """What the keys would show; a rebuild that changes none of it is skipped.

        Only shown bindings count, as Footer.compose keeps only those: focus moving between
        widgets whose hidden keys differ (a table's, a field's) rebuilt the same footer.
        """
        if not self._bindings_ready:
            return ()
        keys = tuple(
            (
                name,
                binding.key,
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for name, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show
        )
        return (self.compact, self.show_command_palette, keys)

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # a rebuild queued just before its screen was popped (NoScreen otherwise)
        # Footer rebuilds on every bindings signal: a screen switch and its load sent about 50
        # (focus moves, controls disabled and enabled again), which cost 0.6 s of CPU there.
        signature = self._signature()
        if signature == self._shown and self.children:
            return
        self._shown = signature
        await super().recompose()
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
        self._help_first()

    def _help_first(self) -> None:
        keys = list(self.query_children(FooterKey))
        for key in keys:
            if key.action.removeprefix("app.") == HELP_ACTION:
                if key is not self.children[0]:
                    self.move_child(key, before=0)
                return
