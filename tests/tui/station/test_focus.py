"""Focus on the connection screen, the one screen outside the registry (issue 17: "after
Test connection, focus is lost"): it opens in the URL field, Escape moves to a button (never
to nothing, never out of the screen), and a finished test leaves focus on the form.
Every registered screen is checked in test_every_screen.py."""

from __future__ import annotations

from textual.widgets import Button, Input

from tests.support.tui import idle, showing
from tests.tui.conftest import ShellAppFactory, Until
from tui.screens.connection import ConnectionScreen


async def test_connection_screen_escape_from_a_field_lands_on_a_button(
    shell_app: ShellAppFactory, until: Until
) -> None:
    app = shell_app(url=None, token=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, ConnectionScreen))
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        url = screen.query_one("#url", Input)
        assert app.focused is url
        await pilot.press("escape")
        assert isinstance(app.focused, Button)
        assert app.screen is screen


async def test_focus_is_not_lost_after_test_connection(
    shell_app: ShellAppFactory, until: Until
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: showing(app, ConnectionScreen))
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        test = screen.query_one("#test", Button)
        test.focus()
        await pilot.pause()
        await pilot.press("enter")  # the button is disabled while the test runs
        await idle(pilot)
        assert app.focused is not None and app.screen is screen
