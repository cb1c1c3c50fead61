"""The deliberate way through the app's one confirmation, for tests of any screen."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input

from tui.widgets.confirm import ConfirmBase

__all__ = ["cancel", "confirm"]


async def confirm(pilot: Pilot[Any], typed: str | None = None, comment: str | None = None) -> None:
    """Type the comment and the serial or count if asked, Tab to Confirm, Enter."""
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmBase), f"no confirmation open: {dialog!r}"
    for selector, text in (("#confirm-comment", comment), ("#confirm-typed", typed)):
        if text is not None:
            dialog.query_one(selector, Input).focus()
            await pilot.pause()
            await pilot.press(*text)
    yes = dialog.query_one("#confirm-yes", Button)
    for _ in range(6):
        if dialog.focused is yes:
            break
        await pilot.press("tab")
    assert dialog.focused is yes, "Tab never reached Confirm (is it disabled?)"
    await pilot.press("enter")
    await pilot.pause()


async def cancel(pilot: Pilot[Any]) -> None:
    """Enter on Cancel, where the dialog opens."""
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmBase)
    assert dialog.focused is dialog.query_one("#confirm-no", Button)
    await pilot.press("enter")
    await pilot.pause()
