"""The station rules, checked on every screen of the navigation registry (issue 17), one app
per screen so the suite stays quick, at a station's 80x24:

- focus: the home widget has focus when the screen opens; Escape in any field lands on the
  main list (never nowhere, never a field), and then a digit switches screens; Enter or Down
  in a filter moves to its list; the header says ``typing`` or ``keys``; focus lost for any
  reason comes back to the list;
- a visible focus: the list and each compact field look different focused, after rounding
  their frame's colours to the 256-colour palette;
- the everyday keys: ``?`` and F1 open help, F5 reloads, ``c`` copies the highlighted value
  through OSC 52 with a toast naming it, ``/`` opens a search of the list (or the screen's own
  filter); the header counts the focused list.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from rich.color import ColorSystem
from textual.color import Color
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, TextArea, Tree

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import idle, open_mode, showing
from tests.tui.conftest import ShellAppFactory
from tui.app import WATSApp
from tui.help import HelpScreen
from tui.navigation import discover_screens, nav_entries, palette_entries
from tui.screen import WATSScreen
from tui.widgets.clipboard import cell_text
from tui.widgets.find_bar import FindBar
from tui.widgets.list_position import ListPosition
from tui.widgets.mode_hint import ModeHint

discover_screens()
SCREENS = [entry.name for entry in [*nav_entries(), *palette_entries()]]


def test_the_registry_lists_the_screens_these_tests_walk() -> None:
    assert {"dashboard", "products", "units", "reports", "queue"} <= set(SCREENS)


def _fields(screen: WATSScreen, *, plain_text: bool = False) -> list[Input]:
    fields = [f for f in screen.query("#body Input").results(Input) if f.focusable]
    if plain_text:
        fields = [f for f in fields if f.type == "text" and not f.restrict]
    return fields


# ----------------------------------------------------------------- focus


async def check_home_and_list(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    home = screen.home_widget()
    assert home is not None, f"{name} has no home widget"
    assert pilot.app.focused is home, f"{name}: focus is on {pilot.app.focused!r}, not {home!r}"
    target = screen.list_widget()
    assert target is not None and not isinstance(target, Input | TextArea)


async def check_filters(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    filters = [f for f in _fields(screen) if screen._is_filter(f)]
    assert bool(filters) == bool(screen.FILTERS), f"{name}: FILTERS {screen.FILTERS} not on screen"
    for key in ("down", "enter"):
        for field in filters:
            field.focus()
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert pilot.app.focused is screen.list_widget(), f"{name}: {key} in #{field.id}"
            await idle(pilot)


async def check_focus_comes_back(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    target = screen.list_widget()
    assert target is not None
    target.focus()
    await pilot.pause()
    screen.set_focus(None)  # as when the focused button is disabled while its work runs
    await idle(pilot)
    assert pilot.app.focused is target, f"{name}: focus stayed nowhere"


async def check_escape_then_digit(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    """Last: it leaves the screen."""
    app = pilot.app
    assert isinstance(app, WATSApp)
    hint = screen.query_one("#header").query_one(ModeHint)
    other = next(entry for entry in nav_entries() if entry.name != name)
    for field in _fields(screen):
        field.focus()
        await pilot.pause()
        assert hint.typing and "typing" in str(hint.render()), f"{name}: no typing hint"
        before = field.value
        await pilot.press(other.key)  # typed into the field: a field takes digits
        assert app.screen is screen, f"{name}: a digit in #{field.id} switched screens"
        assert field.value != before or field.type == "integer" or field.restrict
        await pilot.press("escape")  # also while the filter's load runs
        await pilot.pause()
        assert app.focused is not None, f"{name}: Escape in #{field.id} left no focus"
        assert app.focused is screen.list_widget()
        assert app.screen is screen, f"{name}: Escape in #{field.id} left the screen"
        assert not hint.typing and "keys" in str(hint.render())
        await idle(pilot)
    await pilot.press(other.key)
    await idle(pilot)
    assert app.current_mode == other.name, f"{name}: Escape, then {other.key} stayed"


# ----------------------------------------------------------------- visible focus


def _in_256(color: Color) -> str:
    return str(color.rich_color.downgrade(ColorSystem.EIGHT_BIT).number)


def _frame(widget: Widget) -> tuple[object, ...]:
    """What a 256-colour terminal shows of the widget's frame: each edge's kind and colour.

    The frame, not the background: Textual's own focus mark is a 5% background tint, one grey
    step of the palette, which nobody sees across a station's room.
    """
    styles = widget.styles
    edges = (styles.border_top, styles.border_right, styles.border_bottom, styles.border_left)
    return tuple((kind, _in_256(color) if kind else None) for kind, color in edges)


async def check_visible_focus(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    target = screen.list_widget()
    assert target is not None
    compact = [f for f in _fields(screen) if f.has_class("-textual-compact")]
    for widget in [target, *compact]:
        widget.focus()
        await pilot.pause()
        assert screen.focused is widget
        focused = _frame(widget)
        screen._regain_focus = lambda: None  # type: ignore[method-assign]
        screen.set_focus(None)
        await pilot.pause()
        blurred = _frame(widget)
        del screen._regain_focus  # type: ignore[attr-defined]
        assert focused != blurred, f"{name}: #{widget.id} looks the same focused or not"
    target.focus()
    await pilot.pause()


# ----------------------------------------------------------------- everyday keys


async def check_help(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    app = pilot.app
    screen.focus_list()
    await pilot.pause()
    for key in ("question_mark", "f1"):
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen), f"{key} on {name}"
        await pilot.press(key)  # the same key closes it
        await pilot.pause()
        assert app.screen is screen
    fields = _fields(screen, plain_text=True)
    if fields:  # while typing, ? is a character of the field
        fields[0].focus()
        await pilot.pause()
        await pilot.press("question_mark")
        assert app.screen is screen and "?" in fields[0].value
        await pilot.press("backspace", "escape")
        await idle(pilot)


async def check_f5(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    assert hasattr(screen, "action_reload"), f"{name} cannot reload"
    calls: list[str] = []
    original = screen.action_reload  # type: ignore[attr-defined]

    def counted() -> None:
        calls.append(name)
        original()

    screen.action_reload = counted  # type: ignore[attr-defined]
    screen.focus_list()
    await pilot.pause()
    await pilot.press("f5")
    await idle(pilot)
    del screen.action_reload  # type: ignore[attr-defined]
    assert calls == [name], f"{name}: F5 did not reload"


def _osc52(app: WATSApp) -> list[str]:
    """What the app sends the terminal as OSC 52 (clipboard) sequences, decoded."""
    copied: list[str] = []
    driver = app._driver
    assert driver is not None
    write = driver.write

    def spy(data: str) -> None:
        if data.startswith("\x1b]52;c;"):
            copied.append(base64.b64decode(data[7:].rstrip("\a")).decode())
        write(data)

    driver.write = spy  # type: ignore[method-assign]
    return copied


async def check_copy(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    app = pilot.app
    assert isinstance(app, WATSApp)
    written = _osc52(app)
    target = screen.list_widget()
    assert isinstance(target, DataTable | Tree), f"{name}: no list to copy from"
    target.focus()
    await pilot.pause()
    if isinstance(target, DataTable):
        if target.row_count == 0:
            return  # nothing listed on a fresh emulator (the queue): nothing to copy
        target.move_cursor(row=min(1, target.row_count - 1))
        await pilot.pause()
        row = [cell_text(value) for value in target.get_row_at(target.cursor_row)]
    else:
        node = target.cursor_node or target.root
        target.move_cursor(node)
        row = [cell_text(node.label)]
    app.clear_notifications()
    await pilot.press("c")
    await pilot.pause()
    copied = app.clipboard
    assert copied and copied in row, f"{name}: copied {copied!r}, the row is {row}"
    assert written == [copied], "not sent to the terminal as OSC 52"
    toasts = [str(n.message) for n in app._notifications]
    assert any(t.startswith("Copied ") and copied[:30] in t for t in toasts), toasts


async def check_find(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    app = pilot.app
    target = screen.list_widget()
    screen.focus_list()
    await pilot.pause()
    await pilot.press("slash")
    await pilot.pause()
    focused = app.focused
    assert isinstance(focused, Input), f"{name}: / did not open a search field"
    bars = screen.query(FindBar)
    if not bars:  # the screen's own filter (products, reports...): typing filters the list
        await pilot.press("escape")
        await idle(pilot)
        return
    assert isinstance(target, DataTable | Tree)
    if isinstance(target, DataTable) and target.row_count >= 2:
        last = target.row_count - 1
        wanted = next(t for t in map(cell_text, target.get_row_at(last)) if t)
        await pilot.press(*wanted)
        await pilot.pause()
        found = [cell_text(value) for value in target.get_row_at(target.cursor_row)]
        assert any(wanted.casefold() in text.casefold() for text in found)
    else:
        await pilot.press(*"zz-no-such-thing")
        await pilot.pause()
        assert "no match" in str(bars.first().query_one("#find-count").render())
    await pilot.press("escape")  # closes the bar, back in the list
    await pilot.pause()
    assert app.focused is target and not bars.first().display


async def check_position(pilot: Pilot[Any], screen: WATSScreen, name: str) -> None:
    target = screen.list_widget()
    assert target is not None
    target.focus()
    await pilot.pause()

    def shown() -> str:
        return str(screen.query_one("#header").query_one(ListPosition).render()).strip()

    if not isinstance(target, DataTable) or getattr(screen, "pager", None) is not None:
        assert shown(), f"{name}: no position in the header"
        return
    if target.row_count == 0:
        assert shown() == "empty"
        return
    target.move_cursor(row=0)
    await pilot.pause()
    assert shown() == f"1 of {target.row_count:,}"
    if target.row_count > 1:
        await pilot.press("down")
        await pilot.pause()
        assert shown() == f"2 of {target.row_count:,}"


# ----------------------------------------------------------------- one app per screen


@pytest.fixture
def start_screen(name: str) -> str:
    """Each walk's app opens on the screen it walks."""
    return name


@pytest.mark.parametrize("name", SCREENS)
async def test_the_station_rules_hold_on_every_screen(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, name: str
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await open_mode(pilot, name)
        screen = app.screen
        assert isinstance(screen, WATSScreen) and showing(app, type(screen))
        await check_home_and_list(pilot, screen, name)
        if name == "units":  # a unit on screen, so F5 has something to read again
            serial = str(emulator.store.scalar("SELECT serial_number FROM production_unit LIMIT 1"))
            await pilot.press(*serial, "enter")
            await idle(pilot)
        for check in (
            check_visible_focus,
            check_focus_comes_back,
            check_position,
            check_copy,
            check_help,
            check_find,
            check_f5,
            check_filters,
            check_escape_then_digit,  # last: it leaves the screen
        ):
            await check(pilot, screen, name)
