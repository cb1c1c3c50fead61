"""The app on a fresh in-process emulator for the Software screen, and helpers to reach a
package version in its tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pywats import AsyncWATS
from pywats.domains.software import Package
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, idle, showing, wait_until
from tui.app import WATSApp
from tui.screens.software import SoftwareScreen

SoftwareAppFactory = Callable[[], WATSApp]
ICT = "PCB-1001 ICT"  # seeded v1 Revoked, v2 and v3 Released, v4 Pending, v5 Draft


@pytest.fixture
def software_app(
    emulator: InProcessEmulator, tmp_path: Path, start_screen: str | None
) -> SoftwareAppFactory:
    def client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        return AsyncWATS(url, token, transport=emulator.transport(), max_retries=0)

    def build() -> WATSApp:
        return WATSApp(
            url=emulator.base_url,
            token=emulator.token,
            config_path=tmp_path / "pywats.toml",
            client_factory=client,
            screen=start_screen,
        )

    return build


async def open_software(pilot: Any) -> SoftwareScreen:
    await go_to(pilot, "8")
    await wait_until(pilot, lambda: showing(pilot.app, SoftwareScreen), what="the software screen")
    await idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SoftwareScreen)
    return screen


async def highlight(pilot: Any, screen: SoftwareScreen, name: str, version: int) -> Package:
    """Expand `name` and put the cursor on its `version`, as arrow keys would."""
    tree = screen.query_one("#software-packages")
    group = next(n for n in tree.root.children if n.data == name)  # type: ignore[attr-defined]
    group.expand()
    await pilot.pause()
    node = next(n for n in group.children if n.data.version == version)
    tree.move_cursor(node)  # type: ignore[attr-defined]
    await idle(pilot)
    selected = screen.selected
    assert selected is not None and selected.version == version, selected
    return selected


def status_of(emulator: InProcessEmulator, name: str, version: int) -> str | None:
    value = emulator.store.scalar(
        "SELECT status FROM software_package WHERE name = ? AND version = ?", (name, version)
    )
    return None if value is None else str(value)
