"""WATSApp: the shell every screen lives in.

- Header (server URL, server version, connection state), one-line navigation bar, footer, a
  command palette (ctrl+p) and F1 help; all three read the same bindings.
- One Textual *mode* per registered screen (:mod:`tui.navigation`), so each screen keeps its
  state while the technician hops between them with one key (1..9, 0). F2 opens the
  connection screen.
- Styles come from ``styles/*.tcss`` (every file there is loaded, so a domain screen adds its
  own ``styles/<domain>.tcss`` scoped by its class name, e.g. ``ProductsScreen DataTable``).
- Screens reach the SDK through ``WATSScreen.wats``; the app owns the one ``AsyncWATS``.

Start-up: settings come from ``--url``/``--token``, the environment, then the config file. With
no URL or token, or when the first server call fails because the server cannot be used
(unreachable, token rejected, not a WATS answer), the connection screen opens and says why.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker

from pywats.client import AsyncWATS
from pywats.config import load_settings
from pywats.errors import ConfigError, WATSAuthenticationError, WATSError, WATSServerError
from tui import gc_policy
from tui.commands import WATSCommands
from tui.errors import describe_error, is_connection_problem, is_not_wats
from tui.gc_policy import IdleCollector
from tui.help import HelpScreen
from tui.navigation import discover_screens, nav_entries, palette_entries
from tui.notices import NoticeApp
from tui.stylesheet import SharedParseStylesheet
from tui.themes import DEFAULT_THEME, THEMES
from tui.timeouts import interactive_client
from tui.workers import TaskFailed, TaskSucceeded

if TYPE_CHECKING:
    from tui.demo import DemoServer

__all__ = ["ClientFactory", "WATSApp", "styles_dir"]


class ClientFactory(Protocol):
    """Makes the SDK client for a URL and token; tests pass one that uses the emulator."""

    def __call__(self, url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS: ...


CONNECTION_MODE = "connection"


def styles_dir() -> Path:
    """Where the ``.tcss`` files are: packaged as ``tui/styles`` in a wheel, or the top-level
    ``styles/`` of a source checkout (editable install)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "styles", here.parent / "styles"):
        if (candidate / "app.tcss").is_file():
            return candidate
    raise FileNotFoundError(f"pywats-tui styles not found next to {here}; reinstall pywats")


def _default_client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
    # A person waits on every call: interactive deadline and timeouts (tui.timeouts).
    return interactive_client(url, token, max_retries=max_retries)


