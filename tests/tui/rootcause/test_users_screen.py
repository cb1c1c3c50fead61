"""The Users screen with Pilot against the seeded emulator: the list with search, create a
user, deactivate and activate (each asked first, Cancel the default), the provisioning token."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, settle
from tests.tui.station.confirming import confirm
from tui.screens.users import TokenDialog, UsersScreen, search_filter
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.form_dialog import FormDialog

from .conftest import AppFactory, plain, table_rows


@pytest.fixture
def start_screen() -> str:
    return "users"


async def open_users(pilot: Any) -> UsersScreen:
    await go_to(pilot, "0")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, UsersScreen)
    return screen


def table(screen: UsersScreen) -> DataTable:  # type: ignore[type-arg]
    return screen.query_one("#users-table", DataTable)


async def select_user(pilot: Any, screen: UsersScreen, user_name: str) -> None:
    names = [r[0] for r in table_rows(table(screen))]
    table(screen).move_cursor(row=names.index(user_name))
    await pilot.pause()


def active(emulator: InProcessEmulator, user_name: str) -> bool:
    return bool(
        emulator.store.scalar("SELECT active FROM scim_user WHERE user_name = ?", (user_name,))
    )


def test_search_filter_quotes_what_is_typed() -> None:
    assert search_filter("", "all") is None
    assert search_filter("", "false") == "active eq false"
    assert search_filter('o"b', "true") == (
        '(userName co "o\\"b" or displayName co "o\\"b" or emails co "o\\"b") and active eq true'
    )


async def test_list_with_search_and_state(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    total = emulator.store.scalar("SELECT COUNT(*) FROM scim_user")
    inactive = emulator.store.scalar("SELECT COUNT(*) FROM scim_user WHERE active = 0")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_users(pilot)
        rows = table_rows(table(screen))
        assert len(rows) == total and sum(r[1] == "inactive" for r in rows) == inactive > 0
        assert f"{total} users, {inactive} inactive" in plain(screen.query_one("#users-count"))
        assert "id " in plain(screen.query_one("#user-detail", Static))
        await pilot.press("slash", *"KARI")
        await settle(pilot, 0.5)
        assert [r[0] for r in table_rows(table(screen))] == ["kari.hansen"]
        assert "Kari Hansen" in plain(screen.query_one("#user-detail", Static))
        screen.query_one("#users-search", Input).value = ""
        screen.query_one("#users-state").value = "false"  # type: ignore[attr-defined]
        await settle(pilot, 0.5)
        assert {r[1] for r in table_rows(table(screen))} == {"inactive"}


async def test_deactivate_and_activate_ask_first_and_default_to_cancel(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_users(pilot)
        await select_user(pilot, screen, "kari.hansen")
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == "Deactivate the user kari.hansen?"
        await pilot.press("enter")  # Cancel has the focus
        await settle(pilot)
        assert active(emulator, "kari.hansen")
        await pilot.press("t")
        await pilot.pause()
        await confirm(pilot)
        await settle(pilot)
        assert not active(emulator, "kari.hansen")
        assert screen.current is not None and screen.current.user_name == "kari.hansen"
        assert "inactive" in plain(screen.query_one("#user-detail", Static))
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "Activate the user kari.hansen?"
        await confirm(pilot)
        await settle(pilot)
        assert active(emulator, "kari.hansen")


async def test_create_a_user_and_a_duplicate_is_refused(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_users(pilot)
        for attempt in range(2):
            await pilot.press("n")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormDialog)
            form.query_one("#form-user_name", Input).value = "new.operator"
            form.query_one("#form-given_name", Input).value = "New"
            form.query_one("#form-family_name", Input).value = "Operator"
            form.query_one("#form-email", Input).value = "not-an-address"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form  # the e-mail is marked before anything is sent
            form.query_one("#form-email", Input).value = "new.operator@example.com"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert app.screen.question == "Create the user new.operator?"
            await confirm(pilot)
            await settle(pilot)
            if attempt == 0:
                assert "new.operator" in [r[0] for r in table_rows(table(screen))]
        assert (
            emulator.store.scalar("SELECT COUNT(*) FROM scim_user WHERE user_name = 'new.operator'")
            == 1
        )
        row = emulator.store.query_one(
            "SELECT display_name, active FROM scim_user WHERE user_name = 'new.operator'"
        )
        assert row["display_name"] == "New Operator" and row["active"] == 1
        assert isinstance(app.screen, UsersScreen)  # the 409 is a notification, screen usable


async def test_provisioning_token(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_users(pilot)
        await pilot.press("k")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#form-days", Input).value = "30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TokenDialog)
        assert dialog.token.duration_days == 30
        assert dialog.query_one("#token-value", Input).value.count(".") == 2
        assert "/api/SCIM/v2" in plain(dialog.query_one("#token-detail", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)


async def test_reachable_from_the_palette_and_the_navigation(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    from textual.command import Hit

    from tui.commands import WATSCommands
    from tui.widgets.chrome import NavBar

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        nav = str(app.screen.query_one(NavBar).render())
        assert "0 Users" in nav or "0 Usrs" in nav  # short labels when ten screens share 80
        provider = WATSCommands(app.screen)
        hits = [hit async for hit in provider.search("Go to Users") if isinstance(hit, Hit)]
        go = next(h for h in hits if str(h.match_display) == "Go to Users")
        await go.command()
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("1")
        await settle(pilot)
        provider = WATSCommands(app.screen)
        hits = [hit async for hit in provider.search("per.olsen") if isinstance(hit, Hit)]
        find = next(h for h in hits if str(h.match_display) == "Find user per.olsen")
        await find.command()
        await settle(pilot, 0.5)
        screen = app.screen
        assert isinstance(screen, UsersScreen)
        assert [r[0] for r in table_rows(table(screen))] == ["per.olsen"]
