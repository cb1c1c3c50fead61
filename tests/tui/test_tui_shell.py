"""The app shell: header, navigation registry and keys, F1 help, command palette, themes, CLI."""

from __future__ import annotations

import gc
import html
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.command import Hit
from textual.screen import Screen
from textual.widgets import DataTable, Static

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import idle, showing
from tests.tui.conftest import Until
from tui.__main__ import main
from tui.app import WATSApp, styles_dir
from tui.commands import WATSCommands
from tui.help import HelpScreen
from tui.navigation import nav_entries, register_screen
from tui.screens.dashboard import DashboardScreen
from tui.screens.units import UnitsScreen


async def test_header_shows_server_version_and_state(
    shell_app: Callable[..., WATSApp], until: Until
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.connection_state == "connected")
        title = str(app.screen.query_one("#header-title", Static).render())
        state = str(app.screen.query_one("#header-state", Static).render())
        assert "http://localhost" in title and "WATS 24.1.0" in title
        assert "connected" in state


@pytest.mark.parametrize("start_screen", ["units", "errorhistory", None])
async def test_the_header_names_the_server_version_whatever_the_first_screen(
    shell_app: Callable[..., WATSApp], emulator: InProcessEmulator, start_screen: str | None
) -> None:
    """A scan station opens on Units (``--screen units``): the dashboard, which asks for the
    version with its own data, never opens there, so the app asks, once."""
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        title = str(app.screen.query_one("#header-title", Static).render())
        assert "WATS 24.1.0" in title, title
        assert emulator.traffic.count_for("GET", "/api/App/Version") == 1


async def test_every_registered_screen_is_one_key_away(
    shell_app: Callable[..., WATSApp], until: Until
) -> None:
    entries = nav_entries()
    assert entries[0].name == "dashboard" and entries[0].key == "1"
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen))
        for entry in entries:
            app.set_focus(None)  # a focused input would take the digit as text
            await pilot.press(entry.key)
            await until(pilot, lambda entry=entry: app.current_mode == entry.name)
            assert type(app.screen) is entry.factory
        nav = str(app.screen.query_one("#nav", Static).render())
        assert entries[-1].label in nav


def test_registry_rejects_unknown_and_taken_keys() -> None:
    with pytest.raises(ValueError, match="navigation key"):
        register_screen(key="x", title="Nope")
    taken = register_screen(key="1", title="Another")
    with pytest.raises(ValueError, match="already used by the Dashboard screen"):
        taken(type("OtherScreen", (Screen,), {}))


async def test_f1_lists_the_screens_keys_and_closes_with_escape(
    shell_app: Callable[..., WATSApp], until: Until
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.connection_state == "connected")
        await pilot.press("f1")
        await until(pilot, lambda: showing(app, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        labels = {row.description for row in help_screen._rows}
        assert {"Reload", "Help", "Connection", "Quit", "Cursor down"} <= labels
        console = Console(width=76, record=True, file=io.StringIO())
        console.print(help_screen._content())
        shown = console.export_text()
        assert "Dashboard: actions" in shown and "In the focused table or field" in shown
        for entry in nav_entries():  # every screen, from the registry
            assert f"{entry.title}: {entry.description}"[:40] in shown
        await pilot.press("escape")
        await until(pilot, lambda: showing(app, DashboardScreen))


async def test_palette_offers_screens_and_actions_not_widget_keys(
    shell_app: Callable[..., WATSApp], until: Until
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.connection_state == "connected")
        dash = app.screen
        provider = WATSCommands(dash)
        titles = [title for title, _, _ in provider._commands()]
        assert "Go to Dashboard" in titles and "Reload" in titles
        assert "Page down" not in titles and "Cursor up" not in titles
        # Running a palette command goes through the same action as its key.
        callback = next(cb for title, _, cb in provider._commands() if title == "Reload")
        app.screen.query_one("#dash-processes", DataTable).clear()
        await callback()  # type: ignore[misc]
        await until(pilot, lambda: dash.query_one("#dash-processes", DataTable).row_count > 0)


async def test_theme_option(shell_app: Callable[..., WATSApp]) -> None:
    assert shell_app().theme == "pywats"
    assert shell_app(theme="pywats-light").theme == "pywats-light"
    assert shell_app(theme="ansi-dark").theme == "ansi-dark"


def test_unknown_theme_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    gc.enable()  # the suite pauses the collector during each test (tests/conftest.py)
    assert main(["--theme", "neon", "--config", str(tmp_path / "c.toml")]) == 2
    err = capsys.readouterr().err
    assert "unknown theme 'neon'" in err and "pywats-light" in err
    assert gc.isenabled()  # main() pauses the collector only while it starts the app


async def test_screen_option_opens_there_and_connecting_returns_there(
    shell_app: Callable[..., WATSApp], until: Until
) -> None:
    app = shell_app(screen="units")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, UnitsScreen), what="the Units screen")
        await idle(pilot)
        assert app.focused is app.screen.query_one("#unit-serial")  # ready for a scan
        await pilot.press("escape", "1")
        await until(pilot, lambda: showing(app, DashboardScreen))
        app.go_home()  # as the connection screen does once a server answers
        await until(pilot, lambda: showing(app, UnitsScreen), what="back on Units")


