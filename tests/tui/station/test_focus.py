"""Station focus rules on every registered screen (issue 17, "keys depend on a focus nobody can
see"): a home widget focused on open, Escape from a field to the main list (never to
nothing) so that "Escape, then a digit" switches screens, Enter or Down from a filter to its
list, and a header that says whether keys are typed or are commands."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, TextArea

from tests.support.tui import idle, showing
from tests.tui.conftest import ShellAppFactory, Until
from tui.navigation import discover_screens, nav_entries, palette_entries
from tui.screen import WATSScreen
from tui.screens.connection import ConnectionScreen
from tui.widgets.mode_hint import ModeHint

discover_screens()
SCREENS = [entry.name for entry in [*nav_entries(), *palette_entries()]]
KEYS = {entry.name: entry.key for entry in nav_entries()}


def _text_inputs(screen: WATSScreen) -> list[Input]:
    return [field for field in screen.query("#body Input").results(Input) if field.focusable]


async def _open(pilot: object, app: object, name: str) -> WATSScreen:
    from textual.pilot import Pilot

    from tui.app import WATSApp

    assert isinstance(pilot, Pilot) and isinstance(app, WATSApp)
    await idle(pilot)
    app.action_go(name)
    await idle(pilot)
    screen = app.screen
    assert isinstance(screen, WATSScreen) and showing(app, type(screen))
    return screen


def test_the_registry_lists_the_screens_these_tests_walk() -> None:
    assert {"dashboard", "products", "units", "reports", "queue"} <= set(SCREENS)


@pytest.mark.parametrize("name", SCREENS)
async def test_every_screen_opens_with_its_home_widget_focused(
    shell_app: ShellAppFactory, name: str
) -> None:
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app, name)
        home = screen.home_widget()
        assert home is not None, f"{name} has no home widget"
        assert app.focused is home, f"{name}: focus is on {app.focused!r}, not {home!r}"
        # The main list is where Escape lands: never a text field, never nothing.
        target = screen.list_widget()
        assert target is not None and not isinstance(target, Input | TextArea)


@pytest.mark.parametrize("name", SCREENS)
async def test_escape_in_any_field_goes_to_the_list_then_a_digit_switches_screens(
    shell_app: ShellAppFactory, name: str
) -> None:
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app, name)
        fields = _text_inputs(screen)
        other = next(entry for entry in nav_entries() if entry.name != name)
        for field in fields:
            field.focus()
            await pilot.pause()
            before = field.value
            await pilot.press(other.key)  # typed into the field: a field takes digits
            assert app.screen is screen, f"{name}: a digit in #{field.id} switched screens"
            assert field.value != before or field.type == "integer" or field.restrict
            await pilot.press("escape")  # also while the filter's load runs
            await pilot.pause()
            assert app.focused is not None, f"{name}: Escape in #{field.id} left no focus"
            assert app.focused is screen.list_widget()
            assert not isinstance(app.focused, Input | TextArea)
            assert app.screen is screen, f"{name}: Escape in #{field.id} left the screen"
            await idle(pilot)
        await pilot.press(other.key)
        await idle(pilot)
        assert app.current_mode == other.name, f"{name}: Escape, then {other.key} stayed"


@pytest.mark.parametrize("name", SCREENS)
async def test_enter_or_down_in_a_filter_moves_to_its_list(
    shell_app: ShellAppFactory, name: str
) -> None:
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app, name)
        filters = [f for f in _text_inputs(screen) if screen._is_filter(f)]
        if not screen.FILTERS:
            assert not filters
            pytest.skip(f"{name} has no filter field")
        assert filters, f"{name} names filters {screen.FILTERS} that are not on screen"
        for key in ("down", "enter"):
            for field in filters:
                field.focus()
                await pilot.pause()
                await pilot.press(key)
                await pilot.pause()
                assert app.focused is screen.list_widget(), f"{name}: {key} in #{field.id}"
                await idle(pilot)


@pytest.mark.parametrize("name", ["products", "reports", "units", "tickets", "users"])
async def test_the_header_says_whether_keys_are_typed_or_commands(
    shell_app: ShellAppFactory, name: str
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app, name)
        hint = screen.query_one("#header").query_one(ModeHint)
        field = _text_inputs(screen)[0]
        field.focus()
        await pilot.pause()
        assert hint.typing and "typing" in str(hint.render())
        await pilot.press("escape")
        await idle(pilot)
        assert not hint.typing and "keys" in str(hint.render())


async def test_connection_screen_escape_from_a_field_lands_on_a_button(
    shell_app: ShellAppFactory, until: Until
) -> None:
    app = shell_app(url=None, token=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, ConnectionScreen))
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        assert app.focused is screen.query_one("#url", Input)
        await pilot.press("escape")
        assert isinstance(app.focused, Button)
        await pilot.press("tab")
        assert app.focused is not None
