"""Pilot tests of the Assets screens (issue 14, acceptance 3): every action, confirmed and
cancelled, the filters, and the detail view."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button, DataTable, Input, Select, Static

from tests.support.tui import idle
from tests.tui.station.confirming import confirm
from tui.screens.assets import AssetDetailScreen, AssetsScreen
from tui.widgets.asset_dialogs import AssetActionDialog, StatePicker

from .conftest import AppFactory, open_assets


@pytest.fixture
def start_screen() -> str:
    return "assets"


def _row(store: Any, serial: str) -> Any:
    return store.query_one("SELECT * FROM asset WHERE serial_number = ?", (serial,))


def _last_log(store: Any, serial: str) -> Any:
    return store.query_one(
        "SELECT * FROM asset_log WHERE serial_number = ? ORDER BY log_id DESC LIMIT 1", (serial,)
    )


async def _go_to(pilot: Any, screen: AssetsScreen, serial: str) -> None:
    table = screen.query_one("#assets-table", DataTable)
    keys = [screen.shown[str(key.value)].asset.serial_number for key in table.rows]
    table.move_cursor(row=keys.index(serial))
    await pilot.pause()


def _dialog(pilot: Any) -> AssetActionDialog:
    dialog = pilot.app.screen
    assert isinstance(dialog, AssetActionDialog), dialog
    return dialog


def _text(widget: Static) -> str:
    return str(widget.render())


def _running_percent(store: Any, serial: str) -> str:
    """The running count against its type's limit, as the list shows it (from the seed)."""
    row = store.query_one(
        "SELECT a.running_count, t.running_count_limit FROM asset a "
        "JOIN asset_type t ON t.type_id = a.type_id WHERE a.serial_number = ?",
        (serial,),
    )
    return f"{row['running_count'] / row['running_count_limit'] * 100:3.0f}%"


