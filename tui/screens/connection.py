"""The connection screen: server URL and token, "Test connection", "Save and connect".

Opened with F2, and by the app when no configuration is found or the saved one fails (the
reason is shown at the top). Saving merges into the config file (other settings such as a CA
bundle are kept) and writes it with mode 0600 through :func:`pywats.config.save_settings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from pywats.config import (
    default_config_path,
    normalise_url,
    read_config_file,
    save_settings,
)
from pywats.errors import (
    ConfigError,
    WATSAuthenticationError,
    WATSConnectionError,
    WATSError,
    WATSNotFoundError,
    WATSPermissionError,
    WATSRedirectError,
    WATSServerError,
    WATSStatusError,
    WATSTimeoutError,
    WATSUnexpectedResponseError,
)
from tui.errors import VERSION_PATH, describe_error
from tui.screen import WATSScreen
from tui.timeouts import timeouts_line

__all__ = ["ConnectionScreen", "explain_connection_error"]


@dataclass(frozen=True)
class _Target:
    url: str
    token: str


def explain_connection_error(url: str, exc: BaseException) -> str:
    """One specific sentence per way a connection test fails."""
    if isinstance(exc, WATSTimeoutError):
        return (
            f"No answer from {url} in time ({exc.phase}). Is the server overloaded or the "
            "network slow? Try again."
        )
    if isinstance(exc, WATSConnectionError):
        detail = str(exc).rstrip(". ")
        return (
            f"Cannot reach {url}: {detail}. Check the address and port, and that the server "
            "is running and reachable from this machine."
        )
    if isinstance(exc, WATSAuthenticationError):
        return (
            f"The server at {url} rejected this token. Check that it was copied "
            "completely and has not been revoked."
        )
    if isinstance(exc, WATSPermissionError):
        return f"The token is valid, but its user may not use the API on {url}."
    if isinstance(exc, WATSNotFoundError):
        return (
            f"{url} answered, but has no {VERSION_PATH}: it is not a WATS server "
            "(check the URL; it is the address you open WATS with in a browser)."
        )
    if isinstance(exc, WATSRedirectError):
        where = exc.server_message or "redirected to another page"
        return (
            f"{url} is not a WATS server's API: it {where} (a login page or a portal?). "
            "Enter the address WATS itself answers on."
        )
    if isinstance(exc, WATSUnexpectedResponseError):
        return f"{url} answered, but not like a WATS server: {exc}"
    if isinstance(exc, WATSServerError):
        return (
            f"The server at {url} failed ({exc.status_code}). Try again later, or ask "
            "the WATS administrator."
        )
    if isinstance(exc, WATSStatusError):
        return (
            f"{url} answered {exc.status_code}: {exc.server_message or 'no message'}. "
            "Is this the WATS server?"
        )
    return describe_error(exc).message


class ConnectionScreen(WATSScreen):
    """Server URL and token, tested before they are saved."""

    NAV_NAME = "connection"
    tracks_connection = False  # it tests servers the app is not (yet) using
    BINDINGS = [
        Binding("ctrl+t", "test", "Test connection", id="test-connection"),
        Binding("ctrl+s", "save", "Save and connect", id="save-connection"),
    ]

    def can_go_back(self) -> bool:
        return self.wats_app.client is not None  # back to the server in use

    def action_back(self) -> None:
        self.wats_app.go_home()

    def compose_body(self) -> ComposeResult:
        # Scrolls: at 80x24 a long reason can push the last lines below the footer.
        with VerticalScroll(id="connection-form", can_focus=False):
            yield Static("Connect to a WATS server", id="connection-title")
            yield Static("", id="connection-status")
            yield Label("Server URL")
            yield Input(placeholder="https://your-company.wats.com", id="url")
            yield Label("API token (as issued by WATS)")
            yield Input(placeholder="token", password=True, id="token")
            with Horizontal(id="connection-buttons"):
                yield Button("Test connection", id="test", action="screen.test")
                yield Button("Save and connect", id="save", variant="primary", action="screen.save")
            yield Static("", id="connection-timeouts")
            yield Static("", id="connection-path")

    def on_mount(self) -> None:
        app = self.wats_app
        self.query_one("#url", Input).value = app.server_url
        self.query_one("#token", Input).value = app.current_token
        path = app.config_path or default_config_path()
        self.query_one("#connection-path", Static).update(
            Text(f"Saving writes {path}, readable only by you.")
        )
        self.query_one("#connection-timeouts", Static).update(Text(self._timeouts()))
        self._show_problem()
        self.query_one("#url", Input).focus()

    def _timeouts(self) -> str:
        """The timeouts of the client in use (or of the one Save would make)."""
        client = self.wats_app.client
        if client is None:
            return timeouts_line()
        return timeouts_line(client.http.config.deadline, client.http.config.timeout)

    @on(events.ScreenResume)
    def _show_problem_again(self) -> None:
        self._show_problem()

    def _show_problem(self) -> None:
        problem = self.wats_app.connection_problem
        if problem:
            self._status(problem, "error")
        elif self.wats_app.client is None:
            self._status(
                "No server configured yet: enter its URL and your API token, then "
                "Save and connect (ctrl+s).",
                "idle",
            )

    def _status(self, text: str, kind: str) -> None:
        status = self.query_one("#connection-status", Static)
        status.update(Text(text))  # not markup: it holds URLs and the server's own words
        status.set_classes(f"status-{kind}")

    # ----------------------------------------------------------------- actions

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "url":
            self.query_one("#token", Input).focus()
        else:
            self.action_save()

    def action_test(self) -> None:
        self._start(save=False)

    def action_save(self) -> None:
        self._start(save=True)

    def _target(self) -> _Target | None:
        """The form's values, or None after saying which field is wrong."""
        raw_url = self.query_one("#url", Input).value
        token = self.query_one("#token", Input).value.strip()
        if not raw_url.strip():
            self._status("Enter the server URL, e.g. https://your-company.wats.com", "error")
            self.query_one("#url", Input).focus()
            return None
        try:
            url = normalise_url(raw_url, "Server URL")
        except ConfigError as exc:
            self._status(f"Server URL: {exc.problem}", "error")
            self.query_one("#url", Input).focus()
            return None
        if not token:
            self._status("Enter the API token.", "error")
            self.query_one("#token", Input).focus()
            return None
        return _Target(url, token)

    def _start(self, *, save: bool) -> None:
        target = self._target()
        if target is None:
            return
        self._status(f"Connecting to {target.url}…", "busy")
        self.run_task(
            "connect",
            lambda: self._probe(target),
            lambda version: self._succeeded(target, version, save=save),
            lambda exc: self._status(explain_connection_error(target.url, exc), "error"),
            controls=["test", "save"],
            disable=["#url", "#token"],
            description=f"Testing connection to {target.url}",
            on_cancelled=lambda: self._status("Connection test cancelled.", "idle"),
        )

    async def _probe(self, target: _Target) -> str:
        # No retries: a person is waiting, and the answer should come at once.
        client = self.wats_app.make_client(target.url, target.token, max_retries=0)
        try:
            version = await client.get_version()
        finally:
            await client.close()
        if not version:
            raise WATSUnexpectedResponseError(
                "it sent an empty version",
                status_code=200,
                method="GET",
                path=VERSION_PATH,
                body_excerpt="",
            )
        return version

    def _succeeded(self, target: _Target, version: str, *, save: bool) -> None:
        if not save:
            self._status(f"Connected: {target.url} runs WATS {version}.", "ok")
            return
        app = self.wats_app
        if app.demo is not None and target.url == app.demo.url:
            # The demo server lives only as long as this app: never make it the saved server.
            self._status("Connected to the demo server (not saved: it ends with the app).", "ok")
        else:
            try:
                path = self._save(target)
            except (ConfigError, OSError) as exc:
                text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self._status(f"Connected, but the settings could not be saved: {text}", "error")
                return
            self._status(f"Connected to WATS {version}; saved to {path}.", "ok")
        app.connection_problem = None
        app.connect(target.url, target.token)
        app.server_version = version
        app.go_home()

    def _save(self, target: _Target) -> Path:
        path = self.wats_app.config_path or default_config_path()
        try:
            existing = read_config_file(path)
        except WATSError:
            # Unreadable or invalid: keep the user's text beside it rather than lose it.
            path.replace(path.with_name(path.name + ".invalid"))
            existing = {}
        existing.update({"url": target.url, "token": target.token})
        return save_settings(existing, path)
