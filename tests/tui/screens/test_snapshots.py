"""80x24 snapshots of the Products and Processes screens (acceptance 4)."""

from __future__ import annotations

from typing import Any

from tests.support.tui import settle

from .conftest import AppFactory


def test_products_screen(make_app: AppFactory, snap_compare: Any) -> None:
    async def open_products(pilot: Any) -> None:
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_products)


def test_product_form_with_field_errors(make_app: AppFactory, snap_compare: Any) -> None:
    async def invalid_form(pilot: Any) -> None:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"PCB/1", "ctrl+s")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=invalid_form)


def test_processes_screen_with_fail_codes(make_app: AppFactory, snap_compare: Any) -> None:
    async def open_repair(pilot: Any) -> None:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("f", "f")  # repair operations
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_repair)