async def test_list_shows_alarm_first_with_bars_and_days_left(
    make_app: AppFactory, store: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assets(pilot)
        table = screen.query_one("#assets-table", DataTable)
        first = table.get_row_at(0)
        assert str(first[0]) == "PSU-E3631-05" and str(first[1]) == "ALARM"
        assert str(first[5]).split() == ["2025-12-25", "-7d"]
        probe = next(
            table.get_row_at(i)
            for i in range(table.row_count)
            if str(table.get_row_at(i)[0]) == "PRB-110-3"
        )
        assert str(probe[1]) == "WARN" and str(probe[3]).endswith(
            _running_percent(store, "PRB-110-3")
        )
        assert "1 alarm · 5 warning" in _text(screen.query_one("#assets-summary", Static))


async def test_filters_alarm_warning_and_due_within_days(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assets(pilot)
        table = screen.query_one("#assets-table", DataTable)

        def serials() -> list[str]:
            return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]

        await pilot.press("f")
        await idle(pilot)
        assert serials() == ["PSU-E3631-05"]
        await pilot.press("f")
        await idle(pilot)
        assert "PSU-E3631-05" not in serials() and "PRB-110-3" in serials()
        assert len(serials()) == 5
        await pilot.press("f")
        await idle(pilot)
        assert serials() == ["PSU-E3631-05", "DMM-34461-03", "PSU-E3631-03"]
        await pilot.press("d")
        await idle(pilot)
        days = screen.query_one("#assets-days-input", Input)
        assert screen.focused is days
        days.value = "31"
        await pilot.press("enter")
        await idle(pilot)
        assert serials() == [
            "PSU-E3631-05",
            "DMM-34461-03",
            "PSU-E3631-03",
            "DMM-34461-02",
            "FX-110-3",
            "FX-150-3",
        ]
        assert screen.focused is table
        screen.query_one("#assets-filter-select", Select).value = "all"
        await idle(pilot)
        assert len(serials()) == 20


async def test_calibration_enter_cancels_then_confirmed_with_a_comment(
    make_app: AppFactory, store: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assets(pilot)
        before = _row(store, "PSU-E3631-05")
        await pilot.press("k")
        await idle(pilot)
        dialog = _dialog(pilot)
        assert _text(dialog.query_one("#confirm-question", Static)) == (
            "Record a calibration of PSU-E3631-05 now?"
        )
        detail = _text(dialog.query_one("#confirm-detail", Static))
        running = before["running_count"]
        assert f"Running count: {running} → 0" in detail and "→ in 365 days" in detail
        await pilot.press("enter")  # Cancel is focused: a stray Enter changes nothing
        await idle(pilot)
        assert pilot.app.screen is screen
        assert _row(store, "PSU-E3631-05")["last_calibration"] == before["last_calibration"]

        await pilot.press("k")
        await idle(pilot)
        dialog = _dialog(pilot)
        await confirm(pilot, comment="CERT-991")
        await idle(pilot)
        after = _row(store, "PSU-E3631-05")
        assert after["last_calibration"] == "2026-01-01T08:00:00.000Z"
        assert after["running_count"] == 0 and after["total_count"] == before["total_count"]
        assert "CERT-991" in _last_log(store, "PSU-E3631-05")["comment"]
        table = screen.query_one("#assets-table", DataTable)
        assert "PSU-E3631-05" not in [str(table.get_row_at(i)[0]) for i in range(3)]
        assert "0 alarm" in _text(screen.query_one("#assets-summary", Static))


async def test_reset_count(make_app: AppFactory, store: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assets(pilot)
        seeded = _row(store, "PRB-110-3")
        running = seeded["running_count"]
        assert running > 0
        await _go_to(pilot, screen, "PRB-110-3")
        await pilot.press("x")
        await idle(pilot)
        question = _text(_dialog(pilot).query_one("#confirm-question", Static))
        assert question == f"Reset the running count of PRB-110-3 from {running} to 0?"
        await pilot.press("escape")
        await idle(pilot)
        assert _row(store, "PRB-110-3")["running_count"] == running
        await pilot.press("x")
        await idle(pilot)
        await confirm(pilot)
        await idle(pilot)
        row = _row(store, "PRB-110-3")
        assert (row["running_count"], row["total_count"]) == (0, seeded["total_count"])
        assert _last_log(store, "PRB-110-3")["type"] == 3


async def test_set_state_picks_then_confirms(make_app: AppFactory, store: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assets(pilot)
        await _go_to(pilot, screen, "DMM-34461-03")
        await pilot.press("s")
        await idle(pilot)
        assert isinstance(pilot.app.screen, StatePicker)
        await pilot.press("down", "down", "down", "enter")  # In operation -> In calibration
        await idle(pilot)
        question = _text(_dialog(pilot).query_one("#confirm-question", Static))
        assert question == "Set the state of DMM-34461-03 from In operation to In calibration?"
        await confirm(pilot)
        await idle(pilot)
        assert _row(store, "DMM-34461-03")["state"] == 4
        assert "In calibration" in _last_log(store, "DMM-34461-03")["comment"]
        await pilot.press("s")
        await idle(pilot)
        await pilot.press("escape")  # the picker cancels too
        await idle(pilot)
        assert pilot.app.screen is screen
        assert _row(store, "DMM-34461-03")["state"] == 4


async def test_add_message_needs_text(make_app: AppFactory, store: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assets(pilot)
        await _go_to(pilot, screen, "FX-110-2")
        await pilot.press("a")
        await idle(pilot)
        dialog = _dialog(pilot)
        assert dialog.query_one("#confirm-yes", Button).disabled  # nothing typed: no Confirm
        await confirm(pilot, comment="Clamp replaced")
        await idle(pilot)
        entry = _last_log(store, "FX-110-2")
        assert (entry["type"], entry["comment"], entry["user"]) == (0, "Clamp replaced", "emulator")


async def test_detail_view_and_maintenance_from_it(make_app: AppFactory, store: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assets(pilot)
        await _go_to(pilot, screen, "FX-150-3")
        await pilot.press("enter")
        await idle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, AssetDetailScreen)
        head = _text(detail.query_one("#asset-head", Static))
        assert head.startswith("FX-150-3 · Calibration fixture 3") and head.endswith("WARN")
        counters = _text(detail.query_one("#asset-counters", Static))
        assert "Maintenance due in 30 days" in counters
        subs = detail.query_one("#asset-subs", DataTable)
        assert [str(subs.get_row_at(i)[0]) for i in range(subs.row_count)] == [
            "DMM-34461-03",
            "PSU-E3631-06",
        ]
        log = detail.query_one("#asset-log", DataTable)
        assert str(log.get_row_at(0)[1]) == "Message"
        assert log.row_count == len(
            store.query("SELECT 1 FROM asset_log WHERE serial_number = 'FX-150-3'")
        )
        await pilot.press("m")
        await idle(pilot)
        assert "Record a maintenance of FX-150-3 now?" in _text(
            _dialog(pilot).query_one("#confirm-question", Static)
        )
        await confirm(pilot)
        await idle(pilot)
        assert _row(store, "FX-150-3")["last_maintenance"] == "2026-01-01T08:00:00.000Z"
        assert pilot.app.screen is detail
        assert _text(detail.query_one("#asset-head", Static)).endswith("OK")
        assert str(log.get_row_at(0)[1]) == "Maintenance"
        subs.focus()
        await pilot.press("enter")  # the first sub-asset's own detail
        await idle(pilot)
        sub = pilot.app.screen
        assert isinstance(sub, AssetDetailScreen) and sub is not detail
        assert _text(sub.query_one("#asset-head", Static)).startswith("DMM-34461-03")
        assert "Parent      FX-150-3" in _text(sub.query_one("#asset-dates", Static))
        await pilot.press("escape")
        await idle(pilot)
        assert pilot.app.screen is detail
        await pilot.press("escape")
        await idle(pilot)
        assert pilot.app.screen is screen


async def test_detail_lists_files_and_says_when_an_asset_is_gone(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assets(pilot)
        await _go_to(pilot, screen, "DMM-34461-01")
        await pilot.press("enter")
        await idle(pilot)
        files = pilot.app.screen.query_one("#asset-files", DataTable)
        assert str(files.get_row_at(0)[0]).startswith("calibration-")
        await pilot.press("escape")
        await idle(pilot)
        screen.open_asset("NO-SUCH-ASSET")
        await idle(pilot)
        head = pilot.app.screen.query_one("#asset-head", Static)
        assert "There is no asset NO-SUCH-ASSET" in _text(head)
