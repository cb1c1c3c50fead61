"""The connection screen (acceptance 2): a specific message for each way a server can be
wrong, and a good URL and token saved with mode 0600 before the dashboard opens."""

from __future__ import annotations

import base64
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from textual.widgets import DataTable, Input, Static

from pywats import AsyncWATS
from pywats.config import save_settings
from pywats.emulator.testing import InProcessEmulator
from tests.support.loopback_server import free_port
from tests.support.tui import showing, status_text
from tests.tui.conftest import Until
from tui.app import WATSApp
from tui.screens.connection import ConnectionScreen
from tui.screens.dashboard import DashboardScreen

HTML_URL = "http://login-portal.test"
TEXT_URL = "http://not-wats.test"
WRONG_TOKEN = base64.b64encode(b"emulator:wrong").decode()


async def _html(request: object) -> Response:
    return HTMLResponse("<!doctype html><html><body>Please log in</body></html>")


async def _text(request: object) -> Response:
    return Response(b"\x00\x01 garbage \xff", media_type="application/octet-stream")


GARBAGE = {
    HTML_URL: Starlette(routes=[Route("/{path:path}", _html)]),
    TEXT_URL: Starlette(routes=[Route("/{path:path}", _text)]),
}


@pytest.fixture
def app_factory(emulator: InProcessEmulator, config_path: Path) -> Callable[..., WATSApp]:
    """The emulator and the garbage servers in-process; any other URL over the real network."""

    def client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        transport: httpx2.AsyncBaseTransport | None = None
        if url == emulator.base_url:
            transport = emulator.transport()
        elif url in GARBAGE:
            transport = httpx2.ASGITransport(app=GARBAGE[url])
        return AsyncWATS(url, token, transport=transport, max_retries=max_retries)

    def build(**options: object) -> WATSApp:
        return WATSApp(config_path=config_path, client_factory=client, **options)  # type: ignore[arg-type]

    return build


async def run_test_connection(
    app: WATSApp, pilot: object, until: Until, url: str, token: str
) -> ConnectionScreen:
    await until(pilot, lambda: showing(app, ConnectionScreen))
    screen = app.screen
    assert isinstance(screen, ConnectionScreen)
    screen.query_one("#url", Input).value = url
    screen.query_one("#token", Input).value = token
    await pilot.press("ctrl+t")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await until(pilot, lambda: not screen.task_running("connect"))
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


async def test_no_configuration_opens_the_connection_screen(
    app_factory: Callable[..., WATSApp], config_path: Path, until: Until
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, ConnectionScreen))
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        assert screen.query_one("#token", Input).password  # masked
        assert app.focused is screen.query_one("#url", Input)
        assert status_text(screen).startswith("No server configured yet")
        assert not config_path.exists()


async def test_unreachable_url(app_factory: Callable[..., WATSApp], until: Until) -> None:
    app = app_factory()
    url = f"http://127.0.0.1:{free_port()}"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_test_connection(app, pilot, until, url, "dG9rZW4=")
        text = status_text(screen)
        assert text.startswith(f"Cannot reach {url}")
        assert "address and port" in text


async def test_messages_show_brackets_literally(
    app_factory: Callable[..., WATSApp], until: Until
) -> None:
    app = app_factory()
    url = f"http://[::1]:{free_port()}"  # IPv6 literal: brackets that markup would eat
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_test_connection(app, pilot, until, url, "dG9rZW4=")
        rendered = str(screen.query_one("#connection-status", Static).render())
        assert rendered.startswith(f"Cannot reach {url}")


async def test_wrong_token(
    app_factory: Callable[..., WATSApp], emulator: InProcessEmulator, until: Until
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_test_connection(app, pilot, until, emulator.base_url, WRONG_TOKEN)
        assert "rejected this token" in status_text(screen)
        assert WRONG_TOKEN not in status_text(screen)


@pytest.mark.parametrize(
    ("url", "detail"), [(HTML_URL, "HTML page"), (TEXT_URL, "not like a WATS server")]
)
async def test_server_answering_garbage(
    app_factory: Callable[..., WATSApp], until: Until, url: str, detail: str
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_test_connection(app, pilot, until, url, "dG9rZW4=")
        text = status_text(screen)
        assert text.startswith(f"{url} answered, but not like a WATS server")
        assert detail in text
        # The SDK's plain-http warning is shown, not printed over the screen.
        assert any("unencrypted" in note.message for note in app._notifications)


async def test_bad_url_is_named_before_any_request(
    app_factory: Callable[..., WATSApp], emulator: InProcessEmulator, until: Until
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_test_connection(app, pilot, until, "wats.local", "dG9rZW4=")
        assert status_text(screen).startswith("Server URL: 'wats.local' is not an http(s) URL")
        assert app.focused is screen.query_one("#url", Input)
        screen.query_one("#url", Input).value = emulator.base_url
        screen.query_one("#token", Input).value = ""
        await pilot.press("ctrl+t")
        assert status_text(screen) == "Enter the API token."
        assert emulator.traffic.count == 0


async def test_good_url_and_token_save_0600_and_open_the_dashboard(
    app_factory: Callable[..., WATSApp],
    emulator: InProcessEmulator,
    config_path: Path,
    until: Until,
) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text('timeout = 30\nurl = "http://old.example"\n')  # kept, overwritten
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, ConnectionScreen))
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        screen.query_one("#url", Input).value = emulator.base_url + "/"
        screen.query_one("#token", Input).value = emulator.token
        await pilot.press("ctrl+s")
        await until(pilot, lambda: showing(app, DashboardScreen))
        dash = app.screen
        await until(pilot, lambda: dash.query_one("#dash-processes", DataTable).row_count > 0)
        assert app.server_url == emulator.base_url
        assert app.server_version == "24.1.0"
        assert app.connection_state == "connected"

    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    saved = tomllib.loads(config_path.read_text())
    assert saved == {"timeout": 30, "url": emulator.base_url, "token": emulator.token}


async def test_saved_settings_that_fail_open_the_connection_screen_with_the_reason(
    app_factory: Callable[..., WATSApp],
    emulator: InProcessEmulator,
    config_path: Path,
    until: Until,
) -> None:
    save_settings({"url": emulator.base_url, "token": WRONG_TOKEN}, config_path)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, ConnectionScreen))
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        await until(pilot, lambda: "token" in status_text(screen))
        assert "did not accept the token" in status_text(screen)
        assert app.connection_state == "token rejected"
        # The saved values are there to be corrected, the token still masked.
        assert screen.query_one("#url", Input).value == emulator.base_url
        assert screen.query_one("#token", Input).password


async def test_escape_on_an_idle_connection_screen_returns_to_the_dashboard(
    app_factory: Callable[..., WATSApp], emulator: InProcessEmulator, until: Until
) -> None:
    app = app_factory(url=emulator.base_url, token=emulator.token)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen))
        await pilot.press("f2")
        await until(pilot, lambda: showing(app, ConnectionScreen))
        await pilot.press("escape", "escape")  # out of the URL field, then back
        await until(pilot, lambda: showing(app, DashboardScreen))