def test_unknown_screen_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["--screen", "unit", "--config", str(tmp_path / "c.toml")]) == 2
    err = capsys.readouterr().err
    assert "unknown screen 'unit'" in err and "units" in err and "dashboard" in err


def test_styles_are_found_next_to_the_package() -> None:
    # Installed from a wheel they are tui/styles; in a checkout tui/styles links to styles/.
    folder = styles_dir()
    assert (folder / "app.tcss").is_file() and (folder / "dashboard.tcss").is_file()
    assert set(WATSApp.CSS_PATH) == set(folder.glob("*.tcss"))


async def test_url_and_token_arguments_override_the_config_file(
    shell_app: Callable[..., WATSApp], config_path: Path, until: Until
) -> None:
    from pywats.config import save_settings

    save_settings({"url": "https://saved.example", "token": "c2F2ZWQ="}, config_path)
    app = shell_app()  # --url/--token: the emulator's
    assert app.server_url == "http://localhost" and app.current_token != "c2F2ZWQ="
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.connection_state == "connected")
    saved_only = shell_app(url=None, token=None)  # nothing given: the file's values
    assert saved_only.server_url == "https://saved.example"
    assert saved_only.current_token == "c2F2ZWQ="


async def test_palette_look_up_by_typed_text(
    shell_app: Callable[..., WATSApp], until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(DashboardScreen, "PALETTE_LOOKUPS", {"Find serial": "find_serial"})
    monkeypatch.setattr(
        DashboardScreen, "find_serial", lambda self, text: asked.append(text), raising=False
    )
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.connection_state == "connected")
        await pilot.press("f2")  # from another screen: the look-up goes to its screen first
        provider = WATSCommands(app.screen)
        hits = [hit async for hit in provider.search("SN-0042") if isinstance(hit, Hit)]
        hit = next(h for h in hits if str(h.match_display) == "Find serial SN-0042")
        await hit.command()
        await until(pilot, lambda: asked == ["SN-0042"])
        assert isinstance(app.screen, DashboardScreen)


async def test_escape_leaves_a_text_field_so_digits_navigate(
    shell_app: Callable[..., WATSApp], until: Until
) -> None:
    from textual.widgets import Button, Input

    from tui.screens.connection import ConnectionScreen

    app = shell_app(url=None, token=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, ConnectionScreen))
        url = app.screen.query_one("#url", Input)
        assert app.focused is url
        await pilot.press("1")  # typed into the field, as a URL may contain digits
        assert url.value == "1" and isinstance(app.screen, ConnectionScreen)
        await pilot.press("escape")
        assert isinstance(app.focused, Button)  # out of the field, onto a command (never nowhere)
        await pilot.press("1")
        await until(pilot, lambda: showing(app, DashboardScreen))


def test_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("pywats-tui ")


def test_navigation_line_fits_ten_screens_in_80_columns() -> None:
    from textual.screen import Screen as PlainScreen

    from tui.navigation import NavEntry
    from tui.widgets.chrome import nav_line

    names = [
        "Dashboard",
        "Products",
        "Units",
        "Processes",
        "Reports",
        "Analytics",
        "Assets",
        "Software",
        "Root cause",
        "Users",
    ]
    entries = [
        NavEntry(
            key=str((i + 1) % 10),
            name=n.lower(),
            title=n,
            label=n,
            short=n[:4],
            description="",
            factory=PlainScreen,
        )
        for i, n in enumerate(names)
    ]
    narrow = nav_line(entries, "units", 80).plain
    assert len(narrow) <= 80
    assert " 3 Units " in narrow and "2 Prod" in narrow and "0 User" in narrow
    wide = nav_line(entries, "units", 140).plain
    assert "2 Products" in wide and "9 Root cause" in wide
    assert nav_line(entries, "units", 30).plain.startswith("1 2 ")  # keys alone


async def test_dashboard_shows_server_names_literally(
    shell_app: Callable[..., WATSApp], emulator: InProcessEmulator, until: Until
) -> None:
    # Sorted first among the groups, so it is in view however little room the table has.
    emulator.store.execute("INSERT INTO product_group (name) VALUES ('A [b]Legacy[/b] boards')")
    app = shell_app()
    # At 80x24 production takes the dashboard's height; the groups table has rows at 120x48.
    async with app.run_test(size=(120, 48)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen))
        groups = app.screen.query_one("#dash-groups", DataTable)
        await until(pilot, lambda: groups.row_count > 0)
        await pilot.pause()
        screen_text = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "[b]Legacy[/b]" in screen_text  # drawn as sent, not turned into bold
