"""Toasts do not stack the same message, and the error history keeps the last errors with
repeats folded, readable after their toasts are gone (issue 17, error states)."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import DataTable, OptionList, Static

from tests.support.tui import idle, showing
from tests.tui.conftest import ShellAppFactory, Until
from tui.app import WATSApp
from tui.notices import TIMES, ErrorHistory
from tui.screens.dashboard import DashboardScreen
from tui.screens.errors import ErrorHistoryScreen


def first_option(app: WATSApp) -> str:
    options = app.screen.query_one(OptionList)
    return str(options.get_option_at_index(0).prompt) if options.option_count else ""


def toasts(app: WATSApp, message: str) -> list[str]:
    """Titles of the notifications the app shows with this message."""
    return [n.title for n in app._notifications if n.message == message]


async def test_the_same_error_folds_into_one_toast_and_one_history_row(
    shell_app: ShellAppFactory, until: Until
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen), what="dashboard")
        await idle(pilot)
        for _ in range(3):
            app.notify("Could not reach the server.", title="Server unreachable", severity="error")
            await pilot.pause()
        app.notify("Another thing.", title="Other", severity="warning", timeout=0.2)
        await pilot.pause()
        assert toasts(app, "Could not reach the server.") == [f"Server unreachable {TIMES}3"]
        await until(pilot, lambda: not toasts(app, "Another thing."), what="toast gone")

        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"Error history")
        await until(pilot, lambda: first_option(app).startswith("Go to Error history"))
        await pilot.press("enter")
        await until(pilot, lambda: showing(app, ErrorHistoryScreen), what="history screen")
        await idle(pilot)
        table = app.screen.query_one("#errors-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[1:3] for row in rows] == [["", "Other"], [f"{TIMES}3", "Server unreachable"]]
        # The warning's toast is gone; its text is here, whole.
        detail = str(app.screen.query_one("#errors-message", Static).content)
        assert "Another thing." in detail
        await pilot.press("down")
        detail = str(app.screen.query_one("#errors-message", Static).content)
        assert "Could not reach the server." in detail and "3 times" in detail


async def test_a_failing_reload_feeds_the_history_once_per_distinct_error(
    shell_app: ShellAppFactory, until: Until
) -> None:
    """A server going down: every reload fails the same way, and one row counts them."""
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen), what="dashboard")
        await idle(pilot)
        assert app.client is not None
        await app.client.close()  # the client is gone: every call fails the same way
        for _ in range(3):
            await pilot.press("r")
            await idle(pilot)
        errors = app.error_history.entries()
        assert len(errors) == 1 and errors[0].count >= 3
        shown = [n for n in app._notifications if n.message == errors[0].message]
        assert len(shown) == 1 and shown[0].title.endswith(f"{TIMES}{errors[0].count}")


def test_the_history_keeps_the_last_distinct_errors_newest_first() -> None:
    history = ErrorHistory(size=3)
    for message in ("a", "b", "a", "c", "d"):
        history.record("error", "T", message)
    assert [(e.message, e.count) for e in history.entries()] == [("d", 1), ("c", 1), ("a", 2)]
