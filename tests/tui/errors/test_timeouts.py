"""Interactive calls use shorter timeouts than scripts, and the connection screen says so
(issue 17, error states)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from pywats.options import DEFAULT_DEADLINE
from tests.support.loopback_server import free_port
from tests.support.tui import showing
from tests.tui.conftest import Until
from tests.tui.errors.helpers import TOKEN
from tui.app import WATSApp
from tui.screens.connection import ConnectionScreen
from tui.timeouts import INTERACTIVE_DEADLINE, INTERACTIVE_TIMEOUT


async def test_the_apps_client_has_the_interactive_deadline_and_the_screen_says_so(
    config_path: Path, until: Until
) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens: the connection screen opens
    app = WATSApp(url=url, token=TOKEN, config_path=config_path)  # the app's own client
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.client is not None
        config = app.client.http.config
        assert config.deadline == INTERACTIVE_DEADLINE < DEFAULT_DEADLINE
        assert config.timeout.read == INTERACTIVE_TIMEOUT.read
        assert config.timeout.connect is not None and config.timeout.connect <= 5
        await until(pilot, lambda: showing(app, ConnectionScreen), what="connection screen")
        line = str(app.screen.query_one("#connection-timeouts", Static).content)
        assert f"give up after {INTERACTIVE_DEADLINE:g} s" in line
        assert f"connect {INTERACTIVE_TIMEOUT.connect:g} s" in line
        assert f"up to {DEFAULT_DEADLINE:g} s" in line
        # The line is whole at 80 columns (it wraps, nothing is cut).
        assert app.screen.query_one("#connection-timeouts", Static).region.width <= 80
