"""Snapshots of the Tickets and Users screens at 80x24 and 120x40, on the seeded emulator."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.tui import go_to, settle

from .conftest import AppFactory

SIZES = [(80, 24), (120, 40)]


@pytest.mark.start_screen("tickets")
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_tickets_screen(make_app: AppFactory, snap_compare: Any, size: tuple[int, int]) -> None:
    async def open_tickets(pilot: Any) -> None:
        await go_to(pilot, "9")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=open_tickets)


@pytest.mark.start_screen("tickets")
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_solved_tickets_with_attachment(
    make_app: AppFactory, snap_compare: Any, size: tuple[int, int]
) -> None:
    async def solved(pilot: Any) -> None:
        await go_to(pilot, "9")
        await settle(pilot)
        await pilot.press("f", "f", "f", "f")  # Solved
        await settle(pilot)
        await pilot.press("down")  # the oldest Solved one carries the seeded attachment
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=solved)


@pytest.mark.start_screen("tickets")
def test_status_change_form(make_app: AppFactory, snap_compare: Any) -> None:
    async def status_form(pilot: Any) -> None:
        await go_to(pilot, "9")
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=status_form)


@pytest.mark.start_screen("users")
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_users_screen(make_app: AppFactory, snap_compare: Any, size: tuple[int, int]) -> None:
    async def open_users(pilot: Any) -> None:
        await go_to(pilot, "0")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=open_users)


@pytest.mark.start_screen("users")
def test_deactivate_confirmation(make_app: AppFactory, snap_compare: Any) -> None:
    async def confirm(pilot: Any) -> None:
        await go_to(pilot, "0")
        await settle(pilot)
        await pilot.press("down", "t")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=confirm)
