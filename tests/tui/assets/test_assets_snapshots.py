"""Snapshots of the Assets screens at 80x24 and 120x40 (issue 14, acceptance 3)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.tui import idle
from tui import navigation
from tui.navigation import discover_screens

from .conftest import AppFactory, open_assets

pytestmark = pytest.mark.start_screen("assets")

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _only_dashboard_and_assets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other engineers' new screens must not change these pictures (the bar is tested in
    tests/tui/test_tui_shell.py)."""
    discover_screens()
    registry = navigation._REGISTRY
    monkeypatch.setattr(
        navigation, "_REGISTRY", {name: registry[name] for name in ("dashboard", "assets")}
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_assets_list(make_app: AppFactory, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run(pilot: Any) -> None:
        await open_assets(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_assets_due_within_a_week(
    make_app: AppFactory, snap_compare: Any, size: tuple[int, int]
) -> None:
    async def run(pilot: Any) -> None:
        await open_assets(pilot)
        await pilot.press("f", "f", "f")  # all -> alarm -> warning -> due within 7 days
        await idle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_asset_detail(make_app: AppFactory, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run(pilot: Any) -> None:
        await open_assets(pilot)
        await pilot.press("enter")  # the first row: the asset in alarm
        await idle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_calibration_confirmation(
    make_app: AppFactory, snap_compare: Any, size: tuple[int, int]
) -> None:
    async def run(pilot: Any) -> None:
        await open_assets(pilot)
        await pilot.press("k")
        await idle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)
