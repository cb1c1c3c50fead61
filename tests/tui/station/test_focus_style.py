"""A visible focus (issue 17, "keys depend on a focus nobody can see"): on every registered
screen the main list or tree, and every compact filter field, look different when focused,
and the difference survives a 256-colour terminal (colours compared after rounding to the
xterm-256 palette, as Textual does on such a terminal)."""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import ColorSystem
from textual.color import Color
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from tests.support.tui import idle, showing
from tests.tui.conftest import ShellAppFactory
from tui.app import WATSApp
from tui.navigation import discover_screens, nav_entries, palette_entries
from tui.screen import WATSScreen

discover_screens()
SCREENS = [entry.name for entry in [*nav_entries(), *palette_entries()]]


def _in_256(color: Color) -> str:
    return str(color.rich_color.downgrade(ColorSystem.EIGHT_BIT).number)


def _look(widget: Widget) -> tuple[object, ...]:
    """What a 256-colour terminal shows of the widget's frame: each edge's kind and colour.

    The frame, not the background: Textual's own focus mark is a 5% background tint, one grey
    step of the palette, which nobody sees across a station's room.
    """
    styles = widget.styles
    edges = (styles.border_top, styles.border_right, styles.border_bottom, styles.border_left)
    return tuple((kind, _in_256(color) if kind else None) for kind, color in edges)


async def _looks(pilot: Pilot[Any], screen: WATSScreen, widget: Widget) -> tuple[Any, Any]:
    widget.focus()
    await pilot.pause()
    assert screen.focused is widget
    focused = _look(widget)
    screen._regain_focus = lambda: None  # type: ignore[method-assign]
    screen.set_focus(None)
    await pilot.pause()
    assert screen.focused is None
    blurred = _look(widget)
    del screen._regain_focus  # type: ignore[attr-defined]
    return focused, blurred


@pytest.mark.parametrize("name", SCREENS)
async def test_the_focused_widget_is_marked_in_256_colours(
    shell_app: ShellAppFactory, name: str
) -> None:
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app, WATSApp)
        await idle(pilot)
        app.action_go(name)
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, WATSScreen) and showing(app, type(screen))
        widgets: list[Widget] = []
        target = screen.list_widget()
        assert target is not None
        widgets.append(target)
        widgets += [
            field
            for field in screen.query("#body Input").results(Input)
            if field.focusable and field.has_class("-textual-compact")
        ]
        for widget in widgets:
            focused, blurred = await _looks(pilot, screen, widget)
            assert focused != blurred, f"{name}: #{widget.id} looks the same focused or not"
        # Focus lost for any reason (a focused button disabled while it runs) comes back.
        widgets[-1].focus()
        await pilot.pause()
        screen.set_focus(None)
        await idle(pilot)
        assert app.focused is screen.list_widget()
