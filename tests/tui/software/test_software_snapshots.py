"""Snapshots of the Software screen at 80x24 and 120x40, and of its confirmations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.tui import idle

from .conftest import ICT, SoftwareAppFactory, highlight, open_software

pytestmark = pytest.mark.start_screen("software")


async def _pending_version(pilot: Any) -> None:
    screen = await open_software(pilot)
    await highlight(pilot, screen, ICT, 4)


def test_software_screen_80x24(software_app: SoftwareAppFactory, snap_compare: Any) -> None:
    assert snap_compare(software_app(), terminal_size=(80, 24), run_before=_pending_version)


def test_software_screen_120x40(software_app: SoftwareAppFactory, snap_compare: Any) -> None:
    assert snap_compare(software_app(), terminal_size=(120, 40), run_before=_pending_version)


def test_release_confirmation(software_app: SoftwareAppFactory, snap_compare: Any) -> None:
    async def ask(pilot: Any) -> None:
        await _pending_version(pilot)
        await pilot.press("l")
        await idle(pilot)

    assert snap_compare(software_app(), terminal_size=(80, 24), run_before=ask)


def test_revoke_confirmation(software_app: SoftwareAppFactory, snap_compare: Any) -> None:
    async def ask(pilot: Any) -> None:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 3)
        await pilot.press("x")
        await idle(pilot)

    assert snap_compare(software_app(), terminal_size=(80, 24), run_before=ask)


def test_upload_dialog(software_app: SoftwareAppFactory, snap_compare: Any) -> None:
    async def ask(pilot: Any) -> None:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 5)
        await pilot.press("u")
        await idle(pilot)

    assert snap_compare(software_app(), terminal_size=(80, 24), run_before=ask)
