"""A server that is not WATS sends the app to the connection screen with that reason, instead
of "connecting" forever (issue 17, error states). Real loopback servers, no mocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.loopback_server import Reply, free_port, serving
from tests.support.raw_http_server import Request
from tests.support.tui import idle, showing, status_text
from tests.tui.conftest import ShellAppFactory, Until
from tests.tui.errors.helpers import loopback_app
from tui.screens.connection import ConnectionScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.units import UnitsScreen

HTML = {"Content-Type": "text/html; charset=utf-8"}
NOT_WATS = {
    # A WATS server under another base path: the web server's JSON 404 for every route.
    "404": Reply(404, b'{"Message":"No HTTP resource was found"}'),
    "html": Reply(200, b"<!doctype html><html><body><h1>Intranet</h1></body></html>", HTML),
    "login": Reply(302, b"", {"Location": "/Account/Login?ReturnUrl=%2Fapi", **HTML}),
    "login page": Reply(
        200, b"<html><form action='/login'>User <input name=u></form></html>", HTML
    ),
    "garbage": Reply(200, b"\x00\x01\xfe garbage \xff", {"Content-Type": "application/json"}),
}


@pytest.mark.parametrize("kind", list(NOT_WATS))
async def test_a_server_that_is_not_wats_opens_the_connection_screen_saying_so(
    kind: str, config_path: Path, until: Until
) -> None:
    with serving(lambda seen: NOT_WATS[kind]) as server:
        app = loopback_app(server.url, config_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: showing(app, ConnectionScreen), what="connection screen")
            status = status_text(app.screen)
            assert server.url in status
            assert "not a WATS server" in status or "not like a WATS server" in status
            if kind == "404":
                assert "/api/App/Version" in status
            if kind == "login":
                assert "/Account/Login" in status
            assert app.connection_state == "not WATS"
            assert server.requests[0].target.startswith("/api/App/Version")


async def test_a_404_on_another_endpoint_is_not_taken_for_a_wrong_server(
    config_path: Path, until: Until
) -> None:
    """Only the version endpoint decides: a WATS server lacking one endpoint stays in use."""

    def handler(seen: Request) -> Reply:
        if seen.target.startswith("/api/App/Version"):
            return Reply(200, b'"24.1.0"')
        return Reply(404, b'{"Message":"No HTTP resource was found"}')

    with serving(handler) as server:
        app = loopback_app(server.url, config_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: showing(app, DashboardScreen), what="dashboard")
            await idle(pilot)
            assert len(server.requests) >= 3
            assert not isinstance(app.screen, ConnectionScreen)
            assert app.connection_state != "not WATS"


BAD_VERSIONS = {
    **NOT_WATS,
    "huge": Reply(200, b'"' + b"9" * 100_000 + b'"'),
    "empty": Reply(200, b""),
}


@pytest.mark.parametrize("kind", list(NOT_WATS))
async def test_a_station_screen_on_a_server_that_is_not_wats_opens_the_connection_screen_at_start(
    kind: str, config_path: Path, until: Until
) -> None:
    """``--screen units`` makes no call until a scan, so the app's own version ask decides:
    the connection screen opens saying why at start, as on the dashboard, not at the first
    scan of a technician who trusted the screen."""
    with serving(lambda seen: BAD_VERSIONS[kind]) as server:
        app = loopback_app(server.url, config_path, screen="units")
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: showing(app, ConnectionScreen), what="connection screen")
            status = status_text(app.screen)
            assert server.url in status
            assert "not a WATS server" in status or "not like a WATS server" in status, status
            assert app.connection_state == "not WATS"
            assert [seen.target.split("?")[0] for seen in server.requests] == ["/api/App/Version"]


async def test_a_station_screen_on_an_unreachable_server_opens_the_connection_screen_at_start(
    config_path: Path, until: Until
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    app = loopback_app(url, config_path, screen="units")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, ConnectionScreen), what="connection screen")
        status = status_text(app.screen)
        assert "127.0.0.1" in status, status
        assert app.connection_state == "unreachable"


@pytest.mark.parametrize("kind", ["huge", "empty"])
async def test_a_station_screen_stays_on_a_huge_or_an_empty_version(
    kind: str, config_path: Path, until: Until
) -> None:
    """A version is a version, however long, and an empty answer names none: the station
    stays on Units with its scan field focused; a huge version is cut to the header's line
    and proves the server answers (the header says connected)."""
    with serving(lambda seen: BAD_VERSIONS[kind]) as server:
        app = loopback_app(server.url, config_path, screen="units")
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: showing(app, UnitsScreen), what="the Units screen")
            await until(pilot, lambda: bool(server.requests), what="the version ask")
            await idle(pilot)
            assert isinstance(app.screen, UnitsScreen)
            assert app.focused is app.screen.query_one("#unit-serial")
            header = app.screen._compositor.render_strips()[0].text  # as the terminal shows it
            assert len(header) == 80, header
            if kind == "huge":
                assert "WATS 999" in header and "…" in header and "connected" in header, header
            else:
                assert "WATS" not in header.replace("pywats", ""), header


@pytest.mark.start_screen("units")
async def test_a_station_screen_with_a_rejected_token_opens_the_connection_screen_at_start(
    shell_app: ShellAppFactory, until: Until
) -> None:
    """The version needs the token too, so a station learns of a wrong one before any scan."""
    app = shell_app(token="d3Jvbmc6dG9rZW4=")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, ConnectionScreen), what="connection screen")
        assert app.connection_state == "token rejected"
        status = status_text(app.screen)
        assert "d3Jvbmc6dG9rZW4=" not in status, status
