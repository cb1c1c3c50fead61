"""80x24 snapshots of the Products and Processes screens (acceptance 4)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.tui import go_to, settle

from .conftest import AppFactory


@pytest.mark.start_screen("products")
def test_products_screen(make_app: AppFactory, snap_compare: Any) -> None:
    async def open_products(pilot: Any) -> None:
        await go_to(pilot, "2")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_products)


@pytest.mark.start_screen("products")
def test_product_form_with_field_errors(make_app: AppFactory, snap_compare: Any) -> None:
    async def invalid_form(pilot: Any) -> None:
        await go_to(pilot, "2")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"PCB/1", "ctrl+s")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=invalid_form)


@pytest.mark.start_screen("processes")
def test_processes_screen_with_fail_codes(make_app: AppFactory, snap_compare: Any) -> None:
    async def open_repair(pilot: Any) -> None:
        await go_to(pilot, "4")
        await settle(pilot)
        await pilot.press("f", "f")  # repair operations
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_repair)