class WATSApp(NoticeApp):
    """The pywats terminal app. See the module docstring."""

    TITLE = "pywats"
    CSS_PATH = sorted(styles_dir().glob("*.tcss"))
    COMMANDS = App.COMMANDS | {WATSCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", tooltip="Every key on this screen", id="help"),
        # ? opens the same help (not while typing: a field takes the character).
        Binding("question_mark", "help", "Help", show=False, id="help-question"),
        Binding("f2", "connection", "Connection", tooltip="Server URL and token", id="connection"),
    ]

    server_url: reactive[str] = reactive("")
    server_version: reactive[str] = reactive("")
    connection_state: reactive[str] = reactive("not configured")

    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        config_path: Path | None = None,
        theme: str = DEFAULT_THEME,
        demo: DemoServer | None = None,
        client_factory: ClientFactory | None = None,
        manage_gc: bool = False,
        screen: str | None = None,
    ) -> None:
        super().__init__()
        # Parsed rules outlive Textual's re-parse at each first visit of a screen.
        self.stylesheet = SharedParseStylesheet(variables=self.get_css_variables())
        # pywats-tui keeps full GC passes off the hot path (tui.gc_policy); tests leave the
        # collector alone so that a test run does not freeze every app it makes.
        self._idle_gc = IdleCollector(self._server_calls_in_flight) if manage_gc else None
        for custom in THEMES:
            self.register_theme(custom)
        if theme not in self.available_themes:
            raise ConfigError(
                "theme",
                "--theme",
                f"unknown theme {theme!r}; choose one of "
                + ", ".join(sorted(self.available_themes)),
            )
        self.theme = theme
        self.demo = demo
        self.config_path = config_path
        self._arg_url = url
        self._arg_token = token
        self.client_factory: ClientFactory = client_factory or _default_client
        self.client: AsyncWATS | None = None
        # The token in use (or last configured), for the connection screen's masked field.
        self.current_token = ""
        # Why the connection screen was opened, for it to show (None: opened by the user).
        self.connection_problem: str | None = None
        self._connected_once = False
        discover_screens()
        self._home = self._first_screen(screen)
        for entry in nav_entries():
            self.add_mode(entry.name, entry.factory)
            # Navigation keys are bindings too, so footer, help and palette know them.
            self._bindings.bind(entry.key, f"go({entry.name!r})", entry.title, show=False)
        for entry in palette_entries():  # no key: reached from the command palette
            self.add_mode(entry.name, entry.factory)
        from tui.screens.connection import ConnectionScreen

        self.add_mode(CONNECTION_MODE, ConnectionScreen)
        self._early_warnings: list[str] = []
        self._startup_problem = self._connect_from_settings()

    @staticmethod
    def _first_screen(name: str | None) -> str:
        """The screen the app opens on, and returns to once connected (``--screen``): the
        dashboard unless asked, so that a scan station can open straight on Units."""
        if name is None:
            return nav_entries()[0].name if nav_entries() else CONNECTION_MODE
        names = [entry.name for entry in [*nav_entries(), *palette_entries()]]
        if name not in names:
            raise ConfigError(
                "screen", "--screen", f"unknown screen {name!r}; choose one of " + ", ".join(names)
            )
        return name

    # ----------------------------------------------------------------- connection

    def _connect_from_settings(self) -> str | None:
        """Resolve the settings and build the client; the reason when that is not possible.

        Runs in ``__init__``, before the event loop: building a client loads TLS certificates,
        which would otherwise freeze the first frames.
        """
        try:
            settings = load_settings(
                url=self._arg_url, token=self._arg_token, config_path=self.config_path
            )
        except ConfigError as exc:
            return None if exc.source == "nowhere" else str(exc)
        token = settings.token.get_secret_value()
        self.server_url = settings.url
        self.current_token = token
        if not token:
            return "No token is configured; enter the token WATS issued you."
        self.connect(settings.url, token)
        return None

    def on_mount(self) -> None:
        for message in self._early_warnings:
            self.notify(message, title="Warning", severity="warning", timeout=10, markup=False)
        self._early_warnings.clear()
        if self.client is None:
            self.open_connection(self._startup_problem)
            return
        if self.demo is not None and self.demo.seeding:
            self.connection_state = "seeding demo data"
            self.notify(
                "First demo of the day: the emulator is seeding a factory of data, which "
                "takes a few seconds. Later starts are quick.",
                title="Starting the demo",
                timeout=15,
            )
        self.go_home()
        if self._idle_gc is not None:
            self.call_after_refresh(gc_policy.after_first_screen)
            self.set_interval(gc_policy.CHECK_EVERY, self._idle_gc.tick)

    def _server_calls_in_flight(self) -> bool:
        return any(worker.is_running for worker in self.workers)

    async def on_event(self, event: events.Event) -> None:
        if self._idle_gc is not None and isinstance(event, events.Key | events.MouseDown):
            self._idle_gc.note_input()
        await super().on_event(event)

    def make_client(self, url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        """A client from the factory; the SDK's warnings (a token over plain http to a remote
        host...) become notifications, since printing them would draw over the screen."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            client = self.client_factory(url, token, max_retries=max_retries)
        for warning in caught:
            if self.is_running:
                self.notify(
                    str(warning.message),
                    title="Warning",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
            else:
                self._early_warnings.append(str(warning.message))
        return client

    def connect(self, url: str, token: str) -> None:
        """Use a new server from now on; screens opened before are rebuilt on next visit."""
        old = self.client
        self.client = self.make_client(url, token)
        self.server_url = url
        self.current_token = token
        self.server_version = ""
        self.connection_state = "connecting"
        self._connected_once = False
        if old is not None:
            self.run_worker(old.close(), name="close-client", exit_on_error=False)
            for entry in [*nav_entries(), *palette_entries()]:
                if entry.name != self.current_mode:
                    self.remove_mode(entry.name)
                    self.add_mode(entry.name, entry.factory)

    def require_client(self) -> AsyncWATS:
        if self.client is None:
            raise WATSError("not connected to a WATS server; open the connection screen (F2)")
        return self.client

    def open_connection(self, problem: str | None = None) -> None:
        self.connection_problem = problem
        self.switch_mode(CONNECTION_MODE)

    def go_home(self) -> None:
        self.switch_mode(self._home)
        self._load_server_version()

    def _load_server_version(self) -> Worker[None] | None:
        """The header names the server's version whatever the first screen: the dashboard
        asks with its own data, and for any other (``--screen units``) the app asks; returns
        the worker asking, if it does.

        A failure counts as the home screen's own would: a scan station on a server that is
        not WATS opens the connection screen saying so at start, not at the first scan.
        """
        entries = [*nav_entries(), *palette_entries()]
        home = next((entry.factory for entry in entries if entry.name == self._home), None)
        client = self.client
        if client is None or self.server_version or getattr(home, "LOADS_SERVER_VERSION", True):
            return None
        tracks_connection = bool(getattr(home, "tracks_connection", True))

        async def load() -> None:
            try:
                version = await client.get_version()
            except WATSError as exc:
                if tracks_connection and self.client is client:
                    self._server_call_failed(exc)
                return
            if version and self.client is client:  # not a server replaced meanwhile
                self.server_version = version
                if tracks_connection:  # a WATS answer: the header stops saying "connecting"
                    self._server_call_succeeded()

        return self.run_worker(
            load, name="server version", group="server-version", exclusive=True, exit_on_error=False
        )

    def on_task_succeeded(self, message: TaskSucceeded) -> None:
        if message.screen.tracks_connection:
            self._server_call_succeeded()

    def _server_call_succeeded(self) -> None:
        """A call the server answered: it is usable, unless it was found not to be WATS."""
        if self.connection_state == "not WATS" and not self.server_version:
            return  # an answer that hid a 404 (a section "not available") proves nothing
        if self.client is not None:
            self._connected_once = True
            self.connection_state = "connected"

    def on_task_failed(self, message: TaskFailed) -> None:
        if message.screen.tracks_connection:
            self._server_call_failed(message.error)

    def _server_call_failed(self, error: BaseException) -> None:
        """What a failed call says about the server: the header's state, and the connection
        screen when the settings never worked or the URL is not a WATS server."""
        if isinstance(error, WATSServerError):
            self.connection_state = "server error"
            return
        if not is_connection_problem(error):
            return
        auth = isinstance(error, WATSAuthenticationError)
        not_wats = is_not_wats(error)
        self.connection_state = (
            "token rejected" if auth else "not WATS" if not_wats else "unreachable"
        )
        if not self._connected_once or (not_wats and not self.server_version):
            # The saved settings never worked: the connection screen is where to fix them.
            from tui.screens.connection import explain_connection_error

            died = self.demo.failure() if self.demo is not None else None
            reason = (
                explain_connection_error(self.server_url, error)
                if not_wats
                else describe_error(error).message
            )
            self.open_connection(died or reason)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.close()

    # ----------------------------------------------------------------- actions

    def action_go(self, name: str) -> None:
        self.switch_mode(name)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_connection(self) -> None:
        self.open_connection(None)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Connection", "Server URL and token (F2)", self.action_connection)
        yield SystemCommand("Help", "Every key on this screen (F1)", self.action_help)
