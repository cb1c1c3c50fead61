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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.containers import Container

from pywats.client import AsyncWATS
from tui.widgets.chrome import AppFooter, AppHeader, NavBar
from tui.workers import WorkerScreen

if TYPE_CHECKING:
    from tui.app import WATSApp

__all__ = ["WATSScreen"]


class WATSScreen(WorkerScreen):
    """A full screen with the app's chrome around :meth:`compose_body`."""

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

    @property
    def wats_app(self) -> WATSApp:
        return cast("WATSApp", self.app)

    @property
    def wats(self) -> AsyncWATS:
        """The connected SDK client; raises a clear error if the app has none."""
        return self.wats_app.require_client()
